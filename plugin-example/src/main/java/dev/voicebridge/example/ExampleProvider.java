package dev.voicebridge.example;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.kit.NetworkKeys;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.Transports;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The ServiceLoader factory of the "example" provider: a deterministic tone synthesizer that needs
 * no key and no network (transport {@code in-process}, the default), or the same tones from a tone
 * vendor's HTTP API (transport {@code http}), built on the provider kit as a third-party network
 * provider would be. Registered in {@code META-INF/services} and in module-info's {@code provides}.
 * Its constructor does nothing (discovery instantiates every provider on the class path); {@link
 * #create} validates the configuration and starts no thread.
 */
// tag::factory[]
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
  static final ConfigKey<String> TRANSPORT =
      ConfigKey.choice(
              "transport",
              "in-process (the tones are made here) or http (a tone vendor's API at base-url, through"
                  + " the provider kit)",
              ExampleSynthesizer.IN_PROCESS,
              Transports.HTTP)
          .withDefault(ExampleSynthesizer.IN_PROCESS);
  static final ConfigKey<Secret> API_KEY =
      ConfigKey.secret("api-key", "the tone vendor's key, sent as Authorization: Bearer (http)");
  static final ConfigKey<URI> BASE_URL = NetworkKeys.baseUrl("https://tones.example.com");

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
    // the shared keys of the provider kit: base-url, the timeouts, allow-insecure, the limits
    return NetworkKeys.keys(API_KEY, BASE_URL, CHAR_DURATION, FREQUENCY, TRANSPORT);
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    // every problem at once, or a ConfigurationException; the base-URL rules included
    NetworkSettings network = NetworkSettings.resolve(context, configKeys(), API_KEY, BASE_URL);
    return new ExampleSynthesizer(
        context.providerName(),
        new ToneGenerator(network.get(CHAR_DURATION), network.get(FREQUENCY)),
        network,
        network.get(TRANSPORT));
  }
}
// end::factory[]
