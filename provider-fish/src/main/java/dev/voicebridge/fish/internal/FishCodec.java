package dev.voicebridge.fish.internal;

import dev.voicebridge.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The MessagePack wire format of Fish Audio: client events of {@code /v1/tts/live}, the {@code POST
 * /v1/tts} body, and decoding of server events. Pure functions; no I/O.
 */
public final class FishCodec {
  static final String PROVIDER = "fish";

  private FishCodec() {}

  /** A decoded server event of {@code /v1/tts/live}. */
  public sealed interface ServerEvent {}

  /** {@code {"event":"audio","audio":<bin>}}: audio bytes in the requested format. */
  public record Audio(byte[] data) implements ServerEvent {}

  /**
   * {@code {"event":"finish","reason":"stop"|"error"[,"message"]}}: the session ended.
   *
   * @param reason the reason, or null when absent
   * @param message the optional message of an error finish, or null
   * @param status an optional numeric status, or null
   */
  public record Finish(String reason, String message, Integer status) implements ServerEvent {
    /** Whether this is a normal end ({@code reason == "stop"}). */
    public boolean isStop() {
      return "stop".equals(reason);
    }
  }

  /**
   * {@code {"event":"error","error":"<text>"}}: a request-level failure; the socket closes after.
   *
   * @param message the vendor's text (from {@code error} or {@code message})
   * @param status an optional numeric status, or null
   * @param code an optional vendor code (a {@code code} or {@code reason} string), or null
   */
  public record ErrorEvent(String message, Integer status, String code) implements ServerEvent {}

  /** An event this client does not know; ignored. */
  public record Unknown(String event) implements ServerEvent {}

  // ------------------------------------------------------------------ client -> server

