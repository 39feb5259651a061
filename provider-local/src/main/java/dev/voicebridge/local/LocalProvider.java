package dev.voicebridge.local;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.local.internal.LocalSynthesizer;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.ProviderConfig;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.time.Duration;
import java.util.List;

/**
 * The ServiceLoader factory of the local provider ({@code voicebridge.provider=local}): offline
 * speech synthesized on this machine by FreeTTS, with no API key and no network.
 *
 * <p>Keys live under {@code voicebridge.local.}: {@code voice} (default {@value #DEFAULT_VOICE},
 * the only voice shipped) and {@code response-timeout} (default 20s). {@link #create} validates the
 * configuration and is cheap: the FreeTTS voice is loaded on the synthesizer's worker thread when
 * the first session opens.
 */
public final class LocalProvider implements StreamingSynthesizerProvider {

  /** The provider's name. */
  public static final String NAME = "local";

  /** The default voice: FreeTTS's 16 kHz diphone voice {@code kevin16}. */
  public static final String DEFAULT_VOICE = "kevin16";

  /** The voices this provider can speak with. */
  public static final List<String> VOICES = List.of(DEFAULT_VOICE);

  static final ConfigKey<String> VOICE =
      ConfigKey.choice(
              "voice",
              "voice used when a session names none (only kevin16 ships with FreeTTS here)",
              VOICES.toArray(String[]::new))
          .withDefault(DEFAULT_VOICE);

  static final ConfigKey<Duration> RESPONSE_TIMEOUT =
      ConfigKey.duration(
              "response-timeout", "how long synthesis may stay silent while audio is owed")
          .withCheck(d -> d.isNegative() || d.isZero() ? "must be positive" : null)
          .withDefault(SessionSettings.DEFAULT_RESPONSE_TIMEOUT);

  /** Creates the provider; cheap and free of I/O. */
  public LocalProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "offline speech on this machine with FreeTTS (voice kevin16); no key, no network";
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return List.of(VOICE, RESPONSE_TIMEOUT, Limits.MAX_BUFFERED_AUDIO_BYTES, Limits.MAX_TEXT_CHARS);
  }

  /**
   * Validates the configuration and creates a synthesizer. Loads nothing and starts no thread: the
   * voice is loaded lazily, once, by the synthesizer's worker thread.
   *
   * @throws dev.voicebridge.ConfigurationException listing every problem
   */
  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    ProviderConfig config = context.resolve(configKeys());
    SessionSettings settings =
        Limits.apply(
            config,
            SessionSettings.defaults()
                .withTicker(context.ticker())
                .withResponseTimeout(config.get(RESPONSE_TIMEOUT)));
    return new LocalSynthesizer(config.get(VOICE), settings);
  }
}
