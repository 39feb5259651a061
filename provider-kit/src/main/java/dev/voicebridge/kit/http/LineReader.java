package dev.voicebridge.kit.http;

import dev.voicebridge.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An incremental reader of newline-delimited records (NDJSON) fed with network chunks as they
 * arrive: a record ends at {@code \n} (a {@code \r} before it and blank records are dropped; the
 * last record may end without one). A record longer than the limit is a {@link ProtocolException}
 * raised before more than the limit is buffered. Not thread-safe.
 */
public final class LineReader {

  /** Receives each record as it completes. */
  @FunctionalInterface
  public interface Handler {
    /**
     * One record, without its line end and surrounding white space; {@code line} is valid only
     * during the call (the reader reuses it).
     *
     * @param line the line
     * @param off the first index
     * @param len how many
     */
    void onLine(byte[] line, int off, int len);
  }

  private final String provider;
  private final int maxBytes;
  private byte[] line;
  private int length;

  /**
   * A reader refusing records longer than {@code maxBytes} ({@code max-frame-bytes}).
   *
   * @param provider the provider's name, for the exceptions
   * @param maxBytes the max bytes
   */
  public LineReader(String provider, int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.provider = provider;
    this.maxBytes = maxBytes;
    this.line = new byte[Math.min(16 << 10, maxBytes)];
  }

  /**
   * Feeds the next chunk, handing each record it completes to {@code handler}.
   *
   * @param chunk the audio chunk
   * @param handler the handler
   */
  public void feed(ByteBuffer chunk, Handler handler) {
    while (chunk.hasRemaining()) {
      int from = chunk.position();
      int limit = chunk.limit();
      int newline = -1;
      for (int i = from; i < limit; i++) {
        if (chunk.get(i) == '\n') {
          newline = i;
          break;
        }
      }
      int n = (newline < 0 ? limit : newline) - from;
      if ((long) length + n > maxBytes) {
        length = 0;
        throw new ProtocolException(
            provider, "a response line exceeds max-frame-bytes (" + maxBytes + " bytes)");
      }
      if (length + n > line.length) {
        line =
            Arrays.copyOf(line, (int) Math.min(maxBytes, Math.max(length + n, 2L * line.length)));
      }
      chunk.get(line, length, n);
      length += n;
      if (newline < 0) {
        return;
      }
      chunk.get(); // the newline
      emit(handler);
    }
  }

  /**
   * The stream ended: hands over a last record not followed by a newline.
   *
   * @param handler the handler
   */
  public void finish(Handler handler) {
    if (length > 0) {
      emit(handler);
    }
  }

  /** {@return whether part of a record is held (the stream ended inside it, if it ends now)} */
  public boolean hasPartialLine() {
    return length > 0;
  }

  private void emit(Handler handler) {
    int from = 0;
    int to = length;
    length = 0;
    while (from < to && isSpace(line[from])) {
      from++;
    }
    while (to > from && isSpace(line[to - 1])) {
      to--;
    }
    if (from < to) {
      handler.onLine(line, from, to - from);
    }
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0b;
  }
}
