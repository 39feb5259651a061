package dev.voicebridge.kit.http;

import dev.voicebridge.ProtocolException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental parser of {@code text/event-stream} (the WHATWG server-sent events format) fed
 * with network chunks as they arrive: lines end with CRLF, LF or CR (a CRLF split across chunks is
 * one line end); {@code data} lines of one event are joined with {@code \n}; comment lines ({@code
 * :...}) are skipped; events with and without an {@code event:} line; a UTF-8 character split
 * across chunks is joined (lines are handled as bytes and only field values are decoded). At the
 * end of the stream an event not followed by a blank line is still delivered (lenient). Lines or
 * events longer than the limit are a {@link ProtocolException}, raised before more than the limit
 * is buffered. Not thread-safe.
 *
 * <p>Line ends are found eight bytes at a time; a line wholly inside a chunk is read in place, and
 * an event's data is copied once, into a buffer the parser reuses: {@link #feed(ByteBuffer,
 * Handler)} allocates nothing per event but the event name and id when they change.
 */
public final class SseReader {

  /**
   * One event.
   *
   * @param event the {@code event:} name, {@code message} when there was none
   * @param data the joined {@code data:} lines
   * @param id the last {@code id:}, or null
   */
  public record Event(String event, String data, String id) {}

  /** Receives events as they complete. */
  @FunctionalInterface
  public interface Handler {
    /**
     * One event.
     *
     * @param event the {@code event:} name, {@code message} when there was none
     * @param data the joined {@code data:} lines as UTF-8, valid only during this call (the parser
     *     reuses the buffer)
     * @param off where the data starts in {@code data}
     * @param len its length in bytes
     * @param id the last {@code id:}, or null
     * @return whether to go on; false stops the current {@code feed} (the rest of its chunk is
     *     consumed unread)
     */
    boolean onEvent(String event, byte[] data, int off, int len, String id);
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LF = 0x0A0A0A0A0A0A0A0AL;
  private static final long CR = 0x0D0D0D0D0D0D0D0DL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final byte[] DATA = {'d', 'a', 't', 'a'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
  private static final byte[] ID = {'i', 'd'};

  private final String provider;
  private final int maxBytes;
  private byte[] line = new byte[256]; // a line split across chunks
  private int lineLen;
  private byte[] data = new byte[1024]; // the joined data of the current event
  private int dataLen;
  private boolean hasData;
  private byte[] copy; // chunks without an accessible array pass through here
  private boolean afterCr;
  private boolean started;
  private String eventName;
  private byte[] eventNameBytes = new byte[0];
  private String lastEventName = "";
  private String lastId;

  /**
   * A reader refusing lines and events longer than {@code maxBytes} ({@code max-frame-bytes}).
   *
   * @param provider the provider's name, for the exceptions
   * @param maxBytes the max bytes
   */
  public SseReader(String provider, int maxBytes) {
    this.provider = provider;
    this.maxBytes = maxBytes;
  }

  /** Forgets everything fed so far (a new stream), keeping the buffers. */
  public void reset() {
    lineLen = 0;
    dataLen = 0;
    hasData = false;
    afterCr = false;
    started = false;
    eventName = null;
    lastId = null;
  }

  /**
   * Feeds the next chunk; returns the events it completed, in order.
   *
   * @param chunk the audio chunk
   * @return the events it completed, in order
   */
  public List<Event> feed(ByteBuffer chunk) {
    List<Event> out = new ArrayList<>(1);
    feed(chunk, collector(out));
    return out;
  }

  /**
   * Feeds bytes; for tests and small inputs.
   *
   * @param bytes the bytes
   * @return the events it completed, in order
   */
  public List<Event> feed(byte[] bytes) {
    return feed(ByteBuffer.wrap(bytes));
  }

  /**
   * Feeds the next chunk, handing each event it completes to {@code handler} as it completes.
   *
   * @param chunk the audio chunk
   * @param handler the handler
   * @return false when the handler asked to stop
   */
  public boolean feed(ByteBuffer chunk, Handler handler) {
    if (chunk.hasArray()) {
      int base = chunk.arrayOffset();
      int from = base + chunk.position();
      int to = base + chunk.limit();
      chunk.position(chunk.limit());
      return scan(chunk.array(), from, to, handler);
    }
    if (copy == null) {
      copy = new byte[8 << 10];
    }
    while (chunk.hasRemaining()) {
      int n = Math.min(copy.length, chunk.remaining());
      chunk.get(copy, 0, n);
      if (!scan(copy, 0, n, handler)) {
        chunk.position(chunk.limit());
        return false;
      }
    }
    return true;
  }

  /** {@return the end of the stream: the last line and event, if unterminated} */
  public List<Event> finish() {
    List<Event> out = new ArrayList<>(1);
    finish(collector(out));
    return out;
  }

  /**
   * {@return the end of the stream, handing the last event (if unterminated) to {@code handler}}
   *
   * @param handler the handler
   */
  public boolean finish(Handler handler) {
    if (lineLen > 0) {
      int n = lineLen;
      lineLen = 0;
      if (!line(line, 0, n, handler)) {
        return false;
      }
    }
    return dispatch(handler);
  }

  private static Handler collector(List<Event> out) {
    return (event, bytes, off, len, id) -> {
      out.add(new Event(event, new String(bytes, off, len, StandardCharsets.UTF_8), id));
      return true;
    };
  }

  private boolean scan(byte[] a, int pos, int end, Handler handler) {
    while (pos < end) {
      if (afterCr) {
        afterCr = false;
        if (a[pos] == '\n') {
          pos++; // the LF of a CRLF
          continue;
        }
      }
      int eol = lineEnd(a, pos, end);
      if (eol < 0) {
        append(a, pos, end - pos);
        return true;
      }
      afterCr = a[eol] == '\r';
      boolean go;
      if (lineLen == 0) {
        if (eol - pos > maxBytes) {
          throw lineTooLong();
        }
        go = line(a, pos, eol, handler);
      } else {
        append(a, pos, eol - pos);
        int n = lineLen;
        lineLen = 0;
        go = line(line, 0, n, handler);
      }
      pos = eol + 1;
      if (!go) {
        return false;
      }
    }
    return true;
  }

  /** The index of the first CR or LF in {@code a[i..end)}, or -1; eight bytes at a time. */
  static int lineEnd(byte[] a, int i, int end) {
    for (; i + 8 <= end; i += 8) {
      long w = (long) LONGS.get(a, i);
      long x = w ^ LF;
      long y = w ^ CR;
      long hit = (((x - ONES) & ~x) | ((y - ONES) & ~y)) & HIGHS;
      if (hit != 0) {
        return i + (Long.numberOfTrailingZeros(hit) >>> 3); // the lowest hit is exact
      }
    }
    for (; i < end; i++) {
      byte b = a[i];
      if (b == '\n' || b == '\r') {
        return i;
      }
    }
    return -1;
  }

  private void append(byte[] a, int from, int n) {
    if (lineLen + n > maxBytes) {
      throw lineTooLong();
    }
    if (lineLen + n > line.length) {
      line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(lineLen + n, line.length * 2)));
    }
    System.arraycopy(a, from, line, lineLen, n);
    lineLen += n;
  }

