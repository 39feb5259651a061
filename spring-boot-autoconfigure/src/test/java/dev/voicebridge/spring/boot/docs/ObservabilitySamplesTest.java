package dev.voicebridge.spring.boot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The samples of docs/observability.md run (the docs module checks that the page shows them as they
 * are here).
 */
class ObservabilitySamplesTest {
  @Test
  void theMetricsSampleRecordsASession() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (StreamingSynthesizer tts =
        ObservabilitySamples.metricsOnly(
            VoicebridgeConfig.of(Map.of("voicebridge.provider", "local")), meters)) {
      try (SynthesisStream s = tts.synthesize("Sampled.")) {
        s.readAllAudio();
      }
    }
    assertThat(meters.get("voicebridge.session").timer().count()).isEqualTo(1);
  }
}
