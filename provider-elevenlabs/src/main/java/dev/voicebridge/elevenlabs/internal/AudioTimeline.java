package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.WordTiming;
import java.util.List;

/**
 * Where each chunk's alignment sits on the session's audio timeline. For uncompressed formats a
 * chunk starts at the playing time of the audio bytes before it; for MP3 and Opus, whose byte
 * counts say nothing about time, at the latest aligned character end so far. Not thread-safe.
 */
final class AudioTimeline {
  private final AudioFormat format;
  private final WordTimeline words;
  private long bytes;
  private double requestOffsetMs;

  AudioTimeline(AudioFormat format, boolean normalized) {
    this.format = format;
    this.words = new WordTimeline(normalized);
  }

  private double nowMs() {
    if (format.isUncompressed()) {
      return bytes * 1000.0 / format.bytesPerSecond();
    }
    return words.maxEndMs();
  }

  /** A WebSocket chunk: alignment times are relative to the chunk's own audio. */
  List<WordTiming> chunk(byte[] audio, Alignment alignment) {
    double offset = nowMs();
    bytes += audio == null ? 0 : audio.length;
    return alignment == null ? List.of() : words.add(alignment, offset);
  }

  /** Starts an HTTP request: its alignment times count from the start of its audio. */
  void beginRequest() {
    requestOffsetMs = nowMs();
  }

  /** A chunk of an HTTP request. */
  List<WordTiming> requestChunk(byte[] audio, Alignment alignment) {
    bytes += audio == null ? 0 : audio.length;
    return alignment == null ? List.of() : words.add(alignment, requestOffsetMs);
  }

  /** Completes the pending word. */
  List<WordTiming> end() {
    return words.end();
  }
}
