package dev.voicebridge.deepgram;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.deepgram.internal.DeepgramRequest;
import dev.voicebridge.deepgram.internal.DeepgramSettings;
import dev.voicebridge.deepgram.internal.DeepgramSynthesizer;
import dev.voicebridge.kit.NetworkKeys;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.net.URI;
import java.util.List;

/**
 * The ServiceLoader factory of the Deepgram provider ({@code voicebridge.provider=deepgram}). Keys
 * live under {@code voicebridge.deepgram.}:
 *
 * <ul>
 *   <li>{@code api-key} (secret, required; falls back to {@code DEEPGRAM_API_KEY}): sent as {@code
 *       Authorization: Token <key>}, never in a URL;
 *   <li>{@code base-url} (default {@code https://api.deepgram.com}); the WebSocket URL is derived
 *       from it ({@code wss}, or {@code ws} for a loopback {@code http} base);
 *   <li>{@code model} (default {@code aura-2-thalia-en}): the voice, when the options name none;
 *   <li>{@code transport}: {@code websocket} (default) or {@code http};
 *   <li>the shared timeouts, {@code allow-insecure} and the limits.
 * </ul>
 *
 * <p>{@link #create} validates everything (every problem at once) and does no network I/O.
 */
public final class DeepgramProvider implements StreamingSynthesizerProvider {

  /** The provider's name. */
  public static final String NAME = "deepgram";

  /**
   * The model (voice) sent when none is configured or requested. Pinned instead of left to the
   * server, whose own default is the older Aura-1 {@code aura-asteria-en}.
   */
  public static final String DEFAULT_MODEL = "aura-2-thalia-en";

  static final ConfigKey<Secret> API_KEY =
      NetworkKeys.apiKey("Deepgram API key, sent as Authorization: Token", "DEEPGRAM_API_KEY");
  static final ConfigKey<URI> BASE_URL = NetworkKeys.baseUrl("https://api.deepgram.com");
  static final ConfigKey<String> MODEL =
      ConfigKey.string(
              "model",
              "the voice (model) when the options name none: aura-2-<voice>-<language> or"
                  + " aura-<voice>-en")
          .withCheck(DeepgramRequest::modelProblem)
          .withDefault(DEFAULT_MODEL);
  static final ConfigKey<String> TRANSPORT =
      ConfigKey.choice(
              "transport",
              "default transport: websocket (Speak/Flush, one socket per session) or http (POST"
                  + " /v1/speak per sentence); DeepgramOptions.TRANSPORT overrides it per session",
              DeepgramOptions.WEBSOCKET,
              DeepgramOptions.HTTP)
          .withDefault(DeepgramOptions.WEBSOCKET);

  private static final List<ConfigKey<?>> KEYS =
      NetworkKeys.keys(API_KEY, BASE_URL, List.of(MODEL, TRANSPORT), List.of());

  /** Creates the provider; cheap and free of I/O. */
  public DeepgramProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Deepgram Aura: WebSocket /v1/speak (Speak, Flush, Flushed) or REST POST /v1/speak";
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return KEYS;
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    NetworkSettings network = NetworkSettings.resolve(context, KEYS, API_KEY, BASE_URL);
    return new DeepgramSynthesizer(
        new DeepgramSettings(network, network.get(MODEL).trim(), network.get(TRANSPORT)));
  }
}
