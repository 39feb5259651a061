package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.Voice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One generation: a piece of text synthesized by the emulator's voice, cut into audio frames at
 * character boundaries, with the timing of every character (used for the alignment objects).
 *
 * <p>Character times are spread over the PCM in proportion to the characters (exact for {@link
 * Voice#tone()}, which gives every character the same time). A frame ends after a whitespace
 * character once it holds at least {@code frameMillis} of audio, or anywhere once it holds {@value
 * #MAX_FRAME_MILLIS} ms (so a frame stays far below 1 MiB at any rate).
 */
final class Speech {
  /** The most audio one frame holds. */
  static final int MAX_FRAME_MILLIS = 2000;

  /** One character and its samples [start, end) in the generation's PCM. */
  record Span(String ch, long start, long end) {}

  /**
   * A frame's worth of the generation.
   *
   * @param from first span index (into {@link #spans})
   * @param to one past the last span index
   * @param fromByte first PCM byte
   * @param toByte one past the last PCM byte
   */
  record Segment(int from, int to, int fromByte, int toByte) {}

  final String text;
  final int sampleRate;
  final byte[] pcm;
  final List<Span> spans;
  final List<Segment> segments;

  private Speech(String text, int sampleRate, byte[] pcm, List<Span> spans, List<Segment> segs) {
    this.text = text;
    this.sampleRate = sampleRate;
    this.pcm = pcm;
    this.spans = spans;
    this.segments = segs;
  }

  /** The text the WebSocket alignment describes: normalized, with a leading and trailing space. */
  static String wsNormalized(String chunk) {
    return " " + collapse(chunk) + " ";
  }

  /** The text the HTTP alignment describes: normalized, no leading or trailing space. */
  static String httpNormalized(String text) {
    return collapse(text);
  }

  private static String collapse(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  /** Synthesizes {@code text} (already normalized) and cuts it into frames. */
  static Speech of(Voice voice, String text, int sampleRate, int frameMillis) {
    byte[] pcm = voice.synthesize(text, sampleRate);
    if ((pcm.length & 1) != 0) {
      pcm = Arrays.copyOf(pcm, pcm.length - 1);
    }
    int[] cps = text.codePoints().toArray();
    int n = cps.length;
    long total = pcm.length / 2;
    List<Span> spans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      spans.add(new Span(new String(cps, i, 1), i * total / n, (i + 1) * total / n));
    }
    long frame = Math.max(1, (long) sampleRate * frameMillis / 1000);
    long max = Math.max(frame, (long) sampleRate * MAX_FRAME_MILLIS / 1000);
    List<Segment> segs = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < n; i++) {
      Span s = spans.get(i);
      long len = s.end() - spans.get(from).start();
      boolean last = i == n - 1;
      boolean wordEnd = Character.isWhitespace(cps[i]) && len >= frame;
      if (last || wordEnd || len >= max) {
        segs.add(new Segment(from, i + 1, (int) spans.get(from).start() * 2, (int) s.end() * 2));
        from = i + 1;
      }
    }
    if (n == 0 && pcm.length > 0) {
      segs.add(new Segment(0, 0, 0, pcm.length));
    }
    return new Speech(text, sampleRate, pcm, List.copyOf(spans), List.copyOf(segs));
  }

  /** The PCM of a segment. */
  byte[] pcm(Segment s) {
    return Arrays.copyOfRange(pcm, s.fromByte(), s.toByte());
  }

  /** Milliseconds of audio in samples. */
  long millis(long samples) {
    return Math.round(samples * 1000.0 / sampleRate);
  }

  /**
   * The WebSocket {@code normalizedAlignment} of spans [from, to) (integer ms relative to {@code
   * origin}, in samples).
   */
  ObjectNode wsNormalizedAlignment(int from, int to, long origin) {
    return wsAlignment(spans.subList(from, to), origin);
  }

  /**
   * The WebSocket {@code alignment} (original text) of spans [from, to): the same characters
   * without the generation's leading space, whose time is folded into the first character.
   */
  ObjectNode wsTextAlignment(int from, int to, long origin) {
    List<Span> out = new ArrayList<>();
    for (int i = Math.max(from, 1); i < to; i++) {
      Span s = spans.get(i);
      if (i == 1 && from == 0) {
        s = new Span(s.ch(), spans.get(0).start(), s.end());
      }
      out.add(s);
    }
    return wsAlignment(out, origin);
  }

  private ObjectNode wsAlignment(List<Span> list, long origin) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode chars = o.putArray("chars");
    ArrayNode starts = o.putArray("charStartTimesMs");
    ArrayNode durs = o.putArray("charDurationsMs");
    for (Span s : list) {
      long a = millis(s.start() - origin);
      long b = millis(s.end() - origin);
      chars.add(s.ch());
      starts.add(a);
      durs.add(b - a);
    }
    return o;
  }

  /**
   * The HTTP alignment of spans [from, to): float seconds from the start of the request's audio;
   * {@code offset} samples are added (earlier generations of the same request).
   */
  ObjectNode httpAlignment(int from, int to, long offset) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode chars = o.putArray("characters");
    ArrayNode starts = o.putArray("character_start_times_seconds");
    ArrayNode ends = o.putArray("character_end_times_seconds");
    for (Span s : spans.subList(from, to)) {
      chars.add(s.ch());
      starts.add(seconds(s.start() + offset));
      ends.add(seconds(s.end() + offset));
    }
    return o;
  }

  /**
   * Encoded audio for spans [from, to).
   *
   * @param audio the encoded bytes
   * @param from first span index
   * @param to one past the last span index
   * @param origin the first PCM sample the audio stands for
   * @param samples how many PCM samples it stands for
   */
  record Chunk(byte[] audio, int from, int to, long origin, long samples) {

    /** The playing time. */
    java.time.Duration duration(int sampleRate) {
      return java.time.Duration.ofNanos(samples * 1_000_000_000L / sampleRate);
    }
  }

  /**
   * Encodes the segments into chunks, one per segment; a segment whose encoding is still empty (an
   * MP3 encoder holding audio) is merged into the next chunk, and trailing ones into the last.
   *
   * @param finish whether to end the encoder and append what it held (HTTP: one request)
   * @return the chunks; if none came out although there was audio, the encoder was finished to get
   *     some and {@code finishedEarly[0]} is set
   */
  List<Chunk> encode(AudioEncoder encoder, boolean finish, boolean[] finishedEarly) {
    List<Chunk> out = new ArrayList<>();
    int groupFrom = -1;
    long groupOrigin = 0;
    for (Segment s : segments) {
      if (groupFrom < 0) {
        groupFrom = s.from();
        groupOrigin = s.fromByte() / 2;
      }
      byte[] b = encoder.encode(pcm(s));
      if (b.length > 0) {
        out.add(new Chunk(b, groupFrom, s.to(), groupOrigin, s.toByte() / 2 - groupOrigin));
        groupFrom = -1;
      }
    }
    byte[] tail = new byte[0];
    if (finish || (out.isEmpty() && groupFrom >= 0)) {
      tail = encoder.finish();
      if (!finish && finishedEarly != null) {
        finishedEarly[0] = true;
      }
    }
    long end = pcm.length / 2;
    if (groupFrom >= 0) {
      if (tail.length > 0 || out.isEmpty()) {
        if (tail.length > 0) {
          out.add(new Chunk(tail, groupFrom, spans.size(), groupOrigin, end - groupOrigin));
        }
        return out;
      }
      Chunk last = out.remove(out.size() - 1);
      out.add(
          new Chunk(last.audio(), last.from(), spans.size(), last.origin(), end - last.origin()));
    } else if (tail.length > 0) {
      if (out.isEmpty()) {
        out.add(new Chunk(tail, 0, 0, 0, 0));
      } else {
        Chunk last = out.remove(out.size() - 1);
        byte[] a = Arrays.copyOf(last.audio(), last.audio().length + tail.length);
        System.arraycopy(tail, 0, a, last.audio().length, tail.length);
        out.add(new Chunk(a, last.from(), last.to(), last.origin(), last.samples()));
      }
    }
    return out;
  }

  private double seconds(long samples) {
    return Math.round(samples * 1000.0 / sampleRate) / 1000.0;
  }
}
