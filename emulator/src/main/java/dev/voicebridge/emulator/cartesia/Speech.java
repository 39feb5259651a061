package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.Voice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One generation: a piece of text spoken by the emulator's voice as 16-bit PCM, cut into frames of
 * {@code frameMillis}, with the time of every word. Character times are spread over the PCM in
 * proportion to the characters (exact for {@link Voice#tone()}, which gives every character the
 * same time); a word runs from its first character's start to its last character's end.
 */
final class Speech {
  /** A word and its samples [start, end) in the generation's PCM. */
  record Word(String text, long start, long end) {}

  /** A frame's PCM and the samples [start, end) it covers. */
  record Frame(byte[] pcm, long start, long end) {

    /** The playing time. */
    Duration duration(int rate) {
      return Duration.ofNanos((end - start) * 1_000_000_000L / rate);
    }
  }

  final int rate;
  final List<Word> words;
  final List<Frame> frames;
  final long samples;

  private Speech(int rate, List<Word> words, List<Frame> frames, long samples) {
    this.rate = rate;
    this.words = words;
    this.frames = frames;
    this.samples = samples;
  }

  /** Speaks {@code text} at {@code rate} and cuts it into frames. */
  static Speech of(Voice voice, String text, int rate, int frameMillis) {
    byte[] pcm = voice.synthesize(text, rate);
    if ((pcm.length & 1) != 0) {
      pcm = Arrays.copyOf(pcm, pcm.length - 1);
    }
    long total = pcm.length / 2;
    int[] cps = text.codePoints().toArray();
    int n = cps.length;
    List<Word> words = new ArrayList<>();
    int from = -1;
    for (int i = 0; i <= n; i++) {
      boolean space = i == n || Character.isWhitespace(cps[i]);
      if (!space && from < 0) {
        from = i;
      } else if (space && from >= 0) {
        words.add(new Word(new String(cps, from, i - from), from * total / n, i * total / n));
        from = -1;
      }
    }
    long perFrame = Math.max(1, (long) rate * frameMillis / 1000);
    List<Frame> frames = new ArrayList<>();
    for (long s = 0; s < total; s += perFrame) {
      long e = Math.min(total, s + perFrame);
      frames.add(new Frame(Arrays.copyOfRange(pcm, (int) s * 2, (int) e * 2), s, e));
    }
    return new Speech(rate, List.copyOf(words), List.copyOf(frames), total);
  }

  /** The {@code word_timestamps} object of {@code words}, in seconds from {@code origin}. */
  ObjectNode wordTimestamps(List<Word> list, long origin) {
    ObjectNode o = Json.object();
    ArrayNode w = o.putArray("words");
    ArrayNode start = o.putArray("start");
    ArrayNode end = o.putArray("end");
    for (Word x : list) {
      w.add(x.text());
      start.add(seconds(origin + x.start()));
      end.add(seconds(origin + x.end()));
    }
    return o;
  }

  /**
   * The {@code phoneme_timestamps} object of {@code words}: the emulator's stand-in phonemes are
   * the letters and digits of each word, lower-cased, sharing the word's time equally (INFERRED: no
   * phonemizer here).
   */
  ObjectNode phonemeTimestamps(List<Word> list, long origin) {
    ObjectNode o = Json.object();
    ArrayNode p = o.putArray("phonemes");
    ArrayNode start = o.putArray("start");
    ArrayNode end = o.putArray("end");
    for (Word x : list) {
      int[] letters =
          x.text()
              .toLowerCase(Locale.ROOT)
              .codePoints()
              .filter(Character::isLetterOrDigit)
              .toArray();
      if (letters.length == 0) {
        continue;
      }
      long len = x.end() - x.start();
      for (int i = 0; i < letters.length; i++) {
        p.add(new String(letters, i, 1));
        start.add(seconds(origin + x.start() + len * i / letters.length));
        end.add(seconds(origin + x.start() + len * (i + 1) / letters.length));
      }
    }
    return o;
  }

  /** Samples as seconds, to the millisecond. */
  double seconds(long samples) {
    return Math.round(samples * 1000.0 / rate) / 1000.0;
  }
}
