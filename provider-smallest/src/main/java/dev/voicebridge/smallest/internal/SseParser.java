package dev.voicebridge.smallest.internal;

import dev.voicebridge.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental parser of {@code text/event-stream} (the WHATWG server-sent events format) fed
 * with network chunks as they arrive: lines end with CRLF, LF or CR (a CRLF split across chunks is
 * one line end); {@code data} lines of one event are joined with {@code \n}; comment lines ({@code
 * :...}) are skipped; events with and without an {@code event:} line; a UTF-8 character split
 * across chunks is joined. At the end of the stream an event not followed by a blank line is still
 * delivered (lenient). Lines or events longer than the limit are a {@link ProtocolException}. Not
 * thread-safe.
 */
public final class SseParser {

  /**
   * One event.
   *
   * @param event the {@code event:} name, {@code message} when there was none
   * @param data the joined {@code data:} lines
   * @param id the last {@code id:}, or null
   */
  public record Event(String event, String data, String id) {}

  private final int maxBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean afterCr;
  private boolean started;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventName;
  private String lastId;

  /** A parser refusing lines and events longer than {@code maxBytes}. */
  public SseParser(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Feeds the next chunk; returns the events it completed, in order. */
  public List<Event> feed(ByteBuffer chunk) {
    List<Event> out = new ArrayList<>();
    while (chunk.hasRemaining()) {
      byte b = chunk.get();
      if (afterCr) {
        afterCr = false;
        if (b == '\n') {
          continue; // the LF of a CRLF
        }
      }
      if (b == '\r') {
        afterCr = true;
        endLine(out);
      } else if (b == '\n') {
        endLine(out);
      } else {
        if (line.size() >= maxBytes) {
          throw new ProtocolException(
              SmallestCodec.PROVIDER, "an SSE line longer than " + maxBytes + " bytes");
        }
        line.write(b);
      }
    }
    return out;
  }

  /** Feeds bytes; for tests and small inputs. */
  public List<Event> feed(byte[] bytes) {
    return feed(ByteBuffer.wrap(bytes));
  }

  /** The end of the stream: the last line and event, if unterminated. */
  public List<Event> finish() {
    List<Event> out = new ArrayList<>();
    if (line.size() > 0) {
      endLine(out);
    }
    dispatch(out);
    return out;
  }

  private void endLine(List<Event> out) {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (!started) {
      started = true;
      if (s.startsWith("\uFEFF")) {
        s = s.substring(1);
      }
    }
    if (s.isEmpty()) {
      dispatch(out);
      return;
    }
    if (s.charAt(0) == ':') {
      return; // comment
    }
    int colon = s.indexOf(':');
    String field = colon < 0 ? s : s.substring(0, colon);
    String value = colon < 0 ? "" : s.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (data.length() + value.length() > maxBytes) {
          throw new ProtocolException(
              SmallestCodec.PROVIDER, "an SSE event larger than " + maxBytes + " bytes");
        }
        data.append(value).append('\n');
        hasData = true;
      }
      case "event" -> eventName = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastId = value;
        }
      }
      default -> {
        // retry and unknown fields are ignored, as the specification says
      }
    }
  }

  private void dispatch(List<Event> out) {
    if (hasData) {
      String d = data.substring(0, data.length() - 1);
      out.add(
          new Event(eventName == null || eventName.isEmpty() ? "message" : eventName, d, lastId));
    }
    data.setLength(0);
    hasData = false;
    eventName = null;
  }
}
