package dev.voicebridge.cartesia.internal;

import dev.voicebridge.WordTiming;
import dev.voicebridge.cartesia.CartesiaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts Cartesia's timestamps (seconds) on the session's audio timeline, monotonic across the
 * session. The timeline is cut into segments: a WebSocket context's flushes (its {@code flush_id})
 * or an HTTP session's requests. Whether a segment's times count from the start of the context's
 * audio or restart with the segment is not documented; for a WebSocket segment after the first it
 * is decided by its first timestamp (a time earlier than the audio before the segment means it
 * restarted, and the segment's start is added). An HTTP request is always a fresh context, so its
 * times are offset by the audio before it. A word starting before the previous one is moved to it;
 * an end before its start is moved to the start. Not thread-safe (one transport thread at a time).
 */
final class Timeline {
  /** How far before its segment a cumulative time may land (rounding) and still be taken as one. */
  static final double TOLERANCE = 0.05;

  private final boolean normalized;
  private boolean started; // a frame was seen
  private Object segment; // the current segment's key
  private double segmentStart; // audio seconds before the segment
  private Double offset; // null: not decided yet
  private double lastWordStart;
  private double lastPhonemeStart;

  Timeline(boolean normalized) {
    this.normalized = normalized;
    this.offset = 0.0;
  }

  /**
   * A WebSocket frame of flush {@code flushId} (null when it carries none) arrived with {@code
   * audioSeconds} of audio before it: a new flush id starts a segment whose time base is decided by
   * its first timestamp.
   */
  void frame(Integer flushId, double audioSeconds) {
    boolean first = !started;
    started = true;
    if (flushId == null || Objects.equals(flushId, segment)) {
      return;
    }
    segment = flushId;
    segmentStart = audioSeconds;
    offset = first ? 0.0 : null;
  }

  /** An HTTP request's first event, after {@code audioSeconds} of audio: its times restart at 0. */
  void request(Object key, double audioSeconds) {
    started = true;
    segment = key;
    segmentStart = audioSeconds;
    offset = audioSeconds;
  }

  private double offset(double firstTime) {
    if (offset == null) {
      offset = firstTime + TOLERANCE < segmentStart ? segmentStart : 0.0;
    }
    return offset;
  }

  /** The word timings of a {@code timestamps} frame. */
  List<WordTiming> words(ServerFrame.Timestamps ts) {
    List<WordTiming> out = new ArrayList<>(ts.items().size());
    if (ts.items().isEmpty()) {
      return out;
    }
    double off = offset(ts.start()[0]);
    for (int i = 0; i < ts.items().size(); i++) {
      String word = ts.items().get(i).strip();
      if (word.isEmpty()) {
        continue;
      }
      double s = Math.max(ts.start()[i] + off, lastWordStart);
      double e = Math.max(ts.end()[i] + off, s);
      lastWordStart = s;
      out.add(new WordTiming(word, duration(s), duration(e), normalized, false));
    }
    return out;
  }

  /** The phoneme timings of a {@code phoneme_timestamps} frame. */
  List<CartesiaOptions.PhonemeTiming> phonemes(ServerFrame.Timestamps ts) {
    List<CartesiaOptions.PhonemeTiming> out = new ArrayList<>(ts.items().size());
    if (ts.items().isEmpty()) {
      return out;
    }
    double off = offset(ts.start()[0]);
    for (int i = 0; i < ts.items().size(); i++) {
      String p = ts.items().get(i).strip();
      if (p.isEmpty()) {
        continue;
      }
      double s = Math.max(ts.start()[i] + off, lastPhonemeStart);
      double e = Math.max(ts.end()[i] + off, s);
      lastPhonemeStart = s;
      out.add(new CartesiaOptions.PhonemeTiming(p, duration(s), duration(e)));
    }
    return out;
  }

  static Duration duration(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
