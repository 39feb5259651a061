package dev.voicebridge.elevenlabs.internal;

import java.util.List;

/**
 * Character timings of one chunk, in milliseconds: {@code startMs[i]} and {@code durationMs[i]}
 * belong to {@code chars.get(i)}. The arrays have the length of {@code chars}.
 */
record Alignment(List<String> chars, double[] startMs, double[] durationMs) {
  Alignment {
    chars = List.copyOf(chars);
    if (startMs.length != chars.size() || durationMs.length != chars.size()) {
      throw new IllegalArgumentException("alignment arrays differ in length");
    }
  }

  int size() {
    return chars.size();
  }
}
