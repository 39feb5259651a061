package dev.voicebridge.fish;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.fish.internal.FishSettings;
import dev.voicebridge.fish.internal.FishSynthesizer;
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
 * The ServiceLoader factory of the Fish Audio provider ({@code voicebridge.provider=fish}). Keys
 * live under {@code voicebridge.fish.}; the API key falls back to the {@code FISH_API_KEY}
 * environment variable. {@link #create} validates everything and does no network I/O.
 */
public final class FishProvider implements StreamingSynthesizerProvider {

  /** The provider's name. */
  public static final String NAME = "fish";

  /**
   * The model sent when none is configured or requested. Pinned instead of left to the server,
   * whose default changed five times in a year; {@code s2-pro} is the default of Fish's own Python
   * and Go SDKs and of the vendor's direct-API example.
   */
  public static final String DEFAULT_MODEL = "s2-pro";

  static final ConfigKey<Secret> API_KEY =
      ConfigKey.secret("api-key", "Fish Audio API key, sent as Authorization: Bearer")
          .withCheck(
              k ->
                  hasControlCharacter(k.reveal())
                      ? "contains a line break or another control character"
                      : null)
          .required()
          .withEnvironmentFallback("FISH_API_KEY");
  static final ConfigKey<URI> BASE_URL =
      ConfigKey.uri("base-url", "REST base URL; the WebSocket URL is derived (https -> wss)")
          .withCheck(
              u -> {
                String s = u.getScheme().toLowerCase(Locale.ROOT);
                return s.equals("http") || s.equals("https") ? null : "must be http or https";
              })
          .withDefault(URI.create("https://api.fish.audio"));
  static final ConfigKey<String> MODEL =
      ConfigKey.string("model", "model, sent as the 'model' header (s1, s2-pro, s2.1-pro, ...)")
          .withCheck(
              v ->
                  v.isBlank()
                      ? "must not be blank"
                      : hasControlCharacter(v) ? "must not contain control characters" : null)
          .withDefault(DEFAULT_MODEL);
  static final ConfigKey<String> VOICE =
      ConfigKey.string("voice", "default voice (reference_id) when a session names none");
  static final ConfigKey<String> TRANSPORT =
      ConfigKey.choice(
              "transport",
              "default transport; FishOptions.TRANSPORT overrides it per session",
              FishOptions.WEBSOCKET,
              FishOptions.HTTP)
          .withDefault(FishOptions.WEBSOCKET);
  static final ConfigKey<Duration> RESPONSE_TIMEOUT =
      ConfigKey.duration(
              "response-timeout", "how long the server may stay silent while owing audio")
          .withCheck(d -> d.isNegative() || d.isZero() ? "must be positive" : null)
          .withDefault(Duration.ofSeconds(20));
  static final ConfigKey<Duration> CONNECT_TIMEOUT =
      ConfigKey.duration("connect-timeout", "TCP/TLS connect and WebSocket handshake timeout")
          .withCheck(d -> d.isNegative() || d.isZero() ? "must be positive" : null)
          .withDefault(Duration.ofSeconds(10));
  static final ConfigKey<Integer> MAX_IDLE_CONNECTIONS =
      ConfigKey.integer(
              "max-idle-connections", "idle WebSockets kept per model for reuse (0 = none)")
          .withRange(0, 64)
          .withDefault(4);
  static final ConfigKey<Boolean> ALLOW_INSECURE =
      ConfigKey.bool("allow-insecure", "allow plain http/ws to a host that is not loopback")
          .withDefault(false);

  /** Creates the provider; cheap and free of I/O. */
  public FishProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Fish Audio: WebSocket /v1/tts/live (MessagePack) or HTTP /v1/tts";
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
                MAX_IDLE_CONNECTIONS,
                ALLOW_INSECURE));
    // max-frame-bytes (enforced per WebSocket message), max-buffered-audio-bytes, max-text-chars
    keys.addAll(Limits.keys());
    return List.copyOf(keys);
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    ProviderConfig c = context.resolve(configKeys());
    URI base = c.get(BASE_URL);
    String insecure =
        Endpoints.problem(
            base,
            c.get(ALLOW_INSECURE),
            context.prefix() + "base-url",
            context.prefix() + "allow-insecure");
    if (insecure != null) {
      throw new ConfigurationException(NAME, insecure);
    }
    FishSettings settings =
        new FishSettings(
            c.get(API_KEY),
            base,
            c.get(MODEL).trim(),
            c.get(VOICE),
            c.get(TRANSPORT),
            c.get(RESPONSE_TIMEOUT),
            c.get(CONNECT_TIMEOUT),
            c.get(MAX_IDLE_CONNECTIONS),
            c.get(Limits.MAX_FRAME_BYTES));
    return new FishSynthesizer(settings, c, context.ticker(), context.httpClient().orElse(null));
  }

  /**
   * Whether {@code host} names the loopback interface: {@code localhost}, {@code *.localhost}, an
   * IPv4 literal 127.x.x.x or the IPv6 literal ::1. A DNS name such as {@code
   * 127.0.0.1.example.com} is not loopback.
   */

  /** Whether {@code s} has a character below U+0020 or U+007F (never valid in a header). */
  static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
