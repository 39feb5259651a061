package dev.voicebridge.kit.audio;

import java.util.Objects;

/**
 * ITU-T G.711 mu-law and A-law companding, bit-exact with the ITU-T reference implementation (G.191
 * Software Tool Library, {@code g711.c}): 16-bit linear samples are taken as 14-bit (mu-law) or
 * 13-bit (A-law) left-justified values, negative values are rounded by one's complement, and
 * decoding returns the middle of each quantization interval.
 *
 * <p>Reference points: {@code linearToMuLaw(0) == (byte) 0xFF}, {@code linearToALaw(0) == (byte)
 * 0xD5}, {@code muLawToLinear((byte) 0x80) == 32124}, {@code aLawToLinear((byte) 0xAA) == 32256}.
 *
 * <p>The buffer methods read and write 16-bit little-endian PCM. Stateless and thread-safe.
 */
public final class G711 {

  private static final short[] MU_DECODE = new short[256];
  private static final short[] A_DECODE = new short[256];

  static {
    for (int i = 0; i < 256; i++) {
      MU_DECODE[i] = muExpand(i);
      A_DECODE[i] = aExpand(i);
    }
  }

  private G711() {}

  /**
   * Encodes one linear sample as mu-law.
   *
   * @param sample a 16-bit linear sample
   * @return the mu-law code
   */
  public static byte linearToMuLaw(short sample) {
    // 14-bit magnitude (one's complement for negatives) plus the bias 33.
    int absno = (sample < 0 ? (~sample) >> 2 : sample >> 2) + 33;
    if (absno > 0x1FFF) {
      absno = 0x1FFF;
    }
    int segno = 32 - Integer.numberOfLeadingZeros(absno >> 6) + 1; // 1..8
    int high = 8 - segno;
    int low = 0x0F - ((absno >> segno) & 0x0F);
    int code = (high << 4) | low;
    if (sample >= 0) {
      code |= 0x80;
    }
    return (byte) code;
  }

  /**
   * Decodes one mu-law code.
   *
   * @param code the mu-law code
   * @return the 16-bit linear sample, in -32124..32124
   */
  public static short muLawToLinear(byte code) {
    return MU_DECODE[code & 0xFF];
  }

  /**
   * Encodes one linear sample as A-law.
   *
   * @param sample a 16-bit linear sample
   * @return the A-law code (even bits inverted, as transmitted)
   */
  public static byte linearToALaw(short sample) {
    int ix = sample < 0 ? (~sample) >> 4 : sample >> 4; // 0..2047
    if (ix > 15) {
      int iexp = 1;
      while (ix > 16 + 15) {
        ix >>= 1;
        iexp++;
      }
      ix -= 16;
      ix += iexp << 4;
    }
    if (sample >= 0) {
      ix |= 0x80;
    }
    return (byte) (ix ^ 0x55);
  }

  /**
   * Decodes one A-law code.
   *
   * @param code the A-law code (even bits inverted, as transmitted)
   * @return the 16-bit linear sample, in -32256..32256
   */
  public static short aLawToLinear(byte code) {
    return A_DECODE[code & 0xFF];
  }

  /**
   * Encodes 16-bit little-endian PCM as mu-law.
   *
   * @param pcm16le the PCM bytes
   * @param off the first byte to encode
   * @param len the number of bytes to encode; must be even
   * @return {@code len / 2} mu-law bytes
   * @throws IllegalArgumentException if {@code len} is odd
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within the array
   */
  public static byte[] encodeMuLaw(byte[] pcm16le, int off, int len) {
    checkPcm(pcm16le, off, len);
    byte[] out = new byte[len / 2];
    for (int i = 0, j = off; i < out.length; i++, j += 2) {
      out[i] = linearToMuLaw((short) ((pcm16le[j] & 0xFF) | (pcm16le[j + 1] << 8)));
    }
    return out;
  }

  /**
   * Decodes mu-law to 16-bit little-endian PCM.
   *
   * @param muLaw the mu-law bytes
   * @param off the first byte to decode
   * @param len the number of bytes to decode
   * @return {@code 2 * len} PCM bytes
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within the array
   */
  public static byte[] decodeMuLaw(byte[] muLaw, int off, int len) {
    return decode(MU_DECODE, muLaw, off, len);
  }

  /**
   * Encodes 16-bit little-endian PCM as A-law.
   *
   * @param pcm16le the PCM bytes
   * @param off the first byte to encode
   * @param len the number of bytes to encode; must be even
   * @return {@code len / 2} A-law bytes
   * @throws IllegalArgumentException if {@code len} is odd
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within the array
   */
  public static byte[] encodeALaw(byte[] pcm16le, int off, int len) {
    checkPcm(pcm16le, off, len);
    byte[] out = new byte[len / 2];
    for (int i = 0, j = off; i < out.length; i++, j += 2) {
      out[i] = linearToALaw((short) ((pcm16le[j] & 0xFF) | (pcm16le[j + 1] << 8)));
    }
    return out;
  }

  /**
   * Decodes A-law to 16-bit little-endian PCM.
   *
   * @param aLaw the A-law bytes
   * @param off the first byte to decode
   * @param len the number of bytes to decode
   * @return {@code 2 * len} PCM bytes
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within the array
   */
  public static byte[] decodeALaw(byte[] aLaw, int off, int len) {
    return decode(A_DECODE, aLaw, off, len);
  }

  private static void checkPcm(byte[] pcm, int off, int len) {
    Objects.checkFromIndexSize(off, len, pcm.length);
    if ((len & 1) != 0) {
      throw new IllegalArgumentException("16-bit PCM needs an even number of bytes: " + len);
    }
  }

  private static byte[] decode(short[] table, byte[] in, int off, int len) {
    Objects.checkFromIndexSize(off, len, in.length);
    byte[] out = new byte[len * 2];
    for (int i = 0, j = 0; i < len; i++, j += 2) {
      short v = table[in[off + i] & 0xFF];
      out[j] = (byte) v;
      out[j + 1] = (byte) (v >> 8);
    }
    return out;
  }

  /** G.191 {@code ulaw_expand}. */
  private static short muExpand(int code) {
    int sign = code < 0x80 ? -1 : 1;
    int mantissa = ~code;
    int exponent = (mantissa >> 4) & 0x07;
    int segment = exponent + 1;
    mantissa &= 0x0F;
    int step = 4 << segment;
    return (short) (sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33));
  }

  /** G.191 {@code alaw_expand}. */
  private static short aExpand(int code) {
    int ix = (code ^ 0x55) & 0x7F;
    int iexp = ix >> 4;
    int mant = ix & 0x0F;
    if (iexp > 0) {
      mant += 16;
    }
    mant = (mant << 4) + 0x08;
    if (iexp > 1) {
      mant <<= iexp - 1;
    }
    return (short) (code > 127 ? mant : -mant);
  }
}
