package dev.voicebridge.spring.boot;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.cache.CachingSynthesizer;
import dev.voicebridge.cache.PhraseCache;
import dev.voicebridge.micrometer.PhraseCacheMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The phrase cache, when {@code voicebridge.cache.enabled=true} and {@code voicebridge-cache} is on
 * the class path: one {@link PhraseCache} bean (the application's own, if it defines one), closed
 * with the context, and every provider's synthesizer wrapped in a {@link CachingSynthesizer} that
 * uses it, inside the observation so that hits are observed too. Phrases never mix: the cache's key
 * holds the provider's name and the synthesizer's (its scope). The health probe's text is never
 * cached, so a probe reaches the vendor. With Micrometer, the cache's statistics are meters ({@link
 * PhraseCacheMetrics}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
    name = {"dev.voicebridge.cache.PhraseCache", "dev.voicebridge.cache.CachingSynthesizer"})
@ConditionalOnBooleanProperty(name = "voicebridge.cache.enabled")
class VoicebridgeCacheConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  PhraseCache voicebridgePhraseCache(VoicebridgeProperties properties) {
    VoicebridgeProperties.Cache c = properties.getCache();
    List<String> problems = new ArrayList<>();
    long memory = positive(c.getMaximumBytes(), "voicebridge.cache.maximum-bytes", problems);
    long disk = positive(c.getMaximumDiskBytes(), "voicebridge.cache.maximum-disk-bytes", problems);
    if (c.getMaxPhraseChars() < 1) {
      problems.add(
          "voicebridge.cache.max-phrase-chars must be positive (was "
              + c.getMaxPhraseChars()
              + ")");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(null, problems);
    }
    return PhraseCache.builder()
        .maximumBytes(memory)
        .maximumDiskBytes(disk)
        .directory(c.getDirectory())
        .build();
  }

  private static long positive(DataSize size, String property, List<String> problems) {
    if (size == null || size.toBytes() < 1) {
      problems.add(property + " must be positive (was " + size + ")");
      return 1;
    }
    return size.toBytes();
  }

  @Bean
  SynthesizerWrapper voicebridgePhraseCacheWrapper(
      PhraseCache phrases, VoicebridgeProperties properties) {
    int maxPhraseChars = properties.getCache().getMaxPhraseChars();
    VoicebridgeProperties.Health health = properties.getHealth();
    // a probe answered from the cache would say UP while the vendor is down
    Predicate<String> cacheable =
        health.isProbe() ? text -> !text.equals(health.getProbeText()) : text -> true;
    // the key holds the synthesizer's name: two synthesizers of one provider with other defaults
    // (voicebridge.synthesizers.<name>.properties) never replay each other's phrases
    return (name, vendor) ->
        CachingSynthesizer.builder(vendor)
            .cache(phrases)
            .scope(name)
            .maxPhraseChars(maxPhraseChars)
            .cacheable(cacheable)
            .build();
  }

  @Bean
  PhraseWarmer voicebridgePhraseWarmer(
      ObjectProvider<VoicebridgeSynthesizers> synthesizers, VoicebridgeProperties properties) {
    return new PhraseWarmer(
        () -> synthesizers.getObject().primary(), properties.getCache().getWarm());
  }

  /** The cache's statistics as meters, bound by Spring Boot's metrics to its registries. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "dev.voicebridge.micrometer.PhraseCacheMetrics",
        "io.micrometer.core.instrument.MeterRegistry"
      })
  @ConditionalOnBooleanProperty(name = "voicebridge.observation.enabled", matchIfMissing = true)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    PhraseCacheMetrics voicebridgePhraseCacheMetrics(PhraseCache phrases) {
      return new PhraseCacheMetrics(phrases);
    }
  }
}
