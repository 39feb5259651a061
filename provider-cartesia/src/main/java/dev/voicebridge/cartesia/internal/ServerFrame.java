package dev.voicebridge.cartesia.internal;

import java.util.List;

/**
 * One decoded server frame: a WebSocket message or the data of an SSE event (both have the same
 * shapes). Only the fields of its {@link Type} are set.
 *
 * @param type the kind of frame
 * @param typeName the {@code type} as sent (for an unknown type's warning)
 * @param contextId {@code context_id}, or null
 * @param audio the decoded {@code data} of a chunk, or null
 * @param flushId {@code flush_id}, or null
 * @param statusCode {@code status_code}, or null
 * @param words {@code word_timestamps}, or null
 * @param phonemes {@code phoneme_timestamps}, or null
 * @param errorCode {@code error_code} (structured errors), or null
 * @param title {@code title} (structured errors), or null
 * @param message {@code message} (structured errors), or null
 * @param error {@code error} (the text of errors before 2026-03-01), or null
 */
public record ServerFrame(
    Type type,
    String typeName,
    String contextId,
    byte[] audio,
    Integer flushId,
    Integer statusCode,
    Timestamps words,
    Timestamps phonemes,
    String errorCode,
    String title,
    String message,
    String error) {

  /** The frame types of Cartesia's TTS streams. */
  public enum Type {
    /** Audio: {@code data} is base64 of headerless audio in the requested encoding. */
    CHUNK,
    /** Word timestamps. */
    TIMESTAMPS,
    /** Phoneme timestamps. */
    PHONEME_TIMESTAMPS,
    /** The acknowledgment of a flush (not terminal). */
    FLUSH_DONE,
    /** Every output of the context was sent (terminal). */
    DONE,
    /** An error (terminal for its context). */
    ERROR,
    /** A type this adapter does not know: ignored (forward compatibility). */
    UNKNOWN
  }

  /**
   * Timestamps of words or phonemes, in seconds.
   *
   * @param items the words or phonemes
   * @param start their starts
   * @param end their ends
   */
  public record Timestamps(List<String> items, double[] start, double[] end) {
    /** Compact constructor: copies the items. */
    public Timestamps {
      items = List.copyOf(items);
    }
  }
}
