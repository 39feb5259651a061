package dev.voicebridge.spring.boot;

import dev.voicebridge.micrometer.MicrometerSessionListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The Micrometer instrumentation, when {@code voicebridge-micrometer} and Micrometer are on the
 * class path and the application has an {@link ObservationRegistry} or a {@link MeterRegistry}
 * (Spring Boot's actuator provides both): sessions become the {@code voicebridge.session}
 * observation (timer, active sessions, span) plus the core's figures as meters.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
    name = {
      "dev.voicebridge.micrometer.MicrometerSessionListener",
      "io.micrometer.observation.ObservationRegistry",
      "io.micrometer.core.instrument.MeterRegistry"
    })
@ConditionalOnBooleanProperty(name = "voicebridge.observation.enabled", matchIfMissing = true)
class VoicebridgeMicrometerConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnAnyRegistryCondition.class)
  MicrometerSessionListener voicebridgeMicrometerSessionListener(
      ObjectProvider<ObservationRegistry> observations,
      ObjectProvider<MeterRegistry> meters,
      VoicebridgeProperties properties) {
    MicrometerSessionListener.Builder b =
        MicrometerSessionListener.builder().tagVoice(properties.getObservation().isTagVoice());
    observations.ifAvailable(b::observationRegistry);
    meters.ifAvailable(b::meterRegistry);
    return b.build();
  }
}
