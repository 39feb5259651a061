package dev.voicebridge.fallback;

import dev.voicebridge.FlushEvent;
import dev.voicebridge.InputEvent;
import dev.voicebridge.TextEvent;
import dev.voicebridge.text.SentenceSegmenter;
import java.util.ArrayList;
import java.util.List;

/**
 * The input a {@link FallbackSynthesizer} session was given so far, kept so that it can be replayed
 * on the next provider: the text, the positions of the flushes in it, and whether the input ended.
 * Also finds where to resume after audio was spoken. Not thread-safe (used by one serialized
 * session backend).
 */
final class FallbackInput {
  /**
   * A deliberately slow speaking rate, in characters per second, used to estimate how much text was
   * spoken from the duration of the audio when the provider reports no word timings. Real speech is
   * faster (about 12 to 18 characters per second), so the estimate stays behind the truth: a
   * sentence may be repeated after a switch, but none is skipped.
   */
  static final double CONSERVATIVE_CHARS_PER_SECOND = 10.0;

  private final StringBuilder text = new StringBuilder();
  private final List<Integer> flushes = new ArrayList<>();
  private boolean finished;

  void text(String t) {
    text.append(t);
  }

  void flush() {
    int at = text.length();
    if (flushes.isEmpty() || flushes.get(flushes.size() - 1) != at) {
      flushes.add(at);
    }
  }

  void finish() {
    finished = true;
  }

  boolean finished() {
    return finished;
  }

  int length() {
    return text.length();
  }

  String text() {
    return text.toString();
  }

  /** The input from {@code from}, as the events to replay: text between flushes, then finish. */
  List<InputEvent> replayFrom(int from) {
    List<InputEvent> out = new ArrayList<>();
    int prev = from;
    for (int f : flushes) {
      if (f <= from) {
        continue;
      }
      out.add(new TextEvent(text.substring(prev, f)));
      out.add(FlushEvent.INSTANCE);
      prev = f;
    }
    if (prev < text.length()) {
      out.add(new TextEvent(text.substring(prev)));
    }
    return out;
  }

  /**
   * Whether the input from {@code from} owes audio: some text followed by a flush, or some text and
   * the end of input.
   */
  boolean owesAudio(int from) {
    if (from >= text.length()) {
      return false;
    }
    if (finished) {
      return true;
    }
    return !flushes.isEmpty() && flushes.get(flushes.size() - 1) > from;
  }

  /**
   * The sentences of the input as {@code [start, end)} spans: cut by {@link SentenceSegmenter},
   * with every flush also ending a sentence.
   */
  List<int[]> sentences() {
    String all = text.toString();
    SentenceSegmenter seg = SentenceSegmenter.builder().build();
    List<String> parts = new ArrayList<>();
    int prev = 0;
    for (int f : flushes) {
      parts.addAll(seg.push(all.substring(prev, f)));
      parts.addAll(seg.flush());
      prev = f;
    }
    parts.addAll(seg.push(all.substring(prev)));
    parts.addAll(seg.flush());
    List<int[]> spans = new ArrayList<>();
    int cursor = 0;
    for (String p : parts) {
      int i = all.indexOf(p, cursor);
      if (i < 0) {
        // the segmenter changed the text (it should not); fall back to one span for the rest
        spans.add(new int[] {cursor, all.length()});
        return spans;
      }
      spans.add(new int[] {i, i + p.length()});
      cursor = i + p.length();
    }
    return spans;
  }

  /**
   * The end of the {@code words}-th whitespace-separated word from {@code from}, or the end of the
   * text when there are fewer words.
   */
  int endOfWords(int from, long words) {
    int i = from;
    int n = text.length();
    long seen = 0;
    while (i < n && seen < words) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      seen++;
    }
    return i;
  }

  /**
   * Where to resume after an attempt that started at {@code from} spoke some audio: the start of
   * the first sentence not known to be spoken completely.
   *
   * @param from where the attempt's input started
   * @param words how many (non-normalized) words the attempt reported timings for
   * @param audio how long the audio the attempt delivered plays (zero when unknown)
   */
  int resumePoint(int from, long words, java.time.Duration audio) {
    int spoken = from;
    if (words > 0) {
      spoken = Math.max(spoken, endOfWords(from, words));
    }
    double seconds = audio.toNanos() / 1e9;
    long estimate = (long) Math.floor(seconds * CONSERVATIVE_CHARS_PER_SECOND);
    spoken = (int) Math.max(spoken, Math.min((long) text.length(), from + estimate));
    for (int[] s : sentences()) {
      if (s[1] > spoken) {
        return Math.max(from, s[0]);
      }
    }
    return text.length();
  }
}
