package dev.voicebridge.spring.boot;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.observe.SessionListener;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * Creates the synthesizers the {@code voicebridge.*} properties describe ({@link
 * VoicebridgeSynthesizers}): the default one as the primary {@link StreamingSynthesizer} bean, each
 * named one as a bean with its name as qualifier ({@code @Qualifier("fast")}), every session
 * observed by the {@link SessionListener} beans (the Micrometer instrumentation among them); with
 * {@code voicebridge.cache.enabled=true}, each behind the phrase cache.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnBooleanProperty(name = "voicebridge.enabled", matchIfMissing = true)
@EnableConfigurationProperties(VoicebridgeProperties.class)
@Import({
  NamedSynthesizerRegistrar.class,
  VoicebridgeMicrometerConfiguration.class,
  VoicebridgeCacheConfiguration.class,
  VoicebridgeHealthConfiguration.class,
  VoicebridgeSanitizingConfiguration.class
})
public class VoicebridgeAutoConfiguration {

  /**
   * What wraps each provider's synthesizer (the phrase cache), if anything: a field rather than a
   * parameter of {@link #voicebridgeSynthesizers}, whose signature is public API.
   */
  @Autowired private ObjectProvider<SynthesizerWrapper> wrappers;

  /** Created by Spring Boot, which finds it in the auto-configuration imports. */
  public VoicebridgeAutoConfiguration() {}

  /**
   * {@return every synthesizer, closed with the application context}
   *
   * @param environment the environment
   * @param properties the properties
   * @param listeners the listeners
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public VoicebridgeSynthesizers voicebridgeSynthesizers(
      Environment environment,
      VoicebridgeProperties properties,
      ObjectProvider<SessionListener> listeners) {
    StreamingSynthesizers.Discovery discovery = StreamingSynthesizers.discover();
    List<SessionListener> ls = listeners.orderedStream().toList();
    return VoicebridgeSynthesizers.create(
        SpringConfigBridge.read(environment, discovery.providers()),
        properties,
        discovery,
        ls,
        wrappers.getIfAvailable(() -> SynthesizerWrapper.NONE));
  }

  /**
   * {@return the default synthesizer (closed by {@link VoicebridgeSynthesizers})}
   *
   * @param synthesizers the synthesizers
   */
  @Bean(destroyMethod = "")
  @Primary
  @ConditionalOnMissingBean(StreamingSynthesizer.class)
  public StreamingSynthesizer streamingSynthesizer(VoicebridgeSynthesizers synthesizers) {
    return synthesizers.primary();
  }
}
