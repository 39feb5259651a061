package dev.voicebridge.local;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.ServerControl;
import java.util.Map;
import java.util.Optional;

/**
 * The conformance suite on the local provider. There is no server, so the rules that need one
 * (server records, injected faults, server-side connections) are skipped by the suite.
 */
class LocalConformanceTest extends StreamingSynthesizerContract {

  @Override
  protected ConformanceFixture createFixture() {
    StreamingSynthesizer synth =
        new LocalProvider()
            .create(
                ProviderContext.of(
                    "local",
                    VoicebridgeConfig.of(Map.of("voicebridge.local.response-timeout", "10s"))));
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
        return SynthesisOptions.builder().format(AudioFormat.pcm(16_000)).build();
      }

      @Override
      public void close() {
        synth.close();
      }
    };
  }
}
