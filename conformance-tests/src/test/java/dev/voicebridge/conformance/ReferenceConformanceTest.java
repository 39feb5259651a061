package dev.voicebridge.conformance;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.conformance.ServerControl;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Proves the conformance suite on the reference in-memory provider. */
class ReferenceConformanceTest extends StreamingSynthesizerContract {

  @Override
  protected ConformanceFixture createFixture() {
    ReferenceServer server = new ReferenceServer();
    ReferenceProvider.server = server;
    StreamingSynthesizer synth =
        StreamingSynthesizers.create(
            "reference",
            VoicebridgeConfig.of(Map.of("voicebridge.reference.response-timeout", "1s")));
    return new ConformanceFixture() {
      @Override
      public StreamingSynthesizer synthesizer() {
        return synth;
      }

      @Override
      public Optional<ServerControl> control() {
        return Optional.of(server);
      }

      @Override
      public SynthesisOptions options() {
        return SynthesisOptions.builder().format(AudioFormat.pcm(16_000)).build();
      }

      @Override
      public Duration timeout() {
        return Duration.ofSeconds(10);
      }

      @Override
      public void close() throws Exception {
        synth.close();
        server.close();
      }
    };
  }
}
