package dev.voicebridge.emulator.cartesia;

/**
 * A context's buffered transcript (protocol note section 7.2, INFERRED rule): continuation
 * transcripts are concatenated verbatim; with a {@code max_buffer_delay_ms} above zero, text is
 * held until it holds a sentence end, and released up to (and with the whitespace after) the last
 * one; the rest waits for more text, the delay, a flush or the end of input.
 */
final class TextBuffer {
  private final StringBuilder text = new StringBuilder();

  /** Appends a transcript as sent. */
  void append(String transcript) {
    text.append(transcript);
  }

  /** Whether nothing is buffered. */
  boolean isEmpty() {
    return text.length() == 0;
  }

  /** Everything buffered (empty if nothing), emptying the buffer. */
  String takeAll() {
    String s = text.toString();
    text.setLength(0);
    return s;
  }

  /**
   * The buffered text up to its last sentence end, with the whitespace after it, or null if it has
   * none. A sentence end is one of {@code . ! ?} or a CJK full stop, exclamation or question mark,
   * optionally followed by closing quotes or brackets, then whitespace or the end of the buffer.
   */
  String takeSentences() {
    int cut = -1;
    for (int i = 0; i < text.length(); i++) {
      if (!isSentenceEnd(text.charAt(i))) {
        continue;
      }
      int j = i + 1;
      while (j < text.length() && isCloser(text.charAt(j))) {
        j++;
      }
      if (j == text.length()
          || Character.isWhitespace(text.charAt(j))
          || isCjkEnd(text.charAt(i))) {
        while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
          j++;
        }
        cut = j;
      }
    }
    if (cut < 0) {
      return null;
    }
    String s = text.substring(0, cut);
    text.delete(0, cut);
    return s;
  }

  private static boolean isSentenceEnd(char c) {
    return c == '.' || c == '!' || c == '?' || isCjkEnd(c);
  }

  private static boolean isCjkEnd(char c) {
    return c == '\u3002' || c == '\uff01' || c == '\uff1f';
  }

  private static boolean isCloser(char c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '\u201d' || c == '\u2019';
  }
}
