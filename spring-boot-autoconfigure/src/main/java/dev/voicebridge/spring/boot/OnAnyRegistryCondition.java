package dev.voicebridge.spring.boot;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.ConfigurationCondition;

/** Matches when the application has an observation registry or a meter registry. */
class OnAnyRegistryCondition extends AnyNestedCondition {
  OnAnyRegistryCondition() {
    super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
  }

  @ConditionalOnBean(type = "io.micrometer.observation.ObservationRegistry")
  static class HasObservationRegistry {}

  @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
  static class HasMeterRegistry {}
}
