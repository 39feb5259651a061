package dev.voicebridge.fish;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.fish.internal.FishSettings;
import dev.voicebridge.fish.internal.FishSynthesizer;
import dev.voicebridge.kit.NetworkKeys;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.net.URI;
import java.util.List;

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
      NetworkKeys.apiKey("Fish Audio API key, sent as Authorization: Bearer", "FISH_API_KEY");
  static final ConfigKey<URI> BASE_URL = NetworkKeys.baseUrl("https://api.fish.audio");
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
  static final ConfigKey<Integer> MAX_IDLE_CONNECTIONS =
      ConfigKey.integer(
              "max-idle-connections", "idle WebSockets kept per model for reuse (0 = none)")
          .withRange(0, 64)
          .withDefault(4);

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
    return NetworkKeys.keys(
        API_KEY, BASE_URL, List.of(MODEL, VOICE, TRANSPORT), List.of(MAX_IDLE_CONNECTIONS));
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    NetworkSettings network = NetworkSettings.resolve(context, configKeys(), API_KEY, BASE_URL);
    return new FishSynthesizer(
        new FishSettings(
            network,
            network.get(MODEL).trim(),
            network.get(VOICE),
            network.get(TRANSPORT),
            network.get(MAX_IDLE_CONNECTIONS)));
  }

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
