package dev.voicebridge.benchmarks;

import dev.voicebridge.emulator.Voice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A voice whose PCM carries, at the start of every emulator frame, a magic number and the {@link
 * System#nanoTime()} of synthesis, so a client in the same JVM can tell how long after the emulator
 * produced the audio it arrived. Silence elsewhere; 60 ms per character like {@link Voice#tone()}.
 */
final class StampVoice implements Voice {
  static final long MAGIC = 0x5642_5354_414D_5021L; // "VBSTAMP!"
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
    for (int p = 0; p + 16 <= pcm.length; p += frameBytes) {
      b.putLong(p, MAGIC);
      b.putLong(p + 8, now);
    }
    return pcm;
  }
}
