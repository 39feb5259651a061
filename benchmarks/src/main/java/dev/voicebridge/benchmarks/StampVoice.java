package dev.voicebridge.benchmarks;

import dev.voicebridge.emulator.Voice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A voice whose PCM carries, at the start of every emulator frame, a stamp of {@value #BYTES}
 * bytes: a magic number, the {@link System#nanoTime()} of synthesis and the frame's index, so a
 * client in the same JVM can find each frame in the audio it received, and match it with the time
 * the emulator wrote it ({@link WriteTimes}). Silence elsewhere; 60 ms per character like {@link
 * Voice#tone()}.
 */
final class StampVoice implements Voice {
  static final long MAGIC = 0x5642_5354_414D_5021L; // "VBSTAMP!"

  /** Bytes per stamp: magic, synthesis nanos, frame index. */
  static final int BYTES = 24;

  private final int frameMillis;

  StampVoice(int frameMillis) {
    this.frameMillis = frameMillis;
  }

  @Override
  public byte[] synthesize(String text, int sampleRate) {
    int samples = (int) ((long) text.length() * 60 * sampleRate / 1000);
    byte[] pcm = new byte[samples * 2];
    int frameBytes = sampleRate * 2 * frameMillis / 1000;
    ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.BIG_ENDIAN);
    long now = System.nanoTime();
    long index = 0;
    for (int p = 0; p + BYTES <= pcm.length; p += frameBytes) {
      b.putLong(p, MAGIC);
      b.putLong(p + 8, now);
      b.putLong(p + 16, index++);
    }
    return pcm;
  }

  /** A stamp's identity: the synthesis it came from and the frame's index in it. */
  record Key(long synthesisNanos, long index) {}

  /**
   * Calls {@code found} for every stamp in {@code audio} (at even offsets, as PCM16 frames start),
   * with its key and the offset of its last byte.
   */
  static void scan(byte[] audio, StampConsumer found) {
    ByteBuffer b = ByteBuffer.wrap(audio);
    for (int p = 0; p + BYTES <= audio.length; p += 2) {
      if (b.getLong(p) == MAGIC) {
        found.stamp(new Key(b.getLong(p + 8), b.getLong(p + 16)), p + BYTES - 1);
        p += BYTES - 2;
      }
    }
  }

  /** Receives the stamps {@link #scan} finds. */
  interface StampConsumer {
    void stamp(Key key, int lastByte);
  }
}
