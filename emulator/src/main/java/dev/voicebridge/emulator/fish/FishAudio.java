package dev.voicebridge.emulator.fish;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.emulator.AudioEncoder;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one generation's PCM into audio frames in the requested format. WAV and PCM use one encoder
 * per session (the WAV header goes once, before the first audio); MP3 uses one encoder per
 * generation, finished at its end, so a flush delivers all of its audio at once.
 */
final class FishAudio {
  /** The largest audio payload per frame (clients such as httpx_ws cap messages at 64 KiB). */
  static final int MAX_FRAME_BYTES = 32 * 1024;

  /** One audio frame and the playing time it carries. */
  record Frame(byte[] payload, Duration audio) {}

  private final AudioFormat format;
  private final int mp3Kbps;
  private final int frameMillis;
  private AudioEncoder sessionEncoder;

  FishAudio(AudioFormat format, int mp3Kbps, int frameMillis) {
    this.format = format;
    this.mp3Kbps = mp3Kbps;
    this.frameMillis = frameMillis;
  }

  /** The frames of one generation (empty for empty PCM). */
  List<Frame> frames(byte[] pcm) {
    List<Frame> out = new ArrayList<>();
    if (pcm.length == 0) {
      return out;
    }
    int rate = format.sampleRate();
    int slice = (int) Math.min(MAX_FRAME_BYTES, (long) rate * 2 * frameMillis / 1000) & ~1;
    slice = Math.max(2, slice);
    boolean mp3 = format.encoding() == AudioFormat.Encoding.MP3;
    AudioEncoder encoder;
    if (mp3) {
      encoder = AudioEncoder.of(format, mp3Kbps);
    } else {
      if (sessionEncoder == null) {
        sessionEncoder = AudioEncoder.of(format, mp3Kbps);
      }
      encoder = sessionEncoder;
    }
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    long pendingNanos = 0;
    for (int off = 0; off < pcm.length; off += slice) {
      int len = Math.min(slice, pcm.length - off);
      byte[] encoded = encoder.encode(Arrays.copyOfRange(pcm, off, off + len));
      pending.writeBytes(encoded);
      pendingNanos += len / 2 * 1_000_000_000L / rate;
      if (pending.size() > 0) {
        out.add(new Frame(pending.toByteArray(), Duration.ofNanos(pendingNanos)));
        pending.reset();
        pendingNanos = 0;
      }
    }
    if (mp3) {
      byte[] tail = encoder.finish();
      if (tail.length > 0) {
        if (!out.isEmpty()
            && out.get(out.size() - 1).payload().length + tail.length <= MAX_FRAME_BYTES) {
          Frame last = out.remove(out.size() - 1);
          byte[] merged = Arrays.copyOf(last.payload(), last.payload().length + tail.length);
          System.arraycopy(tail, 0, merged, last.payload().length, tail.length);
          out.add(new Frame(merged, last.audio().plusNanos(pendingNanos)));
        } else {
          out.add(new Frame(tail, Duration.ofNanos(pendingNanos)));
        }
      }
    }
    return out;
  }
}
