package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.internal.TextPieces;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns tokens into what the stream-input WebSocket wants: whole words, each message ending in a
 * single space. A token that ends mid-word is held until the word completes, a flush, or the end. A
 * text longer than {@value #MAX_MESSAGE_CHARS} characters becomes several messages, cut after
 * sentences ({@link TextPieces}), so the server generates the first sentence at once instead of
 * after reading the whole text. Not thread-safe.
 */
final class WordChunker {
  /**
   * The longest message of a cut text: within the default {@code chunk_length_schedule} (120, 160,
   * 250, 290), so each message can start a generation.
   */
  static final int MAX_MESSAGE_CHARS = 250;

  private final StringBuilder held = new StringBuilder();

  /** Adds a text of any length; returns the messages to send now, in order (possibly none). */
  List<String> pushAll(String text) {
    List<String> out = new ArrayList<>(1);
    for (String piece : TextPieces.split(text, MAX_MESSAGE_CHARS)) {
      String words = push(piece);
      if (words != null) {
        out.add(words);
      }
    }
    return out;
  }

  /** Adds a token; returns the complete words to send now (ending in one space), or null. */
  String push(String token) {
    held.append(token);
    int last = -1;
    for (int i = held.length() - 1; i >= 0; i--) {
      if (Character.isWhitespace(held.charAt(i))) {
        last = i;
        break;
      }
    }
    if (last < 0) {
      return null;
    }
    String complete = held.substring(0, last + 1);
    held.delete(0, last + 1);
    return normalize(complete);
  }

  /** Everything held, ending in one space, or null when nothing is held. */
  String drain() {
    String s = held.toString();
    held.setLength(0);
    return normalize(s);
  }

  /** Whether a partial word is held. */
  boolean holding() {
    return !held.toString().isBlank();
  }

  private static String normalize(String s) {
    String t = s.strip();
    return t.isEmpty() ? null : t + " ";
  }
}
