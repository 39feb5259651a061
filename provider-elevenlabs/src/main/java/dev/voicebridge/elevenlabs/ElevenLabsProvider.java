package dev.voicebridge.elevenlabs;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.elevenlabs.internal.ElevenLabsSettings;
import dev.voicebridge.elevenlabs.internal.ElevenLabsSynthesizer;
import dev.voicebridge.elevenlabs.internal.VoiceIds;
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
import java.util.Locale;

/**
 * The ServiceLoader factory for ElevenLabs ({@code voicebridge.provider=elevenlabs}). Keys, under
 * {@code voicebridge.elevenlabs.}: {@code api-key} (or {@code ELEVENLABS_API_KEY}), {@code
 * base-url}, {@code model}, {@code voice}, {@code transport}, {@code response-timeout}, {@code
 * connect-timeout}, {@code max-contexts-per-socket}, {@code idle-timeout}, {@code allow-insecure}
 * and the {@link Limits} ({@code max-frame-bytes}, {@code max-buffered-audio-bytes}, {@code
 * max-text-chars}). {@link #create} validates them all at once and does no network I/O.
 */
public final class ElevenLabsProvider implements StreamingSynthesizerProvider {

  /** The provider's name in configuration. */
  public static final String NAME = "elevenlabs";

  /** The vendor's API key, sent only as the {@code xi-api-key} header. */
  public static final ConfigKey<Secret> API_KEY =
      ConfigKey.secret("api-key", "the ElevenLabs API key (sent as the xi-api-key header)")
          .required()
          .withEnvironmentFallback("ELEVENLABS_API_KEY");

  /** Where the API is; WebSocket URLs are derived from it (http to ws, https to wss). */
  public static final ConfigKey<URI> BASE_URL =
      ConfigKey.uri("base-url", "the API's base URL; ws/wss URLs are derived from it")
          .withCheck(ElevenLabsProvider::checkBaseUrl)
          .withDefault(URI.create("https://api.elevenlabs.io"));

  /** The model id, used when the session's options name none. */
  public static final ConfigKey<String> MODEL =
      ConfigKey.string("model", "the model id when the options name none")
          .withCheck(v -> v.isBlank() ? "must not be blank" : null)
          .withDefault("eleven_flash_v2_5");

  /** The voice id, used when the session's options name none. */
  public static final ConfigKey<String> VOICE =
      ConfigKey.string("voice", "the voice id when the options name none")
          .withCheck(VoiceIds::problem)
          .withDefault("JBFqnCBsd6RMkjVDRZzb");

  /** The transport when the options do not choose one with {@link ElevenLabsOptions#TRANSPORT}. */
  public static final ConfigKey<String> TRANSPORT =
      ConfigKey.choice(
              "transport",
              "the default transport",
              ElevenLabsOptions.TRANSPORT_WEBSOCKET,
              ElevenLabsOptions.TRANSPORT_MULTI_CONTEXT,
              ElevenLabsOptions.TRANSPORT_HTTP,
              ElevenLabsOptions.TRANSPORT_HTTP_TIMESTAMPS)
          .withDefault(ElevenLabsOptions.TRANSPORT_WEBSOCKET);

  /** How long the server may stay silent while audio is owed. */
  public static final ConfigKey<Duration> RESPONSE_TIMEOUT =
      ConfigKey.duration(
              "response-timeout", "how long the server may be silent while audio is owed")
          .withCheck(ElevenLabsProvider::positive)
          .withDefault(Duration.ofSeconds(20));

  /** How long opening a connection may take. */
  public static final ConfigKey<Duration> CONNECT_TIMEOUT =
      ConfigKey.duration("connect-timeout", "how long opening a connection may take")
          .withCheck(ElevenLabsProvider::positive)
          .withDefault(Duration.ofSeconds(10));

  /** Live contexts per multi-context socket (the vendor allows 5). */
  public static final ConfigKey<Integer> MAX_CONTEXTS_PER_SOCKET =
      ConfigKey.integer("max-contexts-per-socket", "live contexts per multi-stream-input socket")
          .withRange(1, 5)
          .withDefault(5);

  /** How long an idle multi-context socket is kept for reuse. */
  public static final ConfigKey<Duration> IDLE_TIMEOUT =
      ConfigKey.duration("idle-timeout", "how long an idle multi-stream-input socket is kept")
          .withCheck(ElevenLabsProvider::positive)
          .withDefault(Duration.ofSeconds(10));

  /** Allows plain http/ws to hosts other than loopback. */
  public static final ConfigKey<Boolean> ALLOW_INSECURE =
      ConfigKey.bool("allow-insecure", "allow plain http/ws to hosts other than loopback")
          .withDefault(false);

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
    List<ConfigKey<?>> keys =
        new ArrayList<>(
            List.of(
                API_KEY,
                BASE_URL,
                MODEL,
                VOICE,
                TRANSPORT,
                RESPONSE_TIMEOUT,
                CONNECT_TIMEOUT,
                MAX_CONTEXTS_PER_SOCKET,
                IDLE_TIMEOUT,
                ALLOW_INSECURE));
    keys.addAll(Limits.keys());
    return List.copyOf(keys);
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    ProviderConfig config = context.resolve(configKeys());
    URI base = config.get(BASE_URL);
    boolean allowInsecure = config.get(ALLOW_INSECURE);
    String insecure =
        Endpoints.problem(
            base,
            allowInsecure,
            context.prefix() + "base-url",
            context.prefix() + "allow-insecure");
    if (insecure != null) {
      throw new ConfigurationException(NAME, insecure);
    }
    ElevenLabsSettings settings =
        new ElevenLabsSettings(
            config.get(API_KEY),
            base,
            config.get(MODEL),
            config.get(VOICE),
            config.get(TRANSPORT),
            config.get(RESPONSE_TIMEOUT),
            config.get(CONNECT_TIMEOUT),
            config.get(MAX_CONTEXTS_PER_SOCKET),
            config.get(IDLE_TIMEOUT),
            config.get(Limits.MAX_FRAME_BYTES));
    return new ElevenLabsSynthesizer(settings, config, context);
  }

  private static String checkBaseUrl(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must be an http or https URL";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must not have a query or fragment";
    }
    return null;
  }

  private static String positive(Duration d) {
    return d.isNegative() || d.isZero() ? "must be positive" : null;
  }
}
