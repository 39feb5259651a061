package dev.voicebridge.smallest;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.kit.NetworkKeys;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.smallest.internal.SmallestSettings;
import dev.voicebridge.smallest.internal.SmallestSynthesizer;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The {@code ServiceLoader} factory of the Smallest AI provider ({@code voicebridge.provider =
 * smallest}). Keys, all under {@code voicebridge.smallest.}:
 *
 * <ul>
 *   <li>{@code api-key} (secret, required; falls back to {@code SMALLEST_API_KEY}): sent as {@code
 *       Authorization: Bearer ...}
 *   <li>{@code base-url} (default {@code https://api.smallest.ai}); WebSockets use the matching
 *       {@code ws}/{@code wss} URL
 *   <li>{@code model}: {@code lightning_v3.1} (default) or {@code lightning_v3.1_pro}
 *   <li>{@code voice} (default {@code meher}): the voice when the options name none
 *   <li>{@code transport}: {@code websocket} (default) or {@code sse}
 *   <li>{@code response-timeout} (default 20s), {@code connect-timeout} (default 10s)
 *   <li>{@code keep-alive} (default 30s, 0 disables): keep-alive message interval of an idle
 *       session, and the longest time an unused connection stays pooled
 *   <li>{@code allow-insecure} (default false): allow plain {@code http}/{@code ws} to a host other
 *       than loopback
 * </ul>
 *
 * <p>{@link #create} validates everything (every problem at once) and does no network I/O.
 */
public final class SmallestProvider implements StreamingSynthesizerProvider {

  /** The provider name. */
  public static final String NAME = "smallest";

  /** {@code api-key}: the Smallest API key. */
  static final ConfigKey<Secret> API_KEY =
      NetworkKeys.apiKey("Smallest AI API key (sent as a Bearer token)", "SMALLEST_API_KEY");

  /** {@code base-url}: where the Waves API lives. */
  static final ConfigKey<URI> BASE_URL = NetworkKeys.baseUrl("https://api.smallest.ai");

  /** {@code model}: the Lightning pool. */
  static final ConfigKey<String> MODEL =
      ConfigKey.choice(
              "model",
              "Lightning model used when the options name none",
              "lightning_v3.1",
              "lightning_v3.1_pro")
          .withDefault("lightning_v3.1");

  /** {@code voice}: the default voice id. */
  static final ConfigKey<String> VOICE =
      ConfigKey.string("voice", "voice_id used when the options name none")
          .withDefault("meher")
          .withCheck(v -> v.isBlank() ? "must not be blank" : null);

  /** {@code transport}: the default transport of sessions. */
  static final ConfigKey<String> TRANSPORT =
      ConfigKey.choice(
              "transport",
              "default transport: websocket (streaming input) or sse (one request per sentence)",
              SmallestOptions.WEBSOCKET,
              SmallestOptions.SSE)
          .withDefault(SmallestOptions.WEBSOCKET);

  /**
   * {@code keep-alive}: keep-alive interval of idle sessions and idle lifetime of pooled sockets.
   */
  static final ConfigKey<Duration> KEEP_ALIVE =
      ConfigKey.duration(
              "keep-alive",
              "keep-alive interval of an idle WebSocket session (the server drops a socket after 60"
                  + " s without client messages) and longest idle time of a pooled socket; 0"
                  + " disables both")
          .withDefault(Duration.ofSeconds(30))
          .withCheck(d -> d.isNegative() ? "must not be negative" : null);

  private static final List<ConfigKey<?>> KEYS =
      NetworkKeys.keys(API_KEY, BASE_URL, List.of(MODEL, VOICE, TRANSPORT), List.of(KEEP_ALIVE));

  /** For {@code ServiceLoader}; cheap, no I/O. */
  public SmallestProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Smallest AI Waves (Lightning v3.1): WebSocket streaming input, SSE, word timestamps";
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return KEYS;
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    NetworkSettings network = NetworkSettings.resolve(context, KEYS, API_KEY, BASE_URL);
    return new SmallestSynthesizer(
        new SmallestSettings(
            network,
            network.get(MODEL),
            network.get(VOICE),
            network.get(TRANSPORT),
            network.get(KEEP_ALIVE)));
  }
}
