package dev.voicebridge.kit.audio;

import java.time.Duration;
import java.util.Objects;

/**
 * Helpers for 16-bit signed little-endian PCM ({@code PCM_S16LE}), the raw format every provider
 * can produce.
 *
 * <p>Stateless and thread-safe.
 */
public final class Pcm {

  private Pcm() {}

  /**
   * Converts little-endian 16-bit PCM bytes to samples.
   *
   * @param le the bytes
   * @param off the first byte to convert
   * @param len the number of bytes to convert; must be even
   * @return {@code len / 2} samples
   * @throws IllegalArgumentException if {@code len} is odd
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within {@code le}
   */
  public static short[] toShorts(byte[] le, int off, int len) {
    Objects.checkFromIndexSize(off, len, le.length);
    if ((len & 1) != 0) {
      throw new IllegalArgumentException("16-bit PCM needs an even number of bytes: " + len);
    }
    short[] out = new short[len / 2];
    for (int i = 0, j = off; i < out.length; i++, j += 2) {
      out[i] = (short) ((le[j] & 0xFF) | (le[j + 1] << 8));
    }
    return out;
  }

  /**
   * Converts a whole array of little-endian 16-bit PCM bytes to samples.
   *
   * @param le the bytes; their number must be even
   * @return {@code le.length / 2} samples
   * @throws IllegalArgumentException if {@code le.length} is odd
   */
  public static short[] toShorts(byte[] le) {
    return toShorts(le, 0, le.length);
  }

  /**
   * Converts samples to little-endian 16-bit PCM bytes.
   *
   * @param s the samples
   * @param off the first sample to convert
   * @param len the number of samples to convert
   * @return {@code 2 * len} bytes
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within {@code s}
   */
  public static byte[] toBytes(short[] s, int off, int len) {
    Objects.checkFromIndexSize(off, len, s.length);
    byte[] out = new byte[len * 2];
    for (int i = 0, j = 0; i < len; i++, j += 2) {
      short v = s[off + i];
      out[j] = (byte) v;
      out[j + 1] = (byte) (v >> 8);
    }
    return out;
  }

  /**
   * Converts a whole array of samples to little-endian 16-bit PCM bytes.
   *
   * @param s the samples
   * @return {@code 2 * s.length} bytes
   */
  public static byte[] toBytes(short[] s) {
    return toBytes(s, 0, s.length);
  }

  /**
   * The playing time of a number of PCM bytes. A trailing partial frame is ignored and the result
   * is truncated to whole nanoseconds.
   *
   * @param bytes the number of bytes, not negative
   * @param sampleRate frames per second, positive
   * @param bytesPerSample bytes per frame (one sample of every channel), positive; 2 for 16-bit
   *     mono
   * @return the duration
   * @throws IllegalArgumentException if a parameter is out of range
   */
  public static Duration duration(long bytes, int sampleRate, int bytesPerSample) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative: " + bytes);
    }
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
    if (bytesPerSample <= 0) {
      throw new IllegalArgumentException("bytesPerSample must be positive: " + bytesPerSample);
    }
    long frames = bytes / bytesPerSample;
    long seconds = frames / sampleRate;
    long nanos = (frames % sampleRate) * 1_000_000_000L / sampleRate;
    return Duration.ofSeconds(seconds, nanos);
  }
}
