package dev.voicebridge.emulator.fish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * MessagePack to plain Java values and back (maps, lists, strings, longs, doubles, booleans, byte
 * arrays, null), and a readable rendering of client frames for the records.
 */
final class FishCodec {
  private FishCodec() {}

  /** Thrown for bytes that are not exactly one MessagePack value. */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message);
    }
  }

  /** Decodes exactly one MessagePack value from {@code bytes}. */
  static Object unpack(byte[] bytes) throws MalformedException {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      if (!u.hasNext()) {
        throw new MalformedException("empty frame");
      }
      Value v = u.unpackValue();
      if (u.hasNext()) {
        throw new MalformedException("trailing bytes after the MessagePack value");
      }
      return toJava(v);
    } catch (IOException | MessagePackException e) {
      throw new MalformedException("invalid MessagePack: " + e.getMessage());
    }
  }

  static Object toJava(Value v) {
    switch (v.getValueType()) {
      case NIL:
        return null;
      case BOOLEAN:
        return v.asBooleanValue().getBoolean();
      case INTEGER:
        return v.asIntegerValue().isInLongRange()
            ? (Object) v.asIntegerValue().toLong()
            : (Object) v.asIntegerValue().toBigInteger().doubleValue();
      case FLOAT:
        return v.asFloatValue().toDouble();
      case STRING:
        return v.asStringValue().asString();
      case BINARY:
        return v.asBinaryValue().asByteArray();
      case ARRAY:
        {
          List<Object> out = new ArrayList<>();
          for (Value e : v.asArrayValue()) {
            out.add(toJava(e));
          }
          return out;
        }
      case MAP:
        {
          Map<String, Object> out = new LinkedHashMap<>();
          for (Map.Entry<Value, Value> e : v.asMapValue().entrySet()) {
            Value k = e.getKey();
            String key = k.isStringValue() ? k.asStringValue().asString() : k.toJson();
            out.put(key, toJava(e.getValue()));
          }
          return out;
        }
      default:
        return "<extension>";
    }
  }

  /** Encodes a value made of maps, lists, strings, numbers, booleans, byte arrays and null. */
  static byte[] pack(Object value) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      write(p, value);
      return p.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"event":"audio","audio":<bin>}}. */
  static byte[] audioEvent(byte[] audio) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "audio");
    m.put("audio", audio);
    return pack(m);
  }

  /**
   * The start of an audio event whose {@code audio} announces {@code length} bytes: the map and its
   * {@code event}, then the {@code bin 32} header, without the bytes.
   */
  static byte[] audioEventHead(int length) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(2);
      p.packString("event");
      p.packString("audio");
      p.packString("audio");
      p.packBinaryHeader(length);
      return p.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"event":"finish","reason":reason[,"message":message]}}. */
  static byte[] finishEvent(String reason, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "finish");
    m.put("reason", reason);
    if (message != null) {
      m.put("message", message);
    }
    return pack(m);
  }

  /** {@code {"event":"error","error":message}}. */
  static byte[] errorEvent(String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "error");
    m.put("error", message);
    return pack(m);
  }

  private static void write(MessageBufferPacker p, Object v) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof String s) {
      p.packString(s);
    } else if (v instanceof byte[] b) {
      p.packBinaryHeader(b.length);
      p.writePayload(b);
    } else if (v instanceof Boolean b) {
      p.packBoolean(b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      p.packLong(((Number) v).longValue());
    } else if (v instanceof Number n) {
      p.packDouble(n.doubleValue());
    } else if (v instanceof Map<?, ?> m) {
      p.packMapHeader(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        p.packString(String.valueOf(e.getKey()));
        write(p, e.getValue());
      }
    } else if (v instanceof List<?> l) {
      p.packArrayHeader(l.size());
      for (Object o : l) {
        write(p, o);
      }
    } else {
      throw new IllegalArgumentException("cannot pack " + v.getClass());
    }
  }

  /**
   * A readable, JSON-like rendering: maps and lists as JSON, strings quoted, binary as {@code <bin
   * N bytes>}. Map order is kept, so the rendering of a frame is stable.
   */
  static String render(Object v) {
    StringBuilder sb = new StringBuilder();
    render(sb, v);
    return sb.toString();
  }

  private static void render(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof byte[] b) {
      sb.append("<bin ").append(b.length).append(" bytes>");
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        render(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        render(sb, l.get(i));
      }
      sb.append(']');
    } else {
      sb.append(v);
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