  /** {@code {"event":"start","request":request}}. */
  public static byte[] start(Map<String, Object> request) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "start");
    m.put("request", request);
    return pack(m);
  }

  /** {@code {"event":"text","text":text}}. */
  public static byte[] text(String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "text");
    m.put("text", text);
    return pack(m);
  }

  /** {@code {"event":"flush"}}. */
  public static byte[] flush() {
    return pack(Map.of("event", "flush"));
  }

  /** {@code {"event":"stop"}}. */
  public static byte[] stop() {
    return pack(Map.of("event", "stop"));
  }

  /** Packs a value made of maps (string keys, in iteration order), lists, scalars and null. */
  public static byte[] pack(Object value) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      write(p, value);
      p.flush();
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(MessageBufferPacker p, Object v) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof String s) {
      p.packString(s);
    } else if (v instanceof Integer i) {
      p.packInt(i);
    } else if (v instanceof Long l) {
      p.packLong(l);
    } else if (v instanceof Double d) {
      p.packDouble(d);
    } else if (v instanceof Float f) {
      p.packFloat(f);
    } else if (v instanceof Boolean b) {
      p.packBoolean(b);
    } else if (v instanceof byte[] bytes) {
      p.packBinaryHeader(bytes.length);
      p.addPayload(bytes);
    } else if (v instanceof Map<?, ?> map) {
      p.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        p.packString((String) e.getKey());
        write(p, e.getValue());
      }
    } else if (v instanceof List<?> list) {
      p.packArrayHeader(list.size());
      for (Object o : list) {
        write(p, o);
      }
    } else {
      throw new IllegalArgumentException("cannot pack " + v.getClass().getName());
    }
  }

  // ------------------------------------------------------------------ server -> client

  /**
   * Decodes one binary WebSocket message.
   *
   * @throws ProtocolException for anything that is not a MessagePack map with a string {@code
   *     event} and well-typed known fields (truncated, malformed, trailing bytes)
   */
  public static ServerEvent decode(ByteBuffer frame) {
    int size = frame.remaining();
    if (size == 0) {
      throw protocol("empty binary frame", null);
    }
    // msgpack-core reads only array-backed or direct buffers; the JDK hands out read-only ones
    byte[] bytes = new byte[size];
    frame.duplicate().get(bytes);
    try (MessageUnpacker u =
        new MessagePack.UnpackerConfig().withStringSizeLimit(size).newUnpacker(bytes)) {
      if (u.getNextFormat().getValueType() != ValueType.MAP) {
        throw protocol(
            "frame is not a MessagePack map (" + u.getNextFormat().getValueType() + ")", null);
      }
      int entries = u.unpackMapHeader();
      String event = null;
      byte[] audio = null;
      boolean audioSeen = false;
      String reason = null;
      String message = null;
      String error = null;
      String code = null;
      Integer status = null;
      for (int i = 0; i < entries; i++) {
        if (u.getNextFormat().getValueType() != ValueType.STRING) {
          u.skipValue();
          u.skipValue();
          continue;
        }
        String key = u.unpackString();
        switch (key) {
          case "event" -> event = string(u, "event", false);
          case "audio" -> {
            audioSeen = true;
            audio = binary(u, size);
          }
          case "reason" -> reason = string(u, "reason", true);
          case "message" -> message = text(u, size);
          case "error" -> error = text(u, size);
          case "code" -> code = text(u, size);
          case "status" -> status = integer(u);
          default -> u.skipValue();
        }
      }
      if (u.hasNext()) {
        throw protocol("trailing bytes after the event map", null);
      }
      if (event == null) {
        throw protocol("event map without an 'event' key", null);
      }
      return switch (event) {
        case "audio" -> {
          if (!audioSeen) {
            throw protocol("audio event without an 'audio' field", null);
          }
          yield new Audio(audio == null ? new byte[0] : audio);
        }
        case "finish" -> new Finish(reason, message != null ? message : error, status);
        case "error" ->
            new ErrorEvent(
                error != null ? error : message != null ? message : "(no message)",
                status,
                code != null ? code : reason);
        default -> new Unknown(event);
      };
    } catch (MessagePackException | IOException | IllegalArgumentException e) {
      throw protocol("malformed MessagePack frame: " + e.getMessage(), e);
    }
  }

  private static String string(MessageUnpacker u, String key, boolean nullable) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() == ValueType.STRING) {
      return u.unpackString();
    }
    if (nullable && f.getValueType() == ValueType.NIL) {
      u.unpackNil();
      return null;
    }
    throw protocol("'" + key + "' is not a string but " + f.getValueType(), null);
  }

  private static byte[] binary(MessageUnpacker u, int frameSize) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() == ValueType.NIL) {
      u.unpackNil();
      return null;
    }
    if (f.getValueType() != ValueType.BINARY) {
      throw protocol("'audio' is not binary but " + f.getValueType(), null);
    }
    int len = u.unpackBinaryHeader();
    if (len < 0 || len > frameSize) {
      throw protocol("'audio' claims " + len + " bytes in a frame of " + frameSize, null);
    }
    return u.readPayload(len);
  }

  /** A message-ish value: a string as is, a map's message/error/detail, anything else as text. */
  private static String text(MessageUnpacker u, int frameSize) throws IOException {
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case STRING:
        return u.unpackString();
      case NIL:
        u.unpackNil();
        return null;
      case MAP:
        {
          int n = u.unpackMapHeader();
          String found = null;
          for (int i = 0; i < n; i++) {
            if (u.getNextFormat().getValueType() == ValueType.STRING) {
              String k = u.unpackString();
              if ((k.equals("message") || k.equals("error") || k.equals("detail"))
                  && u.getNextFormat().getValueType() == ValueType.STRING) {
                String v = u.unpackString();
                if (found == null) {
                  found = v;
                }
                continue;
              }
            } else {
              u.skipValue();
            }
            u.skipValue();
          }
          return found != null ? found : "(error without a message)";
        }
      default:
        {
          // never unpackValue() here: it pre-sizes from declared counts and recurses per level,
          // so a hostile frame could exhaust memory or the stack; skipping does neither
          ValueType type = u.getNextFormat().getValueType();
          u.skipValue();
          return "(error of type " + type + ")";
        }
    }
  }

  private static Integer integer(MessageUnpacker u) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() == ValueType.INTEGER) {
      long v = u.unpackLong();
      return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (int) v : null;
    }
    u.skipValue();
    return null;
  }

  private static ProtocolException protocol(String message, Throwable cause) {
    return new ProtocolException(PROVIDER, message, cause);
  }

  /**
   * Decodes any MessagePack value into maps, lists, strings, longs, doubles, booleans, byte arrays
   * and null (for tests and diagnostics).
   */
  public static Object unpack(byte[] bytes) {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      Object v = read(u, 0, bytes.length);
      if (u.hasNext()) {
        throw new IllegalArgumentException("trailing bytes");
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Nesting deeper than this is refused rather than recursed into. */
  private static final int MAX_DEPTH = 64;

  private static int count(MessageUnpacker u, int n, long size) {
    // every element takes at least one byte: a larger declared count is a lie, not a reason to
    // allocate
    if (n < 0 || n > size - u.getTotalReadBytes()) {
      throw new IllegalArgumentException(
          "declares " + n + " elements in a " + size + "-byte value");
    }
    return n;
  }

  private static Object read(MessageUnpacker u, int depth, long size) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels");
    }
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case NIL:
        u.unpackNil();
        return null;
      case BOOLEAN:
        return u.unpackBoolean();
      case INTEGER:
        return u.unpackLong();
      case FLOAT:
        return u.unpackDouble();
      case STRING:
        return u.unpackString();
      case BINARY:
        return u.readPayload(count(u, u.unpackBinaryHeader(), size));
      case ARRAY:
        {
          int n = count(u, u.unpackArrayHeader(), size);
          List<Object> list = new ArrayList<>(Math.min(n, 16));
          for (int i = 0; i < n; i++) {
            list.add(read(u, depth + 1, size));
          }
          return list;
        }
      case MAP:
        {
          int n = count(u, u.unpackMapHeader(), size);
          Map<Object, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            Object k = read(u, depth + 1, size);
            map.put(k, read(u, depth + 1, size));
          }
          return map;
        }
      default:
        u.skipValue();
        return "<" + f + ">";
    }
  }
}
