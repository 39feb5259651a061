package dev.voicebridge.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A health indicator per synthesizer under {@code voicebridge} ({@code
 * /actuator/health/voicebridge}, one component per name), when Spring Boot's health support is on
 * the class path. Turned off with {@code management.health.voicebridge.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("voicebridge")
class VoicebridgeHealthConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "voicebridgeHealthContributor")
  CompositeHealthContributor voicebridgeHealthContributor(
      VoicebridgeSynthesizers synthesizers, VoicebridgeProperties properties) {
    Map<String, HealthContributor> all = new LinkedHashMap<>();
    synthesizers
        .all()
        .forEach(
            (name, s) -> all.put(name, new SynthesizerHealthIndicator(s, properties.getHealth())));
    return CompositeHealthContributor.fromMap(all);
  }
}
