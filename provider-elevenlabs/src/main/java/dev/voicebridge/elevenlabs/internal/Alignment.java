package dev.voicebridge.elevenlabs.internal;

import java.util.List;

/**
 * Character timings of one chunk, in milliseconds: {@code startMs[i]} and {@code durationMs[i]}
 * belong to {@code chars.get(i)}. The arrays have the length of {@code chars}.
 *
 * @param chars the characters
 * @param startMs each character's start, in milliseconds
 * @param durationMs each character's duration, in milliseconds
 */
public record Alignment(List<String> chars, double[] startMs, double[] durationMs) {
  /** Copies {@code chars}; the arrays must have its length. */
  public Alignment {
    chars = List.copyOf(chars);
    if (startMs.length != chars.size() || durationMs.length != chars.size()) {
      throw new IllegalArgumentException("alignment arrays differ in length");
    }
  }

  /** The number of characters. */
  public int size() {
    return chars.size();
  }
}
