package dev.voicebridge.cache;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.WordTiming;
import java.util.List;
import java.util.Map;

/**
 * A phrase as it was delivered: its events in their order (audio chunks with their boundaries, word
 * timings between them) and what the original session's report said (warnings, attributes).
 * Immutable; the byte arrays are never handed out writable.
 */
final class Entry {
  /** One event: audio bytes, or a word timing. */
  record Event(byte[] audio, WordTiming timing) {
    static Event audio(byte[] b) {
      return new Event(b, null);
    }

    static Event timing(WordTiming t) {
      return new Event(null, t);
    }
  }

  /** Bytes counted per event and per entry beside the audio, for the weigher. */
  static final int EVENT_OVERHEAD = 48;

  static final int ENTRY_OVERHEAD = 256;

  final String key;
  final AudioFormat format;
  final List<Event> events;
  final List<String> warnings;
  final Map<String, String> attributes;
  final long audioBytes;

  /** When the phrase's file time was last refreshed for a memory hit ({@link #touchDue}). */
  private final java.util.concurrent.atomic.AtomicLong touchedNanos;

  /** How often a phrase used from memory refreshes its file time. */
  static final long TOUCH_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

  Entry(
      String key,
      AudioFormat format,
      List<Event> events,
      List<String> warnings,
      Map<String, String> attributes) {
    this.key = key;
    this.format = format;
    this.events = List.copyOf(events);
    this.warnings = List.copyOf(warnings);
    this.attributes = Map.copyOf(attributes);
    long bytes = 0;
    for (Event e : events) {
      if (e.audio() != null) {
        bytes += e.audio().length;
      }
    }
    this.audioBytes = bytes;
    this.touchedNanos = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
  }

  /**
   * Whether a use at {@code now} should refresh the phrase's file time: true at most once per
   * {@link #TOUCH_EVERY_NANOS} (and claims that turn).
   */
  boolean touchDue(long now) {
    long last = touchedNanos.get();
    return now - last >= TOUCH_EVERY_NANOS && touchedNanos.compareAndSet(last, now);
  }

  /** What the entry costs in memory, roughly: audio, key and text, per-event overhead. */
  long weight() {
    long w = ENTRY_OVERHEAD + audioBytes + 2L * key.length();
    for (Event e : events) {
      w += EVENT_OVERHEAD;
      if (e.timing() != null) {
        w += 2L * e.timing().word().length();
      }
    }
    for (String s : warnings) {
      w += 2L * s.length();
    }
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      w += 2L * (a.getKey().length() + a.getValue().length());
    }
    return w;
  }
}
