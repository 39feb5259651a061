package dev.voicebridge.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.cache.CachingSynthesizer;
import dev.voicebridge.cache.PhraseCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PhraseCacheMetricsTest {
  final MemorySynthesizer vendor = new MemorySynthesizer(System::nanoTime);
  final MeterRegistry meters = new SimpleMeterRegistry();

  private double counter(String name) {
    return meters.get(name).functionCounter().count();
  }

  private double gauge(String name) {
    return meters.get(name).gauge().value();
  }

  private static SynthesisSession say(CachingSynthesizer tts, String text) {
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    s.sendText(text);
    s.finish();
    return s;
  }

  private static byte[] readAll(SynthesisSession session) {
    try (SynthesisStream s = session.stream()) {
      return s.readAllAudio();
    }
  }

  /** Completes the vendor's latest session with {@code bytes} of audio. */
  private void vendorSpeaks(int bytes) {
    vendor.last().audio(ByteBuffer.allocate(bytes));
    vendor.last().complete();
  }

  @Test
  void theCacheStatisticsAreMetersThatFollowTheCache() {
    // room for one phrase of 10 kB: the second evicts one
    try (PhraseCache phrases = PhraseCache.inMemory(15_000);
        CachingSynthesizer tts = CachingSynthesizer.builder(vendor).cache(phrases).build()) {
      new PhraseCacheMetrics(phrases).bindTo(meters);
      assertThat(counter(PhraseCacheMetrics.HITS)).isZero();
      assertThat(gauge(PhraseCacheMetrics.ENTRIES)).isZero();

      SynthesisSession first = say(tts, "One moment please.");
      SynthesisSession second = say(tts, "One moment please."); // joins the running synthesis
      assertThat(vendor.sinks).hasSize(1);
      vendorSpeaks(10_000);
      assertThat(readAll(first)).hasSize(10_000);
      assertThat(readAll(second)).hasSize(10_000);
      try (SynthesisStream third = say(tts, "One moment please.").stream()) {
        assertThat(third.readAllAudio()).hasSize(10_000);
        assertThat(CachingSynthesizer.isCached(third.report())).isTrue();
      }
      assertThat(counter(PhraseCacheMetrics.HITS)).isEqualTo(1);
      assertThat(counter(PhraseCacheMetrics.MISSES)).isEqualTo(1);
      assertThat(counter(PhraseCacheMetrics.SHARED)).isEqualTo(1);
      assertThat(counter(PhraseCacheMetrics.EVICTIONS)).isZero();
      assertThat(gauge(PhraseCacheMetrics.ENTRIES)).isEqualTo(1);
      assertThat(gauge(PhraseCacheMetrics.BYTES)).isGreaterThanOrEqualTo(10_000);
      assertThat(meters.get(PhraseCacheMetrics.BYTES).gauge().getId().getBaseUnit())
          .isEqualTo("bytes");

      SynthesisSession other = say(tts, "Sorry, I didn't catch that.");
      vendorSpeaks(10_000);
      assertThat(readAll(other)).hasSize(10_000);
      assertThat(counter(PhraseCacheMetrics.MISSES)).isEqualTo(2);
      assertThat(counter(PhraseCacheMetrics.EVICTIONS)).isEqualTo(1);
      assertThat(gauge(PhraseCacheMetrics.ENTRIES)).isEqualTo(1);
      assertThat(gauge(PhraseCacheMetrics.BYTES))
          .isEqualTo((double) phrases.stats().bytes())
          .isLessThanOrEqualTo(15_000);
    }
  }

  @Test
  void itRegistersSixMetersOnceHoweverOftenItIsBound() {
    try (PhraseCache phrases = PhraseCache.inMemory(1 << 20)) {
      PhraseCacheMetrics metrics = new PhraseCacheMetrics(phrases);
      metrics.bindTo(meters);
      metrics.bindTo(meters);
      assertThat(meters.getMeters())
          .extracting(m -> m.getId().getName())
          .containsExactlyInAnyOrder(
              PhraseCacheMetrics.HITS,
              PhraseCacheMetrics.MISSES,
              PhraseCacheMetrics.SHARED,
              PhraseCacheMetrics.EVICTIONS,
              PhraseCacheMetrics.BYTES,
              PhraseCacheMetrics.ENTRIES);
    }
  }
}
