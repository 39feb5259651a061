package dev.voicebridge.spi;

import dev.voicebridge.StreamingSynthesizer;
import java.util.List;

/**
 * The factory a provider registers with {@link java.util.ServiceLoader}, in both {@code
 * META-INF/services/dev.voicebridge.spi.StreamingSynthesizerProvider} and {@code module-info}'s
 * {@code provides}. Constructing it must be cheap and free of I/O: discovery instantiates every
 * provider on the class path, and only the selected one is asked to {@link #create}.
 */
public interface StreamingSynthesizerProvider {

  /** {@return the name used in configuration ({@code voicebridge.provider=fish}); lower case} */
  String name();

  /** {@return one line for listings} */
  default String description() {
    return name();
  }

  /** {@return every configuration key, relative to {@code voicebridge.<name>.}} */
  List<ConfigKey<?>> configKeys();

  /**
   * Validates the configuration (every problem at once) and creates a synthesizer. No network I/O.
   *
   * @param context the configuration and the clock
   * @return the synthesizer
   * @throws dev.voicebridge.ConfigurationException listing every problem
   */
  StreamingSynthesizer create(ProviderContext context);
}
