package dev.voicebridge.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags of the session observation; implement it (or extend {@link
 * DefaultSynthesisObservationConvention}) to change them.
 */
public interface SynthesisObservationConvention
    extends ObservationConvention<SynthesisObservationContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof SynthesisObservationContext;
  }
}
