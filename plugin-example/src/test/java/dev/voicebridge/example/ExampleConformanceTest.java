package dev.voicebridge.example;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.spi.conformance.ServerControl;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The example provider passes the conformance suite. It has no server, so the fixture's control is
 * empty and the rules that need one (faults, server records) are skipped.
 */
class ExampleConformanceTest extends StreamingSynthesizerContract {

  // tag::fixture[]
  @Override
  protected ConformanceFixture createFixture() {
    StreamingSynthesizer synth =
        StreamingSynthesizers.fromConfig(
            VoicebridgeConfig.of(
                Map.of(
                    "voicebridge.provider", "example",
                    "voicebridge.example.response-timeout", "2s")));
    return new ConformanceFixture() {
      @Override
      public StreamingSynthesizer synthesizer() {
        return synth;
      }

      @Override
      public Optional<ServerControl> control() {
        return Optional.empty();
      }

      @Override
      public SynthesisOptions options() {
        return SynthesisOptions.builder().format(AudioFormat.PCM_16K).build();
      }

      @Override
      public Duration timeout() {
        return Duration.ofSeconds(10);
      }

      @Override
      public void close() {
        synth.close();
      }
    };
  }
  // end::fixture[]
}
