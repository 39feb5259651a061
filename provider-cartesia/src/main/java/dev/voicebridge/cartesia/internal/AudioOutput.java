package dev.voicebridge.cartesia.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns the raw audio Cartesia sends (in the wire encoding a session asked for) into the format the
 * application asked for, one session at a time: 16-bit PCM and G.711 as received, 32-bit float
 * converted to 16-bit PCM, WAV wrapped locally (a streaming header before the first audio). A
 * sample split across chunks is joined, never dropped. It also keeps the session's audio clock: the
 * playing time of the wire audio received so far. Not thread-safe (one transport thread at a time).
 */
final class AudioOutput {
  private final AudioFormat target;
  private final boolean f32;
  private final int frame; // bytes per sample on the wire
  private final byte[] carry = new byte[4];
  private int carryLen;
  private long wireBytes;
  private boolean headerWritten;

  /**
   * An output.
   *
   * @param target the format delivered
   * @param wireEncoding {@code pcm_s16le}, {@code pcm_f32le}, {@code pcm_mulaw} or {@code pcm_alaw}
   */
  AudioOutput(AudioFormat target, String wireEncoding) {
    this.target = target;
    this.f32 = wireEncoding.equals("pcm_f32le");
    this.frame =
        switch (wireEncoding) {
          case "pcm_f32le" -> 4;
          case "pcm_s16le" -> 2;
          default -> 1;
        };
  }

  /** The playing time, in seconds, of the audio received so far. */
  double seconds() {
    return (double) (wireBytes / frame) / target.sampleRate();
  }

  /** Converts the next chunk of wire audio; the result may be empty. */
  ByteBuffer accept(byte[] wire) {
    wireBytes += wire.length;
    byte[] all = wire;
    if (carryLen > 0) {
      all = new byte[carryLen + wire.length];
      System.arraycopy(carry, 0, all, 0, carryLen);
      System.arraycopy(wire, 0, all, carryLen, wire.length);
    }
    int whole = all.length - all.length % frame;
    carryLen = all.length - whole;
    System.arraycopy(all, whole, carry, 0, carryLen);
    byte[] samples = whole == all.length ? all : Arrays.copyOf(all, whole);
    return encode(f32 ? toS16(samples) : samples);
  }

  /** Whether part of a sample is waiting for the rest of it. */
  boolean hasDanglingBytes() {
    return carryLen > 0;
  }

  /** The warning {@link #finish} deserves, or null: the audio ended inside a sample. */
  String danglingWarning() {
    if (carryLen == 0) {
      return null;
    }
    return !f32 && target.encoding() == AudioFormat.Encoding.PCM_S16LE
        ? "the audio ended with an odd number of bytes (half a sample), delivered as received"
        : "the audio ended inside a sample; the partial sample was dropped";
  }

  /**
   * The end of the audio: a WAV header if none was written, and for 16-bit PCM output of 16-bit
   * wire audio the dangling odd byte, if any (so every byte the server sent is delivered).
   */
  ByteBuffer finish() {
    byte[] rest = new byte[0];
    if (carryLen > 0 && !f32 && target.encoding() == AudioFormat.Encoding.PCM_S16LE) {
      rest = new byte[carryLen];
      System.arraycopy(carry, 0, rest, 0, carryLen);
    }
    carryLen = 0;
    if (target.encoding() == AudioFormat.Encoding.WAV && !headerWritten) {
      headerWritten = true;
      return ByteBuffer.wrap(Wav.streamingHeader(target.sampleRate(), 1, 16));
    }
    return ByteBuffer.wrap(rest);
  }

  private ByteBuffer encode(byte[] pcm) {
    if (target.encoding() != AudioFormat.Encoding.WAV || headerWritten) {
      return ByteBuffer.wrap(pcm);
    }
    if (pcm.length == 0) {
      return ByteBuffer.allocate(0);
    }
    headerWritten = true;
    byte[] header = Wav.streamingHeader(target.sampleRate(), 1, 16);
    ByteBuffer b = ByteBuffer.allocate(header.length + pcm.length);
    b.put(header).put(pcm).flip();
    return b;
  }

  /** 32-bit float little-endian samples as 16-bit PCM, clipped to [-1, 1]. */
  static byte[] toS16(byte[] f32le) {
    int n = f32le.length / 4;
    byte[] out = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      int bits =
          (f32le[4 * i] & 0xFF)
              | (f32le[4 * i + 1] & 0xFF) << 8
              | (f32le[4 * i + 2] & 0xFF) << 16
              | (f32le[4 * i + 3] & 0xFF) << 24;
      float v = Float.intBitsToFloat(bits);
      int s;
      if (Float.isNaN(v)) {
        s = 0;
      } else {
        s = Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f);
      }
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }
}
