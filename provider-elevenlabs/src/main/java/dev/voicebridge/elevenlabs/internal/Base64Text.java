package dev.voicebridge.elevenlabs.internal;

/**
 * Decodes standard base64 (RFC 4648 alphabet, padding optional, as {@link
 * java.util.Base64#getDecoder()}) straight from a range of a String or a byte array into an array
 * of the exact size: no copy of the text, no intermediate buffer. Anything it does not accept (a
 * character outside the alphabet, an escape, bad padding) yields null, so that the caller falls
 * back to a decoder that has the last word.
 */
final class Base64Text {
  private static final int[] DECODE = new int[256];

  static {
    java.util.Arrays.fill(DECODE, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      DECODE[alphabet.charAt(i)] = i;
    }
  }

  private Base64Text() {}

  /** The bytes of {@code s[from, to)}, or null when it is empty or not plain base64. */
  static byte[] decode(String s, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return null;
    }
    int pad = 0;
    if (s.charAt(to - 1) == '=') {
      pad = n >= 2 && s.charAt(to - 2) == '=' ? 2 : 1;
    }
    int size = size(n, pad);
    if (size < 0) {
      return null;
    }
    byte[] out = new byte[size];
    int i = from;
    int o = 0;
    int end = from + ((n - pad) & ~3);
    int[] d = DECODE;
    while (i < end) {
      int c0 = s.charAt(i);
      int c1 = s.charAt(i + 1);
      int c2 = s.charAt(i + 2);
      int c3 = s.charAt(i + 3);
      if ((c0 | c1 | c2 | c3) > 0xff) {
        return null;
      }
      int bits = d[c0] << 18 | d[c1] << 12 | d[c2] << 6 | d[c3];
      if (bits < 0) {
        return null;
      }
      out[o] = (byte) (bits >> 16);
      out[o + 1] = (byte) (bits >> 8);
      out[o + 2] = (byte) bits;
      o += 3;
      i += 4;
    }
    int rest = n - pad - (end - from);
    if (rest > 0) {
      int c0 = s.charAt(i);
      int c1 = s.charAt(i + 1);
      int c2 = rest == 3 ? s.charAt(i + 2) : 'A';
      if ((c0 | c1 | c2) > 0xff) {
        return null;
      }
      int bits = d[c0] << 18 | d[c1] << 12 | d[c2] << 6;
      if (bits < 0) {
        return null;
      }
      out[o] = (byte) (bits >> 16);
      if (rest == 3) {
        out[o + 1] = (byte) (bits >> 8);
      }
    }
    return out;
  }

  /** The bytes of {@code b[from, to)}, or null when it is empty or not plain base64. */
  static byte[] decode(byte[] b, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return null;
    }
    int pad = 0;
    if (b[to - 1] == '=') {
      pad = n >= 2 && b[to - 2] == '=' ? 2 : 1;
    }
    int size = size(n, pad);
    if (size < 0) {
      return null;
    }
    byte[] out = new byte[size];
    int i = from;
    int o = 0;
    int end = from + ((n - pad) & ~3);
    int[] d = DECODE;
    while (i < end) {
      int bits =
          d[b[i] & 0xff] << 18
              | d[b[i + 1] & 0xff] << 12
              | d[b[i + 2] & 0xff] << 6
              | d[b[i + 3] & 0xff];
      if (bits < 0) {
        return null;
      }
      out[o] = (byte) (bits >> 16);
      out[o + 1] = (byte) (bits >> 8);
      out[o + 2] = (byte) bits;
      o += 3;
      i += 4;
    }
    int rest = n - pad - (end - from);
    if (rest > 0) {
      int c2 = rest == 3 ? b[i + 2] & 0xff : 'A';
      int bits = d[b[i] & 0xff] << 18 | d[b[i + 1] & 0xff] << 12 | d[c2] << 6;
      if (bits < 0) {
        return null;
      }
      out[o] = (byte) (bits >> 16);
      if (rest == 3) {
        out[o + 1] = (byte) (bits >> 8);
      }
    }
    return out;
  }

  /**
   * The decoded size of {@code n} characters ending in {@code pad} '=', or -1 when that cannot be
   * base64 (padding on a length not a multiple of 4, or a lone last character).
   */
  private static int size(int n, int pad) {
    if (pad > 0 && (n & 3) != 0) {
      return -1;
    }
    int data = n - pad;
    int rest = data & 3;
    if (rest == 1) {
      return -1;
    }
    return (data >> 2) * 3 + (rest == 0 ? 0 : rest - 1);
  }
}
