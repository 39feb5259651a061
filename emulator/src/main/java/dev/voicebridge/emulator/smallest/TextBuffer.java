package dev.voicebridge.emulator.smallest;

/**
 * The server-side text buffer of one WebSocket connection ({@code continue: true} messages). Text
 * is released at a sentence end: one of {@code . ! ? …} followed by whitespace, or a CJK/Devanagari
 * terminator ({@code 。 ！ ？ । ॥}) anywhere; and when the buffer grows past {@link #MAX_CHARS}
 * characters without one, at its last whitespace (Smallest's documented chunk limit is 250
 * characters). A period at the very end of the buffer waits for the next text, so {@code 3.} +
 * {@code 14} stays one number. Not thread-safe.
 */
final class TextBuffer {
  /** The longest text held without a sentence end. */
  static final int MAX_CHARS = 250;

  private final StringBuilder buf = new StringBuilder();

  /** Appends text and returns what became releasable (possibly empty). */
  String append(String text) {
    buf.append(text);
    int cut = lastBoundary();
    if (cut <= 0 && buf.length() > MAX_CHARS) {
      cut = lastWhitespace();
      if (cut <= 0) {
        cut = MAX_CHARS;
      }
    }
    if (cut <= 0) {
      return "";
    }
    String out = buf.substring(0, cut);
    buf.delete(0, cut);
    return out;
  }

  /** Returns everything buffered and empties the buffer. */
  String drain() {
    String out = buf.toString();
    buf.setLength(0);
    return out;
  }

  /** Whether non-blank text is buffered. */
  boolean hasText() {
    for (int i = 0; i < buf.length(); i++) {
      if (!Character.isWhitespace(buf.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private int lastBoundary() {
    for (int i = buf.length() - 1; i >= 0; i--) {
      char c = buf.charAt(i);
      if (c == '。' || c == '！' || c == '？' || c == '।' || c == '॥') {
        return i + 1;
      }
      if ((c == '.' || c == '!' || c == '?' || c == '…')
          && i + 1 < buf.length()
          && Character.isWhitespace(buf.charAt(i + 1))) {
        return i + 1;
      }
    }
    return -1;
  }

  private int lastWhitespace() {
    for (int i = Math.min(buf.length(), MAX_CHARS) - 1; i > 0; i--) {
      if (Character.isWhitespace(buf.charAt(i))) {
        return i + 1;
      }
    }
    return -1;
  }
}
