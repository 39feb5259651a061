package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns character alignments into {@link WordTiming}s on the session's timeline. A word is a run of
 * characters between whitespace; it may span chunks (it is completed by the next whitespace or by
 * {@link #end()}). Leading and trailing spaces of the arrays only end words. Han, Hiragana and
 * Katakana characters are words of their own (those scripts put no spaces between words). Runs with
 * no letter or digit (punctuation the server adds) are not words. Timings are monotonic: a word
 * never starts before the previous one. Not thread-safe.
 */
final class WordTimeline {
  private final boolean normalized;
  private final StringBuilder word = new StringBuilder();
  private double wordStartMs;
  private double wordEndMs;
  private long lastStartNanos;
  private double maxEndMs;

  WordTimeline(boolean normalized) {
    this.normalized = normalized;
  }

  /** The latest absolute end of any character seen, in ms. */
  double maxEndMs() {
    return maxEndMs;
  }

  /** Adds a chunk's alignment whose times are relative to {@code offsetMs}. */
  List<WordTiming> add(Alignment a, double offsetMs) {
    List<WordTiming> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      String ch = a.chars().get(i);
      double start = offsetMs + a.startMs()[i];
      double end = start + a.durationMs()[i];
      maxEndMs = Math.max(maxEndMs, end);
      if (ch.isEmpty() || ch.isBlank()) {
        emit(out);
        continue;
      }
      if (isOwnWord(ch)) {
        emit(out);
        append(ch, start, end);
        emit(out);
        continue;
      }
      append(ch, start, end);
    }
    return out;
  }

  /** Completes the pending word (end of a generation or of a request). */
  List<WordTiming> end() {
    List<WordTiming> out = new ArrayList<>(1);
    emit(out);
    return out;
  }

  private void append(String ch, double start, double end) {
    if (word.length() == 0) {
      wordStartMs = start;
      wordEndMs = end;
    } else {
      wordEndMs = Math.max(wordEndMs, end);
    }
    word.append(ch);
  }

  private void emit(List<WordTiming> out) {
    if (word.length() == 0) {
      return;
    }
    String w = word.toString().strip();
    word.setLength(0);
    if (!hasLetterOrDigit(w)) {
      return;
    }
    long start = Math.max(lastStartNanos, Math.round(wordStartMs * 1_000_000.0));
    long end = Math.max(start, Math.round(wordEndMs * 1_000_000.0));
    lastStartNanos = start;
    out.add(new WordTiming(w, Duration.ofNanos(start), Duration.ofNanos(end), normalized, false));
  }

  private static boolean hasLetterOrDigit(String s) {
    return s.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  private static boolean isOwnWord(String ch) {
    int cp = ch.codePointAt(0);
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }
}