  private ProtocolException lineTooLong() {
    return new ProtocolException(
        provider,
        "an SSE line longer than "
            + maxBytes
            + " bytes (max-frame-bytes); the stream was abandoned");
  }

  /** One line, {@code a[s..e)}, without its line end. */
  private boolean line(byte[] a, int s, int e, Handler handler) {
    if (!started) {
      started = true;
      if (e - s >= 3 && a[s] == (byte) 0xEF && a[s + 1] == (byte) 0xBB && a[s + 2] == (byte) 0xBF) {
        s += 3; // a byte order mark
      }
    }
    if (s == e) {
      return dispatch(handler);
    }
    if (a[s] == ':') {
      return true; // a comment
    }
    int colon = s;
    while (colon < e && a[colon] != ':') {
      colon++;
    }
    int vs = colon < e ? colon + 1 : e;
    if (vs < e && a[vs] == ' ') {
      vs++;
    }
    int fieldLen = colon - s;
    if (is(a, s, fieldLen, DATA)) {
      int n = e - vs;
      int need = dataLen + (hasData ? 1 : 0) + n;
      if (need > maxBytes) {
        throw new ProtocolException(
            provider, "an SSE event larger than " + maxBytes + " bytes (max-frame-bytes)");
      }
      if (need > data.length) {
        data = Arrays.copyOf(data, Math.min(maxBytes, Math.max(need, data.length * 2)));
      }
      if (hasData) {
        data[dataLen++] = '\n';
      }
      System.arraycopy(a, vs, data, dataLen, n);
      dataLen += n;
      hasData = true;
    } else if (is(a, s, fieldLen, EVENT)) {
      eventName = name(a, vs, e - vs);
    } else if (is(a, s, fieldLen, ID)) {
      boolean nul = false;
      for (int i = vs; i < e; i++) {
        nul |= a[i] == 0;
      }
      if (!nul) {
        lastId = new String(a, vs, e - vs, StandardCharsets.UTF_8);
      }
    } else if (!printable(a, s, fieldLen)) {
      // The specification ignores unknown fields, but a field name with control or non-ASCII
      // bytes is not an unknown field: it is binary data where the stream's text was expected,
      // and ignoring it would silently drop the event it ran into.
      throw new ProtocolException(
          provider, "binary data in the SSE stream where a text line was expected");
    }
    // retry and unknown fields are ignored, as the specification says
    return true;
  }

  /** True if the {@code n} bytes are printable ASCII (a field name as a server would send it). */
  private static boolean printable(byte[] a, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (a[i] < 0x20 || a[i] == 0x7F) { // also every byte >= 0x80, which is negative
        return false;
      }
    }
    return true;
  }

  /** The event name, reusing the previous String when the bytes are the same. */
  private String name(byte[] a, int from, int n) {
    if (!Arrays.equals(a, from, from + n, eventNameBytes, 0, eventNameBytes.length)) {
      eventNameBytes = Arrays.copyOfRange(a, from, from + n);
      lastEventName = new String(eventNameBytes, StandardCharsets.UTF_8);
    }
    return lastEventName;
  }

  private static boolean is(byte[] a, int from, int n, byte[] field) {
    return n == field.length && Arrays.equals(a, from, from + n, field, 0, n);
  }

  private boolean dispatch(Handler handler) {
    if (!hasData) {
      eventName = null;
      return true;
    }
    String name = eventName == null || eventName.isEmpty() ? "message" : eventName;
    int n = dataLen;
    dataLen = 0;
    hasData = false;
    eventName = null;
    return handler.onEvent(name, data, 0, n, lastId);
  }
}
