package dev.voicebridge.text.shaping.internal;

import dev.voicebridge.WordTiming;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Word timings estimated from the text a session sent and the duration of the audio it received,
 * for vendors that report none. A word (a run between white space with a letter or digit in it)
 * weighs its letters and digits, plus one for the gap after it, plus a pause after punctuation (2
 * after , ; : and 4 after . ! ?). While audio arrives, each word takes {@code weight / rate}
 * seconds in turn, and is delivered once the audio reaches its end; when the session completes, the
 * words left share the audio left in proportion to their weight (the last one ends with it).
 * Timings are monotonic and never pass the audio received. Not thread-safe.
 */
public final class Estimator {
  private record Word(String text, double letters, double gap, int[] span) {}

  private final SpokenText spoken;
  private final double rate;
  private final ArrayDeque<Word> pending = new ArrayDeque<>();
  private int scanned;
  private double cursor; // seconds: where the next word starts
  private double units; // weight of every word seen

  /** Estimates over {@code spoken} at {@code rate} weight units per second. */
  public Estimator(SpokenText spoken, double rate) {
    this.spoken = spoken;
    this.rate = rate;
  }

  /** The absolute spoken position words are taken from next. */
  public int position() {
    return scanned;
  }

  /** The total weight of the words seen so far. */
  public double units() {
    return units;
  }

  /**
   * Takes the words sent so far; {@code boundary}: the input paused (a flush or the end), so a word
   * at the very end is complete.
   */
  public void textAdded(boolean boundary) {
    int end = spoken.end();
    int i = scanned;
    while (true) {
      while (i < end && Character.isWhitespace(spoken.charAt(i))) {
        i++;
      }
      if (i >= end) {
        scanned = i;
        return;
      }
      int a = i;
      while (i < end && !Character.isWhitespace(spoken.charAt(i))) {
        i++;
      }
      if (i == end && !boundary) {
        scanned = a; // the word may continue
        return;
      }
      word(a, i);
      scanned = i;
    }
  }

  private void word(int a, int b) {
    int first = -1;
    int last = -1;
    int letters = 0;
    for (int i = a; i < b; i++) {
      if (Character.isLetterOrDigit(spoken.charAt(i))) {
        letters++;
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    if (letters == 0) {
      return;
    }
    char end = spoken.charAt(b - 1);
    double pause = ".!?".indexOf(end) >= 0 ? 4 : ",;:".indexOf(end) >= 0 ? 2 : 0;
    Word w = new Word(spoken.text(a, b), letters, 1 + pause, spoken.span(first, last + 1));
    units += w.letters() + w.gap();
    pending.add(w);
  }

  /** The timings whose words the audio received so far ({@code audio} long) covers. */
  public List<WordTiming> audio(Duration audio) {
    double total = seconds(audio);
    List<WordTiming> out = new ArrayList<>();
    while (!pending.isEmpty()) {
      Word w = pending.peek();
      double d = w.letters() / rate;
      if (cursor + d > total) {
        break;
      }
      pending.poll();
      out.add(timing(w, cursor, cursor + d));
      cursor += d + w.gap() / rate;
    }
    return out;
  }

  /** The session completed with {@code audio} of audio: the words left share what is left. */
  public List<WordTiming> finish(Duration audio) {
    textAdded(true);
    double total = seconds(audio);
    double from = Math.min(cursor, total);
    double weight = 0;
    for (Word w : pending) {
      weight += w.letters() + w.gap();
    }
    if (!pending.isEmpty()) {
      weight -= pending.peekLast().gap(); // the last word ends with the audio
    }
    double scale = weight == 0 ? 0 : (total - from) / weight;
    List<WordTiming> out = new ArrayList<>();
    double t = from;
    while (!pending.isEmpty()) {
      Word w = pending.poll();
      double e = Math.min(total, t + w.letters() * scale);
      out.add(timing(w, t, e));
      t = Math.min(total, e + w.gap() * scale);
    }
    cursor = t;
    return out;
  }

  private static WordTiming timing(Word w, double start, double end) {
    long s = Math.round(start * 1e9);
    long e = Math.max(s, Math.round(end * 1e9));
    int[] span = w.span();
    return new WordTiming(
        w.text(),
        Duration.ofNanos(s),
        Duration.ofNanos(e),
        false,
        true,
        span == null ? -1 : span[0],
        span == null ? -1 : span[1]);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
