package dev.voicebridge.text.shaping.internal;

/**
 * The text a session handed to its vendor so far, each character with its span in the application's
 * text, addressed by absolute position (from the session's first spoken character). What is no
 * longer needed is pruned from the front. Not thread-safe.
 */
public final class SpokenText {
  private final Annotated text = new Annotated();
  private int base;

  /** Appends what was just handed to the vendor. */
  public void append(Annotated spoken) {
    text.append(spoken);
  }

  /** The absolute position after the last character. */
  public int end() {
    return base + text.length();
  }

  /** The first absolute position still kept. */
  public int base() {
    return base;
  }

  /** The character at absolute position {@code i}. */
  public char charAt(int i) {
    return text.charAt(i - base);
  }

  /** The spoken characters {@code [from, to)}. */
  public String text(int from, int to) {
    return text.text(from - base, to - base);
  }

  /** The span in the application's text of the characters {@code [from, to)}, or null. */
  public int[] span(int from, int to) {
    return text.span(from - base, to - base);
  }

  /** Forgets the characters before absolute position {@code upTo}. */
  public void prune(int upTo) {
    int n = Math.min(upTo, end()) - base;
    if (n > 4_096) {
      text.removeFirst(n);
      base += n;
    }
  }
}
