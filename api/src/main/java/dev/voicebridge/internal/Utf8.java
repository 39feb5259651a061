package dev.voicebridge.internal;

/** UTF-8 arithmetic on text the JDK hands over as chars. Not public API. */
public final class Utf8 {
  private Utf8() {}

  /**
   * The UTF-8 length of {@code s}, as the JDK's encoder would write it: an unpaired surrogate
   * counts as the 3 bytes of U+FFFD.
   */
  public static long length(CharSequence s) {
    long n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
