package dev.voicebridge.smallest.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.kit.audio.G711;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Turns the PCM16LE chunks Smallest sends into the format the application asked for, one session at
 * a time. A chunk of odd length leaves its last byte for the next chunk, so a sample split across
 * chunks is joined, never dropped. WAV gets a streaming header before the first audio; mu-law and
 * A-law are encoded with {@link G711}. Not thread-safe (one transport thread at a time).
 */
final class AudioOutput {
  private final AudioFormat target;
  private long pcmBytes;
  private int carry = -1; // the odd byte of the previous chunk, or -1
  private boolean headerWritten;

  AudioOutput(AudioFormat target) {
    this.target = target;
  }

  /** The PCM bytes received so far (the session's audio timeline). */
  long pcmBytes() {
    return pcmBytes;
  }

  /** The playing time of the PCM received so far. */
  Duration elapsed() {
    return Duration.ofNanos(Math.round(pcmBytes * 1_000_000_000.0 / (2.0 * target.sampleRate())));
  }

  /** Converts the next chunk; the result may be empty. */
  ByteBuffer accept(byte[] pcm) {
    pcmBytes += pcm.length;
    int total = pcm.length + (carry >= 0 ? 1 : 0);
    int even = total & ~1;
    byte[] samples = new byte[even];
    int i = 0;
    int src = 0;
    if (carry >= 0 && even > 0) {
      samples[i++] = (byte) carry;
      carry = -1;
    }
    while (i < even) {
      samples[i++] = pcm[src++];
    }
    if (src < pcm.length) {
      carry = pcm[src] & 0xFF;
    }
    return encode(samples);
  }

  /**
   * The end of the audio: a WAV header if nothing was written yet, and for PCM the dangling odd
   * byte, if any (so every byte the server sent is delivered).
   *
   * @return the remaining bytes, possibly empty
   */
  ByteBuffer finish() {
    byte[] rest = new byte[0];
    if (carry >= 0 && target.encoding() == AudioFormat.Encoding.PCM_S16LE) {
      rest = new byte[] {(byte) carry};
    }
    carry = -1;
    if (target.encoding() == AudioFormat.Encoding.WAV && !headerWritten) {
      headerWritten = true;
      return ByteBuffer.wrap(Wav.streamingHeader(target.sampleRate(), 1, 16));
    }
    return ByteBuffer.wrap(rest);
  }

  /** Whether an odd byte is waiting for its partner. */
  boolean hasDanglingByte() {
    return carry >= 0;
  }

  private ByteBuffer encode(byte[] pcm) {
    switch (target.encoding()) {
      case PCM_S16LE -> {
        return ByteBuffer.wrap(pcm);
      }
      case WAV -> {
        if (headerWritten) {
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
      case MULAW -> {
        return ByteBuffer.wrap(G711.encodeMuLaw(pcm, 0, pcm.length));
      }
      case ALAW -> {
        return ByteBuffer.wrap(G711.encodeALaw(pcm, 0, pcm.length));
      }
      default -> throw new IllegalStateException("unsupported target " + target);
    }
  }
}
