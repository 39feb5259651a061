package dev.voicebridge.elevenlabs;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.elevenlabs.internal.ElevenLabsSettings;
import dev.voicebridge.elevenlabs.internal.ElevenLabsSynthesizer;
import dev.voicebridge.elevenlabs.internal.VoiceIds;
import dev.voicebridge.kit.NetworkKeys;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The ServiceLoader factory for ElevenLabs ({@code voicebridge.provider=elevenlabs}). Keys, under
 * {@code voicebridge.elevenlabs.}: {@code api-key} (or {@code ELEVENLABS_API_KEY}), {@code
 * base-url}, {@code model}, {@code voice}, {@code transport}, {@code response-timeout}, {@code
 * connect-timeout}, {@code max-contexts-per-socket}, {@code idle-timeout}, {@code allow-insecure}
 * and the limits ({@code max-frame-bytes}, {@code max-buffered-audio-bytes}, {@code
 * max-text-chars}, the audio budget). {@link #create} validates them all at once and does no
 * network I/O.
 */
public final class ElevenLabsProvider implements StreamingSynthesizerProvider {

  /** The provider's name in configuration. */
  public static final String NAME = "elevenlabs";

  /** The vendor's API key, sent only as the {@code xi-api-key} header. */
  static final ConfigKey<Secret> API_KEY =
      NetworkKeys.apiKey(
          "the ElevenLabs API key (sent as the xi-api-key header)", "ELEVENLABS_API_KEY");

  /** Where the API is; WebSocket URLs are derived from it (http to ws, https to wss). */
  static final ConfigKey<URI> BASE_URL = NetworkKeys.baseUrl("https://api.elevenlabs.io");

  /** The model id, used when the session's options name none. */
  static final ConfigKey<String> MODEL =
      ConfigKey.string("model", "the model id when the options name none")
          .withCheck(v -> v.isBlank() ? "must not be blank" : null)
          .withDefault("eleven_flash_v2_5");

  /** The voice id, used when the session's options name none. */
  static final ConfigKey<String> VOICE =
      ConfigKey.string("voice", "the voice id when the options name none")
          .withCheck(VoiceIds::problem)
          .withDefault("JBFqnCBsd6RMkjVDRZzb");

  /** The transport when the options do not choose one with {@link ElevenLabsOptions#TRANSPORT}. */
  static final ConfigKey<String> TRANSPORT =
      ConfigKey.choice(
              "transport",
              "the default transport",
              ElevenLabsOptions.WEBSOCKET,
              ElevenLabsOptions.MULTI_CONTEXT,
              ElevenLabsOptions.HTTP,
              ElevenLabsOptions.HTTP_TIMESTAMPS)
          .withDefault(ElevenLabsOptions.WEBSOCKET);

  /** Live contexts per multi-context socket (the vendor allows 5). */
  static final ConfigKey<Integer> MAX_CONTEXTS_PER_SOCKET =
      ConfigKey.integer("max-contexts-per-socket", "live contexts per multi-stream-input socket")
          .withRange(1, 5)
          .withDefault(5);

  /** How long an idle multi-context socket is kept for reuse. */
  static final ConfigKey<Duration> IDLE_TIMEOUT =
      ConfigKey.duration("idle-timeout", "how long an idle multi-stream-input socket is kept")
          .withCheck(d -> d.isNegative() || d.isZero() ? "must be positive" : null)
          .withDefault(Duration.ofSeconds(10));

  /** Creates the provider; cheap and free of I/O. */
  public ElevenLabsProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ElevenLabs: stream-input and multi-stream-input WebSockets, HTTP /stream and"
        + " /stream/with-timestamps, word timings";
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return NetworkKeys.keys(
        API_KEY,
        BASE_URL,
        List.of(MODEL, VOICE, TRANSPORT),
        List.of(MAX_CONTEXTS_PER_SOCKET, IDLE_TIMEOUT));
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    NetworkSettings network = NetworkSettings.resolve(context, configKeys(), API_KEY, BASE_URL);
    return new ElevenLabsSynthesizer(
        new ElevenLabsSettings(
            network,
            network.get(MODEL),
            network.get(VOICE),
            network.get(TRANSPORT),
            network.get(MAX_CONTEXTS_PER_SOCKET),
            network.get(IDLE_TIMEOUT)));
  }
}
