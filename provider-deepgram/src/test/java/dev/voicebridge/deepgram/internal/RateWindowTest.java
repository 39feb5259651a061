package dev.voicebridge.deepgram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sliding window behind the character and flush limits, on a hand-moved clock. */
class RateWindowTest {
  @Test
  void spendsWithinTheWindowAndFreesAsItSlides() {
    RateWindow w = new RateWindow(10, 1_000);
    assertThat(w.remaining(0)).isEqualTo(10);
    w.spend(0, 4);
    w.spend(300, 6);
    assertThat(w.remaining(500)).isZero();
    assertThat(w.nanosUntilUsedAtMost(500, 9)).isEqualTo(500); // the 4 at t=0 leave at 1000
    assertThat(w.nanosUntilUsedAtMost(500, 3)).isEqualTo(800); // the 6 at t=300 leave at 1300
    assertThat(w.nanosUntilUsedAtMost(500, 10)).isZero();
    assertThat(w.remaining(999)).isZero();
    assertThat(w.remaining(1_000)).isEqualTo(4);
    assertThat(w.remaining(1_300)).isEqualTo(10);
    w.spend(1_300, 0);
    assertThat(w.used(1_300)).isZero();
  }
}
