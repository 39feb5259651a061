package dev.voicebridge;

import java.time.Duration;
import java.util.Objects;

/**
 * When a word is spoken, on the session's audio timeline (zero is the first sample of the first
 * chunk), and where it is in the text the application sent. Timings of a session are monotonic:
 * each word starts no earlier than the previous one.
 *
 * <p>{@link #word()} is the word as it was spoken: as the vendor reports it, after any text shaping
 * (a link's text without its URL, "one hundred dollars" for "$100"). {@link #textStart()} and
 * {@link #textEnd()}, when known, point at the word in the application's own text: UTF-16 offsets
 * into the concatenation of every text the application handed to the session, from its first {@code
 * sendText} on, across flushes. They are known when the session ran behind a text-shaping
 * synthesizer (module {@code voicebridge-text}), which aligns the vendor's words with the text it
 * sent; otherwise they are {@code -1}.
 *
 * @param word the word as spoken (without surrounding spaces)
 * @param start when the word starts, from the beginning of the session's audio
 * @param end when the word ends, never before {@code start}
 * @param normalized whether the word comes from the vendor's normalized text (for example "one
 *     hundred dollars" for "$100") rather than the text the vendor was sent
 * @param estimated whether the timing was estimated by the library rather than reported by the
 *     vendor
 * @param textStart where the word starts in the application's text (inclusive), or {@code -1} when
 *     unknown
 * @param textEnd where the word ends in the application's text (exclusive), or {@code -1} when
 *     unknown
 */
public record WordTiming(
    String word,
    Duration start,
    Duration end,
    boolean normalized,
    boolean estimated,
    int textStart,
    int textEnd)
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
   * @param textEnd the text end
   * @param textStart the text start
   */
  public WordTiming {
    Objects.requireNonNull(word, "word");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.isNegative() || end.compareTo(start) < 0) {
      throw new IllegalArgumentException("bad word timing " + word + " " + start + ".." + end);
    }
    boolean unknown = textStart == -1 && textEnd == -1;
    if (!unknown && (textStart < 0 || textEnd < textStart)) {
      throw new IllegalArgumentException(
          "bad text offsets of " + word + ": " + textStart + ".." + textEnd);
    }
  }

  /**
   * A timing without offsets into the application's text (both {@code -1}): what a provider
   * reports.
   *
   * @param end the end
   * @param estimated the estimated
   * @param normalized the normalized
   * @param start the start
   * @param word the word
   */
  public WordTiming(
      String word, Duration start, Duration end, boolean normalized, boolean estimated) {
    this(word, start, end, normalized, estimated, -1, -1);
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

  /**
   * Whether {@link #textStart()} and {@link #textEnd()} point into the application's text.
   *
   * @return whether {@link #textStart()} and {@link #textEnd()} point into the application's text
   */
  public boolean hasTextOffsets() {
    return textStart >= 0;
  }

  /**
   * This timing pointing at {@code [textStart, textEnd)} of the application's text.
   *
   * @param textEnd the text end
   * @param textStart the text start
   * @return this timing pointing at {@code [textStart, textEnd)} of the application's text
   */
  public WordTiming withTextOffsets(int textStart, int textEnd) {
    return new WordTiming(word, start, end, normalized, estimated, textStart, textEnd);
  }
}
