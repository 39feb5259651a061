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
   *
   * @param data the audio bytes (the chunk keeps a read-only view)
   * @param format the format of the bytes
   * @param sequence 0 for the session's first chunk, then 1, 2, ...
   * @param byteOffset the number of audio bytes of the session before this chunk
   * @param receivedNanos {@code System.nanoTime()} when the library received the chunk
   * @param sinceFirstText the time from the first text to this chunk, or null
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

  /** {@return the audio bytes, a read-only buffer positioned at the first byte} */
  public ByteBuffer data() {
    return data.duplicate();
  }

  /** {@return a fresh copy of the audio bytes} */
  public byte[] bytes() {
    ByteBuffer d = data.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  /** {@return the number of audio bytes in this chunk} */
  public int size() {
    return data.remaining();
  }

  /** {@return the format of the bytes} */
  public AudioFormat format() {
    return format;
  }

  /** {@return the chunk's position in its session: 0 for the first chunk, then 1, 2, ...} */
  public long sequence() {
    return sequence;
  }

  /** {@return the number of audio bytes of this session before this chunk} */
  public long byteOffset() {
    return byteOffset;
  }

  /**
   * {@return where this chunk starts on the session's audio timeline, for uncompressed formats
   * (zero for compressed ones, whose duration a byte count does not tell)}
   */
  public Duration offset() {
    return format.durationOf(byteOffset);
  }

  /**
   * {@code System.nanoTime()} when the library received the chunk from the transport.
   *
   * @return {@code System.nanoTime()} at the chunk's arrival
   */
  public long receivedNanos() {
    return receivedNanos;
  }

  /**
   * {@return the time from the first text handed to the session to the arrival of this chunk, or
   * null}
   */
  public Duration sinceFirstText() {
    return sinceFirstText;
  }

  @Override
  public String toString() {
    return "AudioChunk[#" + sequence + ", " + size() + " bytes of " + format + "]";
  }
}
