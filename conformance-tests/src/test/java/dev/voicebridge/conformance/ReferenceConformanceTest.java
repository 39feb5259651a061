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
import java.util.OptionalInt;

/** Proves the conformance suite on the reference in-memory provider. */
class ReferenceConformanceTest extends StreamingSynthesizerContract {
  static final int MAX_FRAME_BYTES = 32 * 1024;

  /** A distinctive key, so [SEC1] can look for it everywhere. */
  static final String KEY = "sk-canary-reference-4b7a";

  @Override
  protected ConformanceFixture createFixture() {
    ReferenceServer server = new ReferenceServer();
    ReferenceProvider.server = server;
    StreamingSynthesizer synth =
        StreamingSynthesizers.create(
            "reference",
            VoicebridgeConfig.of(
                Map.of(
                    "voicebridge.reference.api-key",
                    KEY,
                    "voicebridge.reference.response-timeout",
                    "1s",
                    "voicebridge.reference.max-frame-bytes",
                    String.valueOf(MAX_FRAME_BYTES))));
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
      public Optional<String> apiKey() {
        return Optional.of(KEY);
      }

      @Override
      public OptionalInt maxFrameBytes() {
        return OptionalInt.of(MAX_FRAME_BYTES);
      }

      @Override
      public Optional<Duration> responseTimeout() {
        return Optional.of(Duration.ofSeconds(1));
      }

      @Override
      public void close() throws Exception {
        synth.close();
        server.close();
      }
    };
  }
}
