package dev.voicebridge.spring.boot.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Reads {@link AutoConfigureVoicebridgeEmulator} on a test class (registered in {@code
 * META-INF/spring.factories}); inert without the annotation or without the emulator on the class
 * path.
 */
class EmulatorContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    AutoConfigureVoicebridgeEmulator a =
        TestContextAnnotationUtils.findMergedAnnotation(
            testClass, AutoConfigureVoicebridgeEmulator.class);
    if (a == null) {
      return null;
    }
    return new Customizer(a.provider(), a.frameMillis());
  }

  /** Starts the emulators for one context; equal settings share a cached context. */
  static final class Customizer implements ContextCustomizer {
    private final String provider;
    private final int frameMillis;

    Customizer(String provider, int frameMillis) {
      this.provider = provider;
      this.frameMillis = frameMillis;
    }

    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration config) {
      VoicebridgeEmulators emulators = VoicebridgeEmulators.start(frameMillis);
      Map<String, Object> props = new LinkedHashMap<>();
      for (String vendor : emulators.vendors()) {
        props.put("voicebridge." + vendor + ".base-url", emulators.baseUrl(vendor).toString());
        props.put("voicebridge." + vendor + ".api-key", emulators.apiKey());
      }
      if (!provider.isBlank()) {
        props.put("voicebridge.provider", provider);
      }
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource("voicebridgeEmulators", props));
      ConfigurableListableBeanFactory bf = context.getBeanFactory();
      bf.registerSingleton("voicebridgeEmulators", emulators);
      if (bf instanceof DefaultListableBeanFactory d) {
        d.registerDisposableBean("voicebridgeEmulators", emulators::close);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Customizer c
          && c.provider.equals(provider)
          && c.frameMillis == frameMillis;
    }

    @Override
    public int hashCode() {
      return Objects.hash(provider, frameMillis);
    }
  }
}
