package dev.voicebridge.latency;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.util.List;

/**
 * A provider found by {@code ServiceLoader} in this module's tests, whose secret key has a name
 * that does not look secret: reports must mask it because its {@link ConfigKey} says so.
 */
public final class TestProvider implements StreamingSynthesizerProvider {
  /** For {@code ServiceLoader}. */
  public TestProvider() {}

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return List.of(
        ConfigKey.secret("credential", "a secret whose name does not say so"),
        ConfigKey.string("model", "a plain setting"));
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    throw new UnsupportedOperationException("only its keys are used");
  }
}
