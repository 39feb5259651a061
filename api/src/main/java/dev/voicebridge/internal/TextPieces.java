package dev.voicebridge.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a long text into pieces a backend can send one by one, so that a vendor starts on the first
 * sentence while the rest is still on its way and first audio does not grow with the length of the
 * text. A piece ends at the last sentence end within the limit, else at the last white space, else
 * (one long word) at the limit, never inside a surrogate pair. Short texts (LLM tokens, sentences)
 * pass whole.
 */
public final class TextPieces {
  /** The longest piece handed to a backend at once. */
  public static final int MAX_PIECE = 1_000;

  private TextPieces() {}

  /** {@code text} in pieces of at most {@code max} characters, in order; joined, the text. */
  public static List<String> split(String text, int max) {
    if (text.length() <= max) {
      return List.of(text);
    }
    List<String> out = new ArrayList<>();
    int from = 0;
    while (text.length() - from > max) {
      int end = cut(text, from, from + max);
      out.add(text.substring(from, end));
      from = end;
    }
    if (from < text.length()) {
      out.add(text.substring(from));
    }
    return out;
  }

  /** Where to end the piece that starts at {@code from} and may not pass {@code limit}. */
  private static int cut(String text, int from, int limit) {
    int space = -1;
    for (int i = limit; i > from + 1; i--) {
      char c = text.charAt(i - 1);
      if (Character.isWhitespace(c)) {
        char before = text.charAt(i - 2);
        if (before == '.' || before == '!' || before == '?' || before == '\n') {
          return i; // after the white space that follows a sentence end
        }
        if (space < 0) {
          space = i;
        }
      }
    }
    if (space > 0) {
      return space;
    }
    return Character.isLowSurrogate(text.charAt(limit)) ? limit - 1 : limit;
  }
}
