package dev.voicebridge;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * A piece of audio, in the session's {@link AudioFormat}, in order. Chunks are immutable: {@link
 * #data()} is a read-only view.
 *
 * <p>Timing on each chunk is measured by the library, identically for every provider, with {@code
 * System.nanoTime}: {@link #receivedNanos()} is when the library got the chunk from the transport,
 * {@link #sinceFirstText()} the time from the first text handed to the session until then.
 */
public final class AudioChunk implements SynthesisEvent {
  private final ByteBuffer data;
  private final AudioFormat format;
  private final long sequence;
  private final long byteOffset;
  private final long receivedNanos;
  private final Duration sinceFirstText;

  /**
   * Creates a chunk. Providers do not call this: the session builds chunks from what a provider
   * hands to its {@link dev.voicebridge.spi.SynthesisSink}.
   */
  public AudioChunk(
      ByteBuffer data,
      AudioFormat format,
      long sequence,
      long byteOffset,
      long receivedNanos,
      Duration sinceFirstText) {
    this.data = Objects.requireNonNull(data, "data").asReadOnlyBuffer();
    this.format = Objects.requireNonNull(format, "format");
    this.sequence = sequence;
    this.byteOffset = byteOffset;
    this.receivedNanos = receivedNanos;
    this.sinceFirstText = sinceFirstText;
  }

  /** The audio bytes, a read-only buffer positioned at the first byte. */
  public ByteBuffer data() {
    return data.duplicate();
  }

  /** A fresh copy of the audio bytes. */
  public byte[] bytes() {
    ByteBuffer d = data.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  /** Number of audio bytes in this chunk. */
  public int size() {
    return data.remaining();
  }

  /** The format of the bytes. */
  public AudioFormat format() {
    return format;
  }

  /** 0 for the first chunk of a session, then 1, 2, ... */
  public long sequence() {
    return sequence;
  }

  /** Number of audio bytes of this session before this chunk. */
  public long byteOffset() {
    return byteOffset;
  }

  /**
   * Where this chunk starts on the session's audio timeline, for uncompressed formats (zero for
   * compressed ones, whose duration a byte count does not tell).
   */
  public Duration offset() {
    return format.durationOf(byteOffset);
  }

  /** {@code System.nanoTime()} when the library received the chunk from the transport. */
  public long receivedNanos() {
    return receivedNanos;
  }

  /** Time from the first text handed to the session to the arrival of this chunk, or null. */
  public Duration sinceFirstText() {
    return sinceFirstText;
  }

  @Override
  public String toString() {
    return "AudioChunk[#" + sequence + ", " + size() + " bytes of " + format + "]";
  }
}
