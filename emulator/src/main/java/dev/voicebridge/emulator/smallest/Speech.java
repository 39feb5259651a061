package dev.voicebridge.emulator.smallest;

import dev.voicebridge.emulator.Voice;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audio of one synthesis request: PCM16LE mono from the emulator's voice at the requested rate
 * and speed, and the word timings Smallest reports for it.
 */
final class Speech {
  private static final Pattern WORD = Pattern.compile("\\S+");

  private Speech() {}

  /**
   * A word timing ({@code word_timestamp} data).
   *
   * @param id 0-based position of the word in the request's text
   * @param word the word verbatim
   * @param start seconds from the start of the request's audio
   * @param end seconds from the start of the request's audio
   */
  record Word(int id, String word, double start, double end) {}

  /**
   * Synthesizes {@code text}: the voice at {@code sampleRate}, then time-scaled by {@code speed}
   * (linear interpolation: 2.0 halves the duration).
   */
  static byte[] render(Voice voice, String text, int sampleRate, double speed) {
    byte[] pcm = voice.synthesize(text, sampleRate);
    if ((pcm.length & 1) != 0) {
      pcm = java.util.Arrays.copyOf(pcm, pcm.length - 1);
    }
    if (speed == 1.0 || pcm.length == 0) {
      return pcm;
    }
    int n = pcm.length / 2;
    int m = Math.max(1, (int) Math.round(n / speed));
    byte[] out = new byte[m * 2];
    for (int j = 0; j < m; j++) {
      double pos = j * speed;
      int i = (int) pos;
      double frac = pos - i;
      int a = sample(pcm, Math.min(i, n - 1));
      int b = sample(pcm, Math.min(i + 1, n - 1));
      int s = (int) Math.round(a + (b - a) * frac);
      out[2 * j] = (byte) s;
      out[2 * j + 1] = (byte) (s >> 8);
    }
    return out;
  }

  private static int sample(byte[] pcm, int i) {
    return (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
  }

  /**
   * The words of {@code text} with their times, spread over {@code seconds} of audio in proportion
   * to their position in the text (exact for the tone voice, whose audio is a fixed time per
   * character). Times are rounded to milliseconds.
   */
  static List<Word> words(String text, double seconds) {
    List<Word> out = new ArrayList<>();
    int total = text.codePointCount(0, text.length());
    if (total == 0) {
      return out;
    }
    Matcher m = WORD.matcher(text);
    int id = 0;
    while (m.find()) {
      int from = text.codePointCount(0, m.start());
      int to = text.codePointCount(0, m.end());
      out.add(
          new Word(id++, m.group(), round(seconds * from / total), round(seconds * to / total)));
    }
    return out;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
