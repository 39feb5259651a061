package dev.voicebridge.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisReport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerTest {
  static final AudioFormat F = AudioFormat.PCM_16K; // 32 bytes per ms

  private static AudioChunk chunk(long arrivalMs, int audioMs) {
    return new AudioChunk(
        ByteBuffer.allocate(audioMs * 32),
        F,
        0,
        0,
        arrivalMs * 1_000_000L,
        Duration.ofMillis(arrivalMs));
  }

  private static SynthesisReport report() {
    return SynthesisReport.builder("x", F)
        .outcome(SynthesisReport.Outcome.COMPLETED)
        .connection(Duration.ofMillis(5), false)
        .timeToFirstAudio(Duration.ofMillis(100))
        .timeToLastAudio(Duration.ofMillis(600))
        .lastAudioAfterFinish(Duration.ofMillis(50))
        .audioDuration(Duration.ofMillis(700))
        .counts(10, 22400, 4, 0)
        .build();
  }

  @Test
  void underrunsCountOnlyWhenTextHadBeenGiven() {
    // chunk 2 arrives 100 ms after chunk 1 finished playing: an underrun;
    // chunk 4 arrives after a pause, but a new turn started in that pause: not an underrun
    List<AudioChunk> chunks =
        List.of(chunk(100, 200), chunk(400, 100), chunk(450, 100), chunk(2000, 300));
    RunResult r =
        Runner.measure("x", 0, false, report(), null, chunks, List.of(0L, 1_500_000_000L));
    assertThat(r.underruns()).isEqualTo(1);
    assertThat(r.underrunMs()).isCloseTo(100, within(1e-6));
    assertThat(r.maxGapMs()).isCloseTo(1550, within(1e-6));
    assertThat(r.chunks().get(0).arrivalMs()).isCloseTo(100, within(1e-6));
    assertThat(r.chunks().get(3).arrivalMs()).isCloseTo(2000, within(1e-6));
    assertThat(r.firstAudioMs()).isEqualTo(100.0);
    assertThat(r.realTimeFactor()).isCloseTo(600.0 / 700.0, within(1e-9));
  }
}
