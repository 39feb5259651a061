package dev.voicebridge.text.shaping.internal;

import java.util.Arrays;

/**
 * Text whose every character knows where it came from in the application's original text: the span
 * {@code [start, end)} of original characters it stands for, or {@code -1, -1} for a character a
 * transform inserted (a period after a heading). A copied character keeps its span; a replacement
 * ("engine x" for "nginx") gives every character of it the span of everything it replaced. Spans
 * compose through a chain of transforms for free, because each transform copies the spans of its
 * input rather than positions in it. Not thread-safe.
 */
public final class Annotated {
  private final StringBuilder chars = new StringBuilder();
  private int[] starts = new int[16];
  private int[] ends = new int[16];

  /** Empty text. */
  public Annotated() {}

  /** {@code text} as the application's characters {@code [offset, offset + text.length())}. */
  public static Annotated original(CharSequence text, int offset) {
    Annotated a = new Annotated();
    for (int i = 0; i < text.length(); i++) {
      a.append(text.charAt(i), offset + i, offset + i + 1);
    }
    return a;
  }

  /** Number of characters. */
  public int length() {
    return chars.length();
  }

  /** Whether there are no characters. */
  public boolean isEmpty() {
    return chars.length() == 0;
  }

  /** The character at {@code i}. */
  public char charAt(int i) {
    return chars.charAt(i);
  }

  /** Where the character at {@code i} starts in the original text, or -1. */
  public int start(int i) {
    return starts[i];
  }

  /** Where the character at {@code i} ends in the original text, or -1. */
  public int end(int i) {
    return ends[i];
  }

  /** The characters. */
  public String text() {
    return chars.toString();
  }

  /** The characters of {@code [from, to)}. */
  public String text(int from, int to) {
    return chars.substring(from, to);
  }

  @Override
  public String toString() {
    return text();
  }

  /** Appends one character standing for {@code [start, end)} of the original (or -1, -1). */
  public void append(char c, int start, int end) {
    int n = chars.length();
    if (n == starts.length) {
      starts = Arrays.copyOf(starts, n * 2);
      ends = Arrays.copyOf(ends, n * 2);
    }
    chars.append(c);
    starts[n] = start;
    ends[n] = end;
  }

  /** Appends {@code text}, every character of it standing for {@code [start, end)}. */
  public void append(CharSequence text, int start, int end) {
    for (int i = 0; i < text.length(); i++) {
      append(text.charAt(i), start, end);
    }
  }

  /** Appends the characters {@code [from, to)} of {@code other} with their spans. */
  public void append(Annotated other, int from, int to) {
    for (int i = from; i < to; i++) {
      append(other.chars.charAt(i), other.starts[i], other.ends[i]);
    }
  }

  /** Appends all of {@code other}. */
  public void append(Annotated other) {
    append(other, 0, other.length());
  }

  /**
   * The original span covered by the characters {@code [from, to)}: from the smallest start to the
   * largest end among those that have one; {@code null} when none has one.
   */
  public int[] span(int from, int to) {
    int s = Integer.MAX_VALUE;
    int e = -1;
    for (int i = from; i < to; i++) {
      if (starts[i] >= 0) {
        s = Math.min(s, starts[i]);
        e = Math.max(e, ends[i]);
      }
    }
    return e < 0 ? null : new int[] {s, e};
  }

  /** Removes the first {@code n} characters. */
  public void removeFirst(int n) {
    if (n <= 0) {
      return;
    }
    int len = chars.length();
    chars.delete(0, n);
    System.arraycopy(starts, n, starts, 0, len - n);
    System.arraycopy(ends, n, ends, 0, len - n);
  }

  /** Removes every character. */
  public void clear() {
    chars.setLength(0);
  }

  /** Whether both have the same characters with the same spans (for tests). */
  public boolean sameAs(Annotated other) {
    if (!chars.toString().contentEquals(other.chars)) {
      return false;
    }
    for (int i = 0; i < chars.length(); i++) {
      if (starts[i] != other.starts[i] || ends[i] != other.ends[i]) {
        return false;
      }
    }
    return true;
  }

  /** The characters with their spans, {@code c[start,end)} each, for test messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < chars.length(); i++) {
      sb.append(chars.charAt(i)).append('[').append(starts[i]).append(',').append(ends[i]);
      sb.append(']');
    }
    return sb.toString();
  }
}
