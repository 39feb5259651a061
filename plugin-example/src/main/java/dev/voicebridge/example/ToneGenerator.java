package dev.voicebridge.example;

import java.time.Duration;

/**
 * Turns text into tone bursts, deterministically: each letter or digit becomes a sine burst whose
 * pitch depends on the character (a semitone scale from the base frequency), with a short fade in
 * and out; everything else (spaces, punctuation) becomes silence of the same length. 16-bit
 * little-endian mono PCM at the requested sample rate.
 */
final class ToneGenerator {
  private static final double AMPLITUDE = 0.3 * Short.MAX_VALUE;
  private static final double FADE_SECONDS = 0.004;

  private final Duration charDuration;
  private final double baseFrequency;

  ToneGenerator(Duration charDuration, double baseFrequency) {
    this.charDuration = charDuration;
    this.baseFrequency = baseFrequency;
  }

  /** How long the burst of one character lasts. */
  Duration charDuration() {
    return charDuration;
  }

  /** The tone of the letter 'a', in hertz. */
  double baseFrequency() {
    return baseFrequency;
  }

  /** Samples per character at {@code sampleRate}. */
  int samplesPerChar(int sampleRate) {
    return (int) (charDuration.toNanos() * (long) sampleRate / 1_000_000_000L);
  }

  /** The PCM of {@code text}, two bytes per sample. */
  byte[] render(CharSequence text, int sampleRate) {
    int n = samplesPerChar(sampleRate);
    byte[] out = new byte[text.length() * n * 2];
    int fade = Math.max(1, (int) (FADE_SECONDS * sampleRate));
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        continue; // silence: the bytes are already zero
      }
      double freq = baseFrequency * Math.pow(2, pitch(c) / 12.0);
      for (int s = 0; s < n; s++) {
        double envelope = Math.min(1.0, Math.min(s, n - 1 - s) / (double) fade);
        short v =
            (short)
                Math.round(AMPLITUDE * envelope * Math.sin(2 * Math.PI * freq * s / sampleRate));
        int at = (i * n + s) * 2;
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >> 8);
      }
    }
    return out;
  }

  /** Semitones above the base: letters a..z climb two octaves, digits sit below. */
  private static int pitch(char c) {
    char l = Character.toLowerCase(c);
    if (l >= 'a' && l <= 'z') {
      return l - 'a';
    }
    if (c >= '0' && c <= '9') {
      return c - '0' - 10;
    }
    return Math.floorMod(c, 24);
  }
}
