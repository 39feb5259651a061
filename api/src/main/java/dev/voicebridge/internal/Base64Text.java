package dev.voicebridge.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Standard base64 (RFC 4648 alphabet, padded or not, no line breaks) decoded where it lies: in a
 * String, a JSON parser's character buffer or the bytes of a message, into a result of exactly the
 * decoded length and nothing else (no copy of the text, no intermediate buffer). Anything it does
 * not accept (a character outside the alphabet, an escape, bad padding) returns null, and the
 * caller falls back to a lenient decoder that has the last word. Shared by the JSON vendors'
 * codecs; not public API.
 */
public final class Base64Text {
  private static final int[] DECODE = new int[128];
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  static {
    Arrays.fill(DECODE, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      DECODE[alphabet.charAt(i)] = i;
    }
  }

  private Base64Text() {}

  /** The index of the first {@code "} or {@code \} in {@code a[i..end)}, or -1. */
  public static int quoteOrBackslash(byte[] a, int i, int end) {
    for (; i + 8 <= end; i += 8) {
      long w = (long) LONGS.get(a, i);
      long x = w ^ QUOTES;
      long y = w ^ BACKSLASHES;
      long hit = (((x - ONES) & ~x) | ((y - ONES) & ~y)) & HIGHS;
      if (hit != 0) {
        return i + (Long.numberOfTrailingZeros(hit) >>> 3); // the lowest hit is exact
      }
    }
    for (; i < end; i++) {
      if (a[i] == '"' || a[i] == '\\') {
        return i;
      }
    }
    return -1;
  }

  /** The bytes of {@code s[off..off+len)}, or null when it is not plain base64. */
  public static byte[] decode(String s, int off, int len) {
    int end = off + len;
    int pad =
        padding(len, len > 0 && s.charAt(end - 1) == '=', len > 1 && s.charAt(end - 2) == '=');
    if (pad < 0) {
      return null;
    }
    int n = len - pad;
    int rem = n & 3;
    if (rem == 1) {
      return null;
    }
    byte[] out = new byte[(n >> 2) * 3 + (rem == 0 ? 0 : rem - 1)];
    int full = off + n - rem;
    int o = 0;
    for (int i = off; i < full; i += 4) {
      char c0 = s.charAt(i);
      char c1 = s.charAt(i + 1);
      char c2 = s.charAt(i + 2);
      char c3 = s.charAt(i + 3);
      if ((c0 | c1 | c2 | c3) >= 128) {
        return null;
      }
      int bits = DECODE[c0] << 18 | DECODE[c1] << 12 | DECODE[c2] << 6 | DECODE[c3];
      if (bits < 0) {
        return null; // a -1 anywhere makes the whole negative
      }
      out[o] = (byte) (bits >> 16);
      out[o + 1] = (byte) (bits >> 8);
      out[o + 2] = (byte) bits;
      o += 3;
    }
    if (rem > 0) {
      char c0 = s.charAt(full);
      char c1 = s.charAt(full + 1);
      char c2 = rem == 3 ? s.charAt(full + 2) : 'A';
      if ((c0 | c1 | c2) >= 128) {
        return null;
      }
      int bits = DECODE[c0] << 18 | DECODE[c1] << 12 | DECODE[c2] << 6;
      if (bits < 0) {
        return null;
      }
      out[o++] = (byte) (bits >> 16);
      if (rem == 3) {
        out[o] = (byte) (bits >> 8);
      }
    }
    return out;
  }

  /** The bytes of {@code c[off..off+len)}, or null when it is not plain base64. */
  public static byte[] decode(char[] c, int off, int len) {
    int end = off + len;
    int pad = padding(len, len > 0 && c[end - 1] == '=', len > 1 && c[end - 2] == '=');
    if (pad < 0) {
      return null;
    }
    int n = len - pad;
    int rem = n & 3;
    if (rem == 1) {
      return null;
    }
    byte[] out = new byte[(n >> 2) * 3 + (rem == 0 ? 0 : rem - 1)];
    int full = off + n - rem;
    int o = 0;
    for (int i = off; i < full; i += 4) {
      char c0 = c[i];
      char c1 = c[i + 1];
      char c2 = c[i + 2];
      char c3 = c[i + 3];
      if ((c0 | c1 | c2 | c3) >= 128) {
        return null;
      }
      int bits = DECODE[c0] << 18 | DECODE[c1] << 12 | DECODE[c2] << 6 | DECODE[c3];
      if (bits < 0) {
        return null; // a -1 anywhere makes the whole negative
      }
      out[o] = (byte) (bits >> 16);
      out[o + 1] = (byte) (bits >> 8);
      out[o + 2] = (byte) bits;
      o += 3;
    }
    if (rem > 0) {
      char c0 = c[full];
      char c1 = c[full + 1];
      char c2 = rem == 3 ? c[full + 2] : 'A';
      if ((c0 | c1 | c2) >= 128) {
        return null;
      }
      int bits = DECODE[c0] << 18 | DECODE[c1] << 12 | DECODE[c2] << 6;
      if (bits < 0) {
        return null;
      }
      out[o++] = (byte) (bits >> 16);
      if (rem == 3) {
        out[o] = (byte) (bits >> 8);
      }
    }
    return out;
  }

  /** The bytes of {@code b[off..off+len)}, or null when it is not plain base64. */
  public static byte[] decode(byte[] b, int off, int len) {
    int end = off + len;
    int pad = padding(len, len > 0 && b[end - 1] == '=', len > 1 && b[end - 2] == '=');
    if (pad < 0) {
      return null;
    }
    int n = len - pad;
    int rem = n & 3;
    if (rem == 1) {
      return null;
    }
    byte[] out = new byte[(n >> 2) * 3 + (rem == 0 ? 0 : rem - 1)];
    int full = off + n - rem;
    int o = 0;
    for (int i = off; i < full; i += 4) {
      int bits =
          DECODE[b[i] & 0x7F] << 18
              | DECODE[b[i + 1] & 0x7F] << 12
              | DECODE[b[i + 2] & 0x7F] << 6
              | DECODE[b[i + 3] & 0x7F];
      if (bits < 0 || (b[i] | b[i + 1] | b[i + 2] | b[i + 3]) < 0) {
        return null; // not in the alphabet, or not ASCII
      }
      out[o] = (byte) (bits >> 16);
      out[o + 1] = (byte) (bits >> 8);
      out[o + 2] = (byte) bits;
      o += 3;
    }
    if (rem > 0) {
      byte b0 = b[full];
      byte b1 = b[full + 1];
      byte b2 = rem == 3 ? b[full + 2] : (byte) 'A';
      int bits = DECODE[b0 & 0x7F] << 18 | DECODE[b1 & 0x7F] << 12 | DECODE[b2 & 0x7F] << 6;
      if (bits < 0 || (b0 | b1 | b2) < 0) {
        return null;
      }
      out[o++] = (byte) (bits >> 16);
      if (rem == 3) {
        out[o] = (byte) (bits >> 8);
      }
    }
    return out;
  }

  /** The number of padding characters, or -1 when padding leaves an incomplete group. */
  private static int padding(int len, boolean last, boolean secondLast) {
    if (!last) {
      return 0;
    }
    if ((len & 3) != 0) {
      return -1;
    }
    return secondLast ? 2 : 1;
  }
}
