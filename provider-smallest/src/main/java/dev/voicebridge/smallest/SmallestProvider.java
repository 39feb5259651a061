package dev.voicebridge.smallest;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.smallest.internal.SmallestSettings;
import dev.voicebridge.smallest.internal.SmallestSynthesizer;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.Endpoints;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.ProviderConfig;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
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
  public static final ConfigKey<Secret> API_KEY =
      ConfigKey.secret("api-key", "Smallest AI API key (sent as a Bearer token)")
          .required()
          .withEnvironmentFallback("SMALLEST_API_KEY");

  /** {@code base-url}: where the Waves API lives. */
  public static final ConfigKey<URI> BASE_URL =
      ConfigKey.uri("base-url", "Waves API base URL (http or https; ws/wss derived from it)")
          .withDefault(URI.create("https://api.smallest.ai"))
          .withCheck(
              u ->
                  "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())
                      ? null
                      : "must be an http or https URL");

  /** {@code model}: the Lightning pool. */
  public static final ConfigKey<String> MODEL =
      ConfigKey.choice(
              "model",
              "Lightning model used when the options name none",
              "lightning_v3.1",
              "lightning_v3.1_pro")
          .withDefault("lightning_v3.1");

  /** {@code voice}: the default voice id. */
  public static final ConfigKey<String> VOICE =
      ConfigKey.string("voice", "voice_id used when the options name none")
          .withDefault("meher")
          .withCheck(v -> v.isBlank() ? "must not be blank" : null);

  /** {@code transport}: the default transport of sessions. */
  public static final ConfigKey<String> TRANSPORT =
      ConfigKey.choice(
              "transport",
              "default transport: websocket (streaming input) or sse (one request per sentence)",
              "websocket",
              "sse")
          .withDefault("websocket");

  /** {@code response-timeout}: how long the server may stay silent while audio is owed. */
  public static final ConfigKey<Duration> RESPONSE_TIMEOUT =
      ConfigKey.duration("response-timeout", "longest server silence while audio is owed")
          .withDefault(Duration.ofSeconds(20))
          .withCheck(d -> d.isNegative() || d.isZero() ? "must be positive" : null);

  /** {@code connect-timeout}: how long opening a connection may take. */
  public static final ConfigKey<Duration> CONNECT_TIMEOUT =
      ConfigKey.duration("connect-timeout", "longest time to open a connection")
          .withDefault(Duration.ofSeconds(10))
          .withCheck(d -> d.isNegative() || d.isZero() ? "must be positive" : null);

  /**
   * {@code keep-alive}: keep-alive interval of idle sessions and idle lifetime of pooled sockets.
   */
  public static final ConfigKey<Duration> KEEP_ALIVE =
      ConfigKey.duration(
              "keep-alive",
              "keep-alive interval of an idle WebSocket session (the server drops a socket after 60"
                  + " s without client messages) and longest idle time of a pooled socket; 0"
                  + " disables both")
          .withDefault(Duration.ofSeconds(30))
          .withCheck(d -> d.isNegative() ? "must not be negative" : null);

  /** {@code allow-insecure}: permit plain http/ws to hosts other than loopback. */
  public static final ConfigKey<Boolean> ALLOW_INSECURE =
      ConfigKey.bool(
              "allow-insecure",
              "allow plain http/ws to a host other than loopback (the key travels in clear text)")
          .withDefault(false);

  private static final List<ConfigKey<?>> KEYS =
      List.of(
          API_KEY,
          BASE_URL,
          MODEL,
          VOICE,
          TRANSPORT,
          RESPONSE_TIMEOUT,
          CONNECT_TIMEOUT,
          KEEP_ALIVE,
          ALLOW_INSECURE,
          // max-frame-bytes (each WebSocket message, SSE line and event),
          // max-buffered-audio-bytes, max-text-chars
          Limits.MAX_FRAME_BYTES,
          Limits.MAX_BUFFERED_AUDIO_BYTES,
          Limits.MAX_TEXT_CHARS);

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
    ProviderConfig config = context.resolve(KEYS);
    URI base = config.get(BASE_URL);
    List<String> problems = new ArrayList<>();
    if (config.get(API_KEY).reveal().isBlank()) {
      problems.add(context.prefix() + "api-key must not be blank");
    }
    String insecure =
        Endpoints.problem(
            base,
            config.get(ALLOW_INSECURE),
            context.prefix() + "base-url",
            context.prefix() + "allow-insecure");
    if (insecure != null) {
      problems.add(insecure);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(NAME, problems);
    }
    SmallestSettings settings =
        new SmallestSettings(
            config.get(API_KEY),
            base,
            config.get(MODEL),
            config.get(VOICE),
            config.get(TRANSPORT),
            config.get(RESPONSE_TIMEOUT),
            config.get(CONNECT_TIMEOUT),
            config.get(KEEP_ALIVE),
            config.get(Limits.MAX_FRAME_BYTES));
    return new SmallestSynthesizer(
        settings, config, context.ticker(), context.httpClient().orElse(null));
  }
}
