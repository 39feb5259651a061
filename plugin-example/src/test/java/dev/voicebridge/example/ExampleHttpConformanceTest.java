package dev.voicebridge.example;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import java.time.Duration;

/**
 * The whole conformance suite over the example's {@code http} transport, against {@link
 * ToneServer}: what a third party writes for its own network provider. The fixture is the recipe
 * below; the rules whose faults the tone server cannot inject (error frames, malformed frames: a
 * raw PCM body has no frames) are skipped, not passed.
 */
// tag::network-fixture[]
class ExampleHttpConformanceTest extends StreamingSynthesizerContract {
  static final String KEY = "sk-canary-tones-51e0c7";

  static final NetworkFixture FIXTURE =
      NetworkFixture.of(new ExampleProvider(), () -> new ToneServer(KEY))
          .apiKey(KEY)
          .config("transport", "http")
          .responseTimeout(Duration.ofSeconds(2))
          .options(SynthesisOptions.builder().format(AudioFormat.PCM_16K).build());

  @Override
  protected ConformanceFixture createFixture() {
    return FIXTURE.create();
  }
}
// end::network-fixture[]
