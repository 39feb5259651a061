package dev.voicebridge.deepgram.internal;

import dev.voicebridge.audio.Wav;
import dev.voicebridge.kit.audio.G711;
import java.nio.ByteBuffer;

/**
 * Turns what Deepgram sends into the format the application asked for, one session at a time.
 * Linear16 arrives in frames of any length (their sizes are not documented): a frame of odd length
 * leaves its last byte for the next frame, so a sample split across frames is joined, never
 * dropped. WAV gets one streaming header for the whole session (REST responses are asked for
 * without a container, so several requests make one WAV stream); mu-law and A-law at rates Deepgram
 * does not produce them at are encoded here with {@link G711}. Not thread-safe (one transport
 * thread at a time).
 */
final class AudioOutput {
  /** What happens to the received bytes. */
  enum Kind {
    /** Passed through as received (mu-law, A-law, MP3, Opus). */
    PASS,
    /** Linear16 passed through, whole samples. */
    PCM,
    /** Linear16 behind one streaming WAV header. */
    WAV,
    /** Linear16 encoded to mu-law. */
    TO_MULAW,
    /** Linear16 encoded to A-law. */
    TO_ALAW
  }

  private final Kind kind;
  private final int sampleRate;
  private int carry = -1; // the odd byte of the previous frame, or -1
  private boolean headerWritten;
  private long received;

  AudioOutput(Kind kind, int sampleRate) {
    this.kind = kind;
    this.sampleRate = sampleRate;
  }

  /** Bytes received so far (before conversion). */
  long received() {
    return received;
  }

  /** Converts the next frame (valid only during the call); the result may be empty. */
  ByteBuffer accept(ByteBuffer frame) {
    int n = frame.remaining();
    received += n;
    if (kind == Kind.PASS) {
      byte[] copy = new byte[n];
      frame.get(copy);
      return ByteBuffer.wrap(copy);
    }
    int total = n + (carry >= 0 ? 1 : 0);
    byte[] samples = new byte[total & ~1];
    int i = 0;
    if (carry >= 0 && samples.length > 0) {
      samples[i++] = (byte) carry;
      carry = -1;
    }
    int take = samples.length - i;
    frame.get(samples, i, take);
    if (frame.hasRemaining()) {
      carry = frame.get() & 0xFF;
    }
    return encode(samples);
  }

  /**
   * The end of the audio: a WAV header if nothing was written yet, and for PCM the dangling odd
   * byte, if any (so every byte the server sent is delivered).
   */
  ByteBuffer finish() {
    byte[] rest = new byte[0];
    if (carry >= 0 && kind == Kind.PCM) {
      rest = new byte[] {(byte) carry};
    }
    carry = -1;
    if (kind == Kind.WAV && !headerWritten) {
      headerWritten = true;
      return ByteBuffer.wrap(Wav.streamingHeader(sampleRate, 1, 16));
    }
    return ByteBuffer.wrap(rest);
  }

  /** Whether an odd byte waits for its partner. */
  boolean hasDanglingByte() {
    return carry >= 0;
  }

  private ByteBuffer encode(byte[] pcm) {
    switch (kind) {
      case PCM -> {
        return ByteBuffer.wrap(pcm);
      }
      case WAV -> {
        if (headerWritten || pcm.length == 0) {
          return ByteBuffer.wrap(pcm);
        }
        headerWritten = true;
        byte[] header = Wav.streamingHeader(sampleRate, 1, 16);
        ByteBuffer b = ByteBuffer.allocate(header.length + pcm.length);
        b.put(header).put(pcm).flip();
        return b;
      }
      case TO_MULAW -> {
        return ByteBuffer.wrap(G711.encodeMuLaw(pcm, 0, pcm.length));
      }
      case TO_ALAW -> {
        return ByteBuffer.wrap(G711.encodeALaw(pcm, 0, pcm.length));
      }
      default -> throw new IllegalStateException("not a linear16 output: " + kind);
    }
  }
}
