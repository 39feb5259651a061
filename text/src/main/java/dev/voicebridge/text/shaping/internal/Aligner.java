package dev.voicebridge.text.shaping.internal;

/**
 * Finds the words a vendor reports in the text the session sent it, in order, so their timings can
 * point at the application's text. Only letters and digits are compared, in lower case ("suite." is
 * "suite"; "don't" matches "don't"). A reported word is looked for from where the previous one
 * ended: at that very place, or at the start of one of the next few words (4 for words of up to
 * three letters, 12 for longer ones), so a word the vendor skipped does not lose the thread. A word
 * not found there (the vendor's own normalization: "one hundred" for "100") is given the next word
 * of the text, without moving on, so the words after it still match. Not thread-safe.
 */
public final class Aligner {
  private final SpokenText spoken;
  private int pointer;

  /** Aligns against {@code spoken}. */
  public Aligner(SpokenText spoken) {
    this.spoken = spoken;
  }

  /** Where the next search starts (absolute spoken position). */
  public int position() {
    return pointer;
  }

  /**
   * The span of {@code word} in the application's text, or null when it has no letter or digit or
   * nothing was sent to match it against.
   */
  public int[] align(String word) {
    String v = normalize(word);
    if (v.isEmpty()) {
      return null;
    }
    int limit = v.length() <= 3 ? 4 : 12;
    int tokens = 0;
    int end = spoken.end();
    for (int q = pointer; q < end; q++) {
      char c = spoken.charAt(q);
      if (!Character.isLetterOrDigit(c)) {
        continue;
      }
      boolean tokenStart =
          q == 0 || q == spoken.base() || !Character.isLetterOrDigit(spoken.charAt(q - 1));
      if (q != pointer && !tokenStart) {
        continue;
      }
      if (tokenStart && ++tokens > limit) {
        break;
      }
      int m = matchAt(q, v);
      if (m >= 0) {
        pointer = m;
        return spoken.span(q, m);
      }
    }
    for (int q = pointer; q < end; q++) {
      if (Character.isLetterOrDigit(spoken.charAt(q))) {
        int e = q;
        while (e < end && Character.isLetterOrDigit(spoken.charAt(e))) {
          e++;
        }
        return spoken.span(q, e);
      }
    }
    return null;
  }

  /** Where the match of {@code v} starting at {@code q} ends, or -1. */
  private int matchAt(int q, String v) {
    int end = spoken.end();
    int j = q;
    for (int i = 0; i < v.length(); i++) {
      while (j < end && !Character.isLetterOrDigit(spoken.charAt(j))) {
        if (Character.isWhitespace(spoken.charAt(j))) {
          return -1;
        }
        j++;
      }
      if (j >= end || Character.toLowerCase(spoken.charAt(j)) != v.charAt(i)) {
        return -1;
      }
      j++;
    }
    return j;
  }

  /** The letters and digits of {@code word}, in lower case. */
  static String normalize(String word) {
    StringBuilder sb = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
  }
}
