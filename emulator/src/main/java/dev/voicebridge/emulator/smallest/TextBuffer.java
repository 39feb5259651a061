package dev.voicebridge.emulator.smallest;

import java.util.ArrayList;
import java.util.List;

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

  /**
   * Cuts a released text into the requests the server synthesizes one after the other: pieces of at
   * most {@link #MAX_CHARS} characters, each ending at its last sentence end (else its last
   * whitespace, else hard, never inside a surrogate pair). Every piece but the last keeps the
   * whitespace after it, so the pieces concatenated are the text. A text within the limit is one
   * piece.
   */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (text.length() - from > MAX_CHARS) {
      int limit = from + MAX_CHARS;
      int cut = -1;
      for (int i = limit - 1; i > from && cut < 0; i--) {
        char c = text.charAt(i);
        if (c == '。' || c == '！' || c == '？' || c == '।' || c == '॥') {
          cut = i + 1;
        } else if ((c == '.' || c == '!' || c == '?' || c == '…')
            && i + 1 < text.length()
            && Character.isWhitespace(text.charAt(i + 1))) {
          cut = i + 1;
        }
      }
      for (int i = limit - 1; i > from && cut < 0; i--) {
        if (Character.isWhitespace(text.charAt(i))) {
          cut = i + 1;
        }
      }
      if (cut < 0) {
        cut = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
      }
      while (cut < text.length() && Character.isWhitespace(text.charAt(cut))) {
        cut++; // the whitespace after a piece belongs to it
      }
      out.add(text.substring(from, cut));
      from = cut;
    }
    if (from < text.length() || out.isEmpty()) {
      out.add(text.substring(from));
    }
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
