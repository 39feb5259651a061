package dev.voicebridge.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.deepgram.DeepgramEmulator;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The adapter against the emulator's flush limit: a flush the server refuses with {@code
 * EXCESSIVE_FLUSH} is a warning, not a failure, and is sent again until the server accepts it, so
 * the session still completes with all its audio.
 */
class DeepgramEmulatorLimitsTest {

  /** The emulator's clock, moved by hand past its rate window. */
  static final class TestClock extends Clock {
    volatile long millis = 1_000_000;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void aRefusedFlushIsAWarningAndIsSentAgain() throws Exception {
    TestClock clock = new TestClock();
    try (DeepgramEmulator emulator =
            DeepgramEmulator.start(
                EmulatorConfig.builder().apiKey(DeepgramConformanceTest.KEY).build(),
                DeepgramEmulator.Options.builder().maxFlushesPerWindow(2).clock(clock).build());
        StreamingSynthesizer synth =
            new DeepgramProvider()
                .create(
                    ProviderContext.of(
                        "deepgram",
                        VoicebridgeConfig.of(
                            Map.of(
                                "voicebridge.deepgram.api-key",
                                DeepgramConformanceTest.KEY,
                                "voicebridge.deepgram.base-url",
                                emulator.baseUrl().toString(),
                                "voicebridge.deepgram.response-timeout",
                                "10s"))))) {
      SynthesisSession s = synth.open(SynthesisOptions.defaults());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText("One.");
      s.flush();
      s.sendText(" Two.");
      s.flush();
      s.sendText(" Three.");
      s.finish();
      // the server accepted two flushes and refused the third
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !emulator.control().sessions().isEmpty() && flushes(emulator) == 3);
      assertThat(rec.terminalSignals()).isZero();
      clock.millis += Duration.ofSeconds(61).toMillis(); // the window frees up
      SynthesisReport report = s.completion().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(rec.awaitTerminal(Duration.ofSeconds(5))).isTrue();
      assertThat(rec.completed()).isTrue();
      assertThat(report.warnings()).anyMatch(w -> w.contains("EXCESSIVE_FLUSH"));
      ServerRecord r = emulator.control().lastSession();
      assertThat(r.flushes()).isGreaterThanOrEqualTo(4); // the refused one, then again
      assertThat(r.completed()).isTrue();
      assertThat(r.text()).isEqualTo("One. Two. Three.");
      assertThat(rec.audioSha256()).isEqualTo(r.audioSha256());
      assertThat(report.attributes()).containsEntry("flushes", "3");
    }
  }

  private static int flushes(DeepgramEmulator e) {
    return e.control().lastSession().flushes();
  }
}
