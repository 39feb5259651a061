package dev.voicebridge.emulator.fish;

import java.util.ArrayList;
import java.util.List;

/**
 * The server-side text buffer of a Fish session: text accumulates until it reaches {@code
 * chunk_length} characters, then a chunk is cut at the last sentence end, else the last word
 * boundary, at or after {@code min_chunk_length} characters (else hard at {@code chunk_length});
 * {@code flush} and {@code stop} take everything. Characters are UTF-16 chars (the hosted unit is
 * inferred to be characters). Not thread-safe.
 */
final class TextBuffer {
  private static final String SENTENCE_END = ".!?;。！？；…";
  private final StringBuilder buf = new StringBuilder();
  private final int chunkLength;
  private final int minChunkLength;

  TextBuffer(int chunkLength, int minChunkLength) {
    this.chunkLength = chunkLength;
    this.minChunkLength = Math.min(minChunkLength, chunkLength);
  }

  /** Appends {@code text}; returns the chunks that are now ready (possibly none). */
  List<String> append(String text) {
    buf.append(text);
    List<String> out = new ArrayList<>();
    while (buf.length() >= chunkLength) {
      int cut = cutPoint();
      out.add(buf.substring(0, cut));
      buf.delete(0, cut);
      while (buf.length() > 0 && Character.isWhitespace(buf.charAt(0))) {
        buf.deleteCharAt(0);
      }
    }
    return out;
  }

  /** Everything buffered, emptied. */
  String drain() {
    String s = buf.toString();
    buf.setLength(0);
    return s;
  }

  /** Characters buffered. */
  int length() {
    return buf.length();
  }

  private int cutPoint() {
    int lo = Math.max(1, minChunkLength);
    for (int i = chunkLength; i >= lo; i--) {
      if (SENTENCE_END.indexOf(buf.charAt(i - 1)) >= 0
          && (i == buf.length() || Character.isWhitespace(buf.charAt(i)))) {
        return i;
      }
    }
    for (int i = chunkLength; i >= lo; i--) {
      if (i < buf.length() && Character.isWhitespace(buf.charAt(i))) {
        return i;
      }
    }
    return chunkLength;
  }
}
