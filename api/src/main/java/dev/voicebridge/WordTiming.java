package dev.voicebridge;

import java.time.Duration;
import java.util.Objects;

/**
 * When a word is spoken, on the session's audio timeline (zero is the first sample of the first
 * chunk). Timings of a session are monotonic: each word starts no earlier than the previous one.
 *
 * @param word the word as the vendor reports it (without surrounding spaces)
 * @param start when the word starts, from the beginning of the session's audio
 * @param end when the word ends, never before {@code start}
 * @param normalized whether the word comes from the vendor's normalized text (for example "one
 *     hundred dollars" for "$100") rather than the text the application sent
 * @param estimated whether the timing was estimated by the library rather than reported by the
 *     vendor
 */
public record WordTiming(
    String word, Duration start, Duration end, boolean normalized, boolean estimated)
    implements SynthesisEvent {

  /**
   * Compact constructor: validates the values.
   *
   * @param word the word as the vendor reports it (without surrounding spaces)
   * @param start when the word starts, from the beginning of the session's audio
   * @param end when the word ends, never before {@code start}
   * @param normalized whether the word comes from the vendor's normalized text (for example "one
   *     hundred dollars" for "$100") rather than the text the application sent
   * @param estimated whether the timing was estimated by the library rather than reported by the
   *     vendor
   */
  public WordTiming {
    Objects.requireNonNull(word, "word");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.isNegative() || end.compareTo(start) < 0) {
      throw new IllegalArgumentException("bad word timing " + word + " " + start + ".." + end);
    }
  }

  /**
   * {@return a timing the vendor reported for the original text}
   *
   * @param word the word as the vendor reported it
   * @param start when it starts in the audio
   * @param end when it ends in the audio
   */
  public static WordTiming of(String word, Duration start, Duration end) {
    return new WordTiming(word, start, end, false, false);
  }
}
