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
import org.msgpack.core.MessageUnpacker;

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
   * Decodes one binary WebSocket message. The buffer's position and limit are left alone; it may be
   * read-only (as the JDK's WebSocket delivers messages) or direct.
   *
   * <p>The event map is walked in place with absolute reads: an {@code audio} event allocates only
   * its audio array (one copy of the {@code bin} payload), nothing for the map, its keys or the
   * event name. Every length is checked against the bytes left before anything is copied, and
   * nested values are skipped iteratively, so no input can allocate more than its own size or
   * recurse.
   *
   * @throws ProtocolException for anything that is not a MessagePack map with a string {@code
   *     event} and well-typed known fields (truncated, malformed, trailing bytes)
   */
  public static ServerEvent decode(ByteBuffer frame) {
    final int begin = frame.position();
    final int end = frame.limit();
    if (begin >= end) {
      throw protocol("empty binary frame", null);
    }
    int b0 = frame.get(begin) & 0xff;
    if (kind(b0) != MAP) {
      throw protocol("frame is not a MessagePack map (" + typeName(b0) + ")", null);
    }
    long h = header(frame, begin, end);
    long entries = h >>> 4;
    int p = begin + (int) (h & 15);
    if (entries > (long) (end - p) / 2) {
      throw protocol(
          "the event map claims " + entries + " entries in " + (end - begin) + " bytes", null);
    }
    int eventAt = -1; // offset of the event name's bytes
    int eventLen = 0;
    int audioAt = -1; // offset of the audio payload; -2 for nil
    int audioLen = 0;
    int reasonAt = -1; // offsets of the values, parsed after the walk
    int messageAt = -1;
    int errorAt = -1;
    int codeAt = -1;
    int statusAt = -1;
    for (long i = 0; i < entries; i++) {
      int kb = byteAt(frame, p, end);
      if (kind(kb) != STRING) {
        p = skip(frame, skip(frame, p, end), end);
        continue;
      }
      long kh = header(frame, p, end);
      int keyAt = p + (int) (kh & 15);
      int keyLen = length(kh, keyAt, end);
      p = keyAt + keyLen;
      int key = key(frame, keyAt, keyLen);
      int vb = byteAt(frame, p, end);
      switch (key) {
        case KEY_EVENT -> {
          if (kind(vb) != STRING) {
            throw protocol("'event' is not a string but " + typeName(vb), null);
          }
          long vh = header(frame, p, end);
          eventAt = p + (int) (vh & 15);
          eventLen = length(vh, eventAt, end);
        }
        case KEY_AUDIO -> {
          if (vb == 0xc0) {
            audioAt = -2;
          } else if (kind(vb) == BINARY) {
            long vh = header(frame, p, end);
            audioAt = p + (int) (vh & 15);
            audioLen = length(vh, audioAt, end);
          } else {
            throw protocol("'audio' is not binary but " + typeName(vb), null);
          }
        }
        case KEY_REASON -> {
          if (kind(vb) != STRING && vb != 0xc0) {
            throw protocol("'reason' is not a string but " + typeName(vb), null);
          }
          reasonAt = p;
        }
        case KEY_MESSAGE -> messageAt = p;
        case KEY_ERROR -> errorAt = p;
        case KEY_CODE -> codeAt = p;
        case KEY_STATUS -> statusAt = p;
        default -> {}
      }
      p = skip(frame, p, end);
    }
    if (p != end) {
      throw protocol("trailing bytes after the event map", null);
    }
    if (eventAt < 0) {
      throw protocol("event map without an 'event' key", null);
    }
    int event = key(frame, eventAt, eventLen);
    if (event == KEY_AUDIO) {
      if (audioAt == -1) {
        throw protocol("audio event without an 'audio' field", null);
      }
      byte[] audio = new byte[audioAt < 0 ? 0 : audioLen];
      if (audioAt >= 0) {
        frame.get(audioAt, audio);
      }
      return new Audio(audio);
    }
    String reason = reasonAt < 0 ? null : text(frame, reasonAt, end);
    String message = messageAt < 0 ? null : text(frame, messageAt, end);
    String error = errorAt < 0 ? null : text(frame, errorAt, end);
    String code = codeAt < 0 ? null : text(frame, codeAt, end);
    Integer status = statusAt < 0 ? null : integer(frame, statusAt, end);
    if (event == KEY_FINISH) {
      return new Finish(reason, message != null ? message : error, status);
    }
    if (event == KEY_ERROR) {
      return new ErrorEvent(
          error != null ? error : message != null ? message : "(no message)",
          status,
          code != null ? code : reason);
    }
    return new Unknown(string(frame, eventAt, eventLen));
  }

  // ---- a MessagePack reader over absolute offsets of a (possibly read-only) buffer

  private static final int NIL = 0;
  private static final int BOOLEAN = 1;
  private static final int INTEGER = 2;
  private static final int FLOAT = 3;
  private static final int STRING = 4;
  private static final int BINARY = 5;
  private static final int ARRAY = 6;
  private static final int MAP = 7;
  private static final int EXTENSION = 8;
  private static final int NEVER_USED = 9;
  private static final String[] TYPE_NAMES = {
    "NIL",
    "BOOLEAN",
    "INTEGER",
    "FLOAT",
    "STRING",
    "BINARY",
    "ARRAY",
    "MAP",
    "EXTENSION",
    "NEVER_USED"
  };

  // the keys and event names this decoder knows, matched on their bytes without a String
  private static final int KEY_OTHER = 0;
  private static final int KEY_EVENT = 1;
  private static final int KEY_AUDIO = 2;
  private static final int KEY_REASON = 3;
  private static final int KEY_MESSAGE = 4;
  private static final int KEY_ERROR = 5;
  private static final int KEY_CODE = 6;
  private static final int KEY_STATUS = 7;
  private static final int KEY_FINISH = 8;
  private static final int KEY_DETAIL = 9;
  private static final byte[][] KEYS = {
    null,
    ascii("event"),
    ascii("audio"),
    ascii("reason"),
    ascii("message"),
    ascii("error"),
    ascii("code"),
    ascii("status"),
    ascii("finish"),
    ascii("detail")
  };

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Which known key the {@code len} bytes at {@code at} spell, or {@link #KEY_OTHER}. */
  private static int key(ByteBuffer b, int at, int len) {
    outer:
    for (int k = 1; k < KEYS.length; k++) {
      byte[] lit = KEYS[k];
      if (lit.length != len) {
        continue;
      }
      for (int i = 0; i < len; i++) {
        if (b.get(at + i) != lit[i]) {
          continue outer;
        }
      }
      return k;
    }
    return KEY_OTHER;
  }

  /** The type of a value from its first byte. */
  private static int kind(int b) {
    if (b <= 0x7f || b >= 0xe0) {
      return INTEGER;
    }
    if (b <= 0x8f) {
      return MAP;
    }
    if (b <= 0x9f) {
      return ARRAY;
    }
    if (b <= 0xbf) {
      return STRING;
    }
    return switch (b) {
      case 0xc0 -> NIL;
      case 0xc1 -> NEVER_USED;
      case 0xc2, 0xc3 -> BOOLEAN;
      case 0xc4, 0xc5, 0xc6 -> BINARY;
      case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> EXTENSION;
      case 0xca, 0xcb -> FLOAT;
      case 0xd9, 0xda, 0xdb -> STRING;
      case 0xdc, 0xdd -> ARRAY;
      case 0xde, 0xdf -> MAP;
      default -> INTEGER; // 0xcc..0xd3
    };
  }

  private static String typeName(int b) {
    return TYPE_NAMES[kind(b)];
  }

  private static int byteAt(ByteBuffer b, int p, int end) {
    if (p >= end) {
      throw truncated();
    }
    return b.get(p) & 0xff;
  }

  /** The unsigned big-endian integer of {@code n} (1, 2, 4) bytes at {@code p}. */
  private static long uint(ByteBuffer b, int p, int n, int end) {
    if (n > end - p) {
      throw truncated();
    }
    return switch (n) {
      case 1 -> b.get(p) & 0xffL;
      case 2 -> b.getShort(p) & 0xffffL;
      default -> b.getInt(p) & 0xffff_ffffL;
    };
  }

  /**
   * The header of the string, binary, array or map at {@code p}: {@code length << 4 | headerSize},
   * where length counts bytes (string, binary) or elements (array) or entries (map).
   */
  private static long header(ByteBuffer b, int p, int end) {
    int t = byteAt(b, p, end);
    if (t >= 0x80 && t <= 0x8f) {
      return (long) (t & 0x0f) << 4 | 1;
    }
    if (t >= 0x90 && t <= 0x9f) {
      return (long) (t & 0x0f) << 4 | 1;
    }
    if (t >= 0xa0 && t <= 0xbf) {
      return (long) (t & 0x1f) << 4 | 1;
    }
    return switch (t) {
      case 0xc4, 0xd9 -> uint(b, p + 1, 1, end) << 4 | 2;
      case 0xc5, 0xda, 0xdc, 0xde -> uint(b, p + 1, 2, end) << 4 | 3;
      case 0xc6, 0xdb, 0xdd, 0xdf -> uint(b, p + 1, 4, end) << 4 | 5;
      default -> throw protocol("no length header: 0x" + Integer.toHexString(t), null);
    };
  }

  /** The byte length of header {@code h} whose payload starts at {@code at}, checked to fit. */
  private static int length(long h, int at, int end) {
    long len = h >>> 4;
    if (len > end - at) {
      throw protocol("a value claims " + len + " bytes where " + (end - at) + " are left", null);
    }
    return (int) len;
  }

  /**
   * The offset after the value at {@code p}. Iterative (a count of values still to skip), and every
   * value takes at least one byte, so a count larger than the bytes left is refused at once.
   */
  private static int skip(ByteBuffer b, int p, int end) {
    long pending = 1;
    while (pending > 0) {
      pending--;
      int t = byteAt(b, p, end);
      switch (kind(t)) {
        case NIL, BOOLEAN -> p += 1;
        case INTEGER -> p += t <= 0x7f || t >= 0xe0 ? 1 : 1 + (1 << ((t - 0xcc) & 3));
        case FLOAT -> p += t == 0xca ? 5 : 9;
        case STRING, BINARY -> {
          long h = header(b, p, end);
          int at = p + (int) (h & 15);
          p = at + length(h, at, end);
        }
        case ARRAY, MAP -> {
          long h = header(b, p, end);
          p += (int) (h & 15);
          pending += kind(t) == MAP ? 2 * (h >>> 4) : h >>> 4;
        }
        case EXTENSION -> {
          int hs;
          long len;
          if (t >= 0xd4) {
            hs = 2;
            len = 1L << (t - 0xd4);
          } else {
            int n = 1 << (t - 0xc7); // ext8, ext16, ext32: 1, 2, 4 length bytes
            len = uint(b, p + 1, n, end);
            hs = 2 + n;
          }
          if (hs > end - p) {
            throw truncated();
          }
          p += hs;
          p += length(len << 4, p, end);
        }
        default -> throw protocol("never-used format byte 0xc1", null);
      }
      if (p > end || pending > end - p) {
        throw truncated();
      }
    }
    return p;
  }

  private static String string(ByteBuffer b, int at, int len) {
    byte[] bytes = new byte[len];
    b.get(at, bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A message-ish value at {@code p} (already checked by {@link #skip}): a string as is, nil as
   * null, a map's first string message/error/detail, anything else named by its type.
   */
  private static String text(ByteBuffer b, int p, int end) {
    int t = byteAt(b, p, end);
    switch (kind(t)) {
      case STRING:
        {
          long h = header(b, p, end);
          int at = p + (int) (h & 15);
          return string(b, at, length(h, at, end));
        }
      case NIL:
        return null;
      case MAP:
        {
          long h = header(b, p, end);
          long n = h >>> 4;
          p += (int) (h & 15);
          for (long i = 0; i < n; i++) {
            int kb = byteAt(b, p, end);
            if (kind(kb) != STRING) {
              p = skip(b, skip(b, p, end), end);
              continue;
            }
            long kh = header(b, p, end);
            int keyAt = p + (int) (kh & 15);
            int keyLen = length(kh, keyAt, end);
            p = keyAt + keyLen;
            int k = key(b, keyAt, keyLen);
            if ((k == KEY_MESSAGE || k == KEY_ERROR || k == KEY_DETAIL)
                && kind(byteAt(b, p, end)) == STRING) {
              long vh = header(b, p, end);
              int at = p + (int) (vh & 15);
              return string(b, at, length(vh, at, end));
            }
            p = skip(b, p, end);
          }
          return "(error without a message)";
        }
      default:
        return "(error of type " + typeName(t) + ")";
    }
  }

  /** An integer that fits an int at {@code p}, or null (another type, or out of range). */
  private static Integer integer(ByteBuffer b, int p, int end) {
    int t = byteAt(b, p, end);
    if (t <= 0x7f) {
      return t;
    }
    if (t >= 0xe0) {
      return (int) (byte) t;
    }
    long v;
    switch (t) {
      case 0xcc -> v = uint(b, p + 1, 1, end);
      case 0xcd -> v = uint(b, p + 1, 2, end);
      case 0xce -> v = uint(b, p + 1, 4, end);
      case 0xd0 -> v = (byte) uint(b, p + 1, 1, end);
      case 0xd1 -> v = (short) uint(b, p + 1, 2, end);
      case 0xd2 -> v = (int) uint(b, p + 1, 4, end);
      case 0xcf, 0xd3 -> {
        if (8 > end - p - 1) {
          throw truncated();
        }
        long x = b.getLong(p + 1);
        if (t == 0xcf && x < 0) {
          return null; // above Long.MAX_VALUE
        }
        v = x;
      }
      default -> {
        return null;
      }
    }
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (int) v : null;
  }

  private static ProtocolException truncated() {
    return protocol("malformed MessagePack frame: truncated", null);
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
