package dev.voicebridge.cartesia;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.cartesia.internal.CartesiaSettings;
import dev.voicebridge.cartesia.internal.CartesiaSynthesizer;
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
 * The ServiceLoader factory of the Cartesia provider ({@code voicebridge.provider=cartesia}). Keys
 * live under {@code voicebridge.cartesia.}: {@code api-key} (or {@code CARTESIA_API_KEY}), {@code
 * base-url}, {@code version}, {@code model}, {@code voice}, {@code transport}, the timeouts, {@code
 * max-contexts-per-socket}, {@code idle-timeout}, {@code http-pipeline}, {@code allow-insecure} and
 * the limits. {@link #create} validates them all at once and does no network I/O.
 */
public final class CartesiaProvider implements StreamingSynthesizerProvider {

  /** The provider's name. */
  public static final String NAME = CartesiaOptions.PROVIDER;

  /** The {@code Cartesia-Version} values this adapter is written for, oldest first. */
  public static final List<String> VERSIONS =
      List.of("2024-06-10", "2024-11-13", "2025-04-16", "2025-11-04", "2026-03-01", "2026-08-14");

  /** The {@code Cartesia-Version} sent when none is configured: the newest of {@link #VERSIONS}. */
  public static final String DEFAULT_VERSION = "2026-08-14";

  /** The model sent when none is configured or requested. */
  public static final String DEFAULT_MODEL = "sonic-3";

  /**
   * The voice sent when none is configured or requested: the default voice of LiveKit's Cartesia
   * plugin (Cartesia itself has no default voice).
   */
  public static final String DEFAULT_VOICE = "794f9389-aac1-45b6-b726-9d9369183238";

  static final ConfigKey<Secret> API_KEY =
      NetworkKeys.apiKey(
          "Cartesia API key, sent as Authorization: Bearer (never in a URL)", "CARTESIA_API_KEY");
  static final ConfigKey<URI> BASE_URL = NetworkKeys.baseUrl("https://api.cartesia.ai");
  static final ConfigKey<String> VERSION =
      ConfigKey.choice(
              "version",
              "the API version, sent as the Cartesia-Version header; decides the voice shape, whether"
                  + " locale is allowed, and the server's error format",
              VERSIONS.toArray(new String[0]))
          .withDefault(DEFAULT_VERSION);
  static final ConfigKey<String> MODEL =
      ConfigKey.string("model", "model_id when the options name none (sonic-3, sonic-3.5, ...)")
          .withCheck(CartesiaProvider::idProblem)
          .withDefault(DEFAULT_MODEL);
  static final ConfigKey<String> VOICE =
      ConfigKey.string("voice", "voice id when the options name none")
          .withCheck(CartesiaProvider::idProblem)
          .withDefault(DEFAULT_VOICE);
  static final ConfigKey<String> TRANSPORT =
      ConfigKey.choice(
              "transport",
              "default transport: websocket (contexts on shared sockets), sse or bytes (one request"
                  + " per sentence); CartesiaOptions.TRANSPORT overrides it per session",
              CartesiaOptions.WEBSOCKET,
              CartesiaOptions.SSE,
              CartesiaOptions.BYTES)
          .withDefault(CartesiaOptions.WEBSOCKET);
  static final ConfigKey<Integer> MAX_CONTEXTS_PER_SOCKET =
      ConfigKey.integer(
              "max-contexts-per-socket",
              "live contexts (sessions) per WebSocket; more sessions open another socket")
          .withRange(1, 100)
          .withDefault(16);
  static final ConfigKey<Duration> IDLE_TIMEOUT =
      ConfigKey.duration(
              "idle-timeout",
              "how long a WebSocket without contexts is kept for the next session (the server"
                  + " closes one idle for 5 minutes)")
          .withCheck(d -> d.isNegative() || d.isZero() ? "must be positive" : null)
          .withDefault(Duration.ofMinutes(4));
  static final ConfigKey<Integer> HTTP_PIPELINE =
      ConfigKey.integer(
              "http-pipeline",
              "HTTP requests (sse, bytes) a session keeps in flight: 2 lets the next sentence"
                  + " generate while the previous one plays; each counts against the concurrency"
                  + " limit")
          .withRange(1, 4)
          .withDefault(2);

  /** Creates the provider; cheap and free of I/O. */
  public CartesiaProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Cartesia Sonic: multiplexed WebSocket contexts, SSE and bytes, word timestamps";
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return NetworkKeys.keys(
        API_KEY,
        BASE_URL,
        List.of(VERSION, MODEL, VOICE, TRANSPORT),
        List.of(MAX_CONTEXTS_PER_SOCKET, IDLE_TIMEOUT, HTTP_PIPELINE));
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    NetworkSettings network = NetworkSettings.resolve(context, configKeys(), API_KEY, BASE_URL);
    return new CartesiaSynthesizer(
        new CartesiaSettings(
            network,
            network.get(VERSION),
            network.get(MODEL).trim(),
            network.get(VOICE).trim(),
            network.get(TRANSPORT),
            network.get(MAX_CONTEXTS_PER_SOCKET),
            network.get(IDLE_TIMEOUT),
            network.get(HTTP_PIPELINE)));
  }

  /** The problem of a model or voice id, or null: non-blank, at most 256 characters, printable. */
  static String idProblem(String v) {
    if (v.isBlank()) {
      return "must not be blank";
    }
    if (v.length() > 256) {
      return "must be at most 256 characters";
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "must not contain control characters";
      }
    }
    return null;
  }
}
