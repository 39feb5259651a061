package dev.voicebridge.elevenlabs.internal;

/**
 * Turns tokens into what the stream-input WebSocket wants: whole words, each message ending in a
 * single space. A token that ends mid-word is held until the word completes, a flush, or the end.
 * Not thread-safe.
 */
final class WordChunker {
  private final StringBuilder held = new StringBuilder();

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
