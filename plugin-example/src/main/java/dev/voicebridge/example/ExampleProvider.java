package dev.voicebridge.example;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderConfig;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.time.Duration;
import java.util.List;

/**
 * The ServiceLoader factory of the "example" provider: a deterministic tone synthesizer that needs
 * no key and no network. Registered in {@code META-INF/services} and in module-info's {@code
 * provides}. Its constructor does nothing (discovery instantiates every provider on the class
 * path); {@link #create} validates the configuration and starts no thread.
 */
public final class ExampleProvider implements StreamingSynthesizerProvider {
  /** The name configuration selects: {@code voicebridge.provider=example}. */
  public static final String NAME = "example";

  static final ConfigKey<Duration> CHAR_DURATION =
      ConfigKey.duration("char-duration", "how long the tone burst of one character lasts")
          .withDefault(Duration.ofMillis(30))
          .withCheck(
              d ->
                  d.compareTo(Duration.ofMillis(5)) < 0 || d.compareTo(Duration.ofSeconds(1)) > 0
                      ? "must be between 5ms and 1s"
                      : null);
  static final ConfigKey<Double> FREQUENCY =
      ConfigKey.decimal("frequency", "the tone of the letter 'a', in hertz")
          .withDefault(440.0)
          .withRange(50, 4000);
  static final ConfigKey<Duration> RESPONSE_TIMEOUT =
      ConfigKey.duration(
              "response-timeout", "how long a session may wait for audio before it times out")
          .withDefault(SessionSettings.DEFAULT_RESPONSE_TIMEOUT);

  /** For ServiceLoader: cheap, no I/O. */
  public ExampleProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "example plugin: a deterministic tone burst per character (PCM, offline)";
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return List.of(CHAR_DURATION, FREQUENCY, RESPONSE_TIMEOUT);
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    ProviderConfig cfg = context.resolve(configKeys());
    SessionSettings settings =
        SessionSettings.defaults()
            .withTicker(context.ticker())
            .withResponseTimeout(cfg.get(RESPONSE_TIMEOUT));
    return new ExampleSynthesizer(
        context.providerName(),
        new ToneGenerator(cfg.get(CHAR_DURATION), cfg.get(FREQUENCY)),
        settings);
  }
}
