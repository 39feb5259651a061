package dev.voicebridge.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast an emulated vendor answers: the delay before the first audio frame of each generation,
 * the pacing of the following frames, and a random extra delay per frame.
 *
 * @param firstAudio delay before the first audio frame of each generation (a piece of text being
 *     synthesized), not negative
 * @param pace audio seconds sent per wall-clock second: 1.0 is real time, 2.0 twice as fast, 0 as
 *     fast as possible
 * @param jitter the maximum random extra delay per frame (drawn from the emulator's seeded random),
 *     not negative
 */
public record LatencyProfile(Duration firstAudio, double pace, Duration jitter) {

  /** No delay at all: frames go out as fast as they are produced. For tests. */
  public static final LatencyProfile ZERO = new LatencyProfile(Duration.ZERO, 0, Duration.ZERO);

  /**
   * Compact constructor: validates the values.
   *
   * @param firstAudio delay before the first audio frame of each generation (a piece of text being
   *     synthesized), not negative
   * @param pace audio seconds sent per wall-clock second: 1.0 is real time, 2.0 twice as fast, 0 as
   *     fast as possible
   * @param jitter the maximum random extra delay per frame (drawn from the emulator's seeded
   *     random), not negative
   */
  public LatencyProfile {
    Objects.requireNonNull(firstAudio, "firstAudio");
    Objects.requireNonNull(jitter, "jitter");
    if (firstAudio.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("firstAudio and jitter must not be negative");
    }
    if (!(pace >= 0) || Double.isInfinite(pace)) {
      throw new IllegalArgumentException("pace must be a finite number >= 0: " + pace);
    }
  }

  /**
   * {@return the wall-clock time that {@code audio} of audio takes to send at this profile's pace
   * (zero when the pace is 0)}
   *
   * @param audio a playing time
   */
  public Duration wallTimeOf(Duration audio) {
    if (pace == 0 || audio.isZero() || audio.isNegative()) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.round(audio.toNanos() / pace));
  }
}
