package dev.voicebridge.smallest.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.internal.Base64Text;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Smallest's JSON on the wire: the messages the client sends (WebSocket messages and SSE request
 * bodies, fields in a fixed order) and the frames the server sends (WebSocket {@code status}
 * frames, SSE {@code data} objects). Anything malformed becomes a {@link ProtocolException}, never
 * another exception.
 */
public final class SmallestCodec {
  static final String PROVIDER = "smallest";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The streaming factory of the audio fast paths (its buffers are recycled per thread). */
  private static final JsonFactory JSON = MAPPER.getFactory();

  /** Standard base64 without line feeds, padding optional (as the JDK's basic decoder). */
  private static final Base64Variant B64 = Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();

  /** Decoded audio of the current thread's frame; dropped after use when it grew past this. */
  private static final int MAX_KEPT_SCRATCH = 1 << 20;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private SmallestCodec() {}

  // ------------------------------------------------------------------ client -> server

  /**
   * A WebSocket message: {@code voice_id}, {@code text}, the request settings, then {@code
   * continue} and {@code flush}.
   */
  public static String streamMessage(
      SmallestRequest s, String text, boolean continueFlag, boolean flush) {
    return streamMessage(s, text, continueFlag, flush, s.completeBackoffMs());
  }

  private static String streamMessage(
      SmallestRequest s, String text, boolean continueFlag, boolean flush, Integer backoff) {
    ObjectNode n = base(s, text);
    putIfSet(n, "max_buffer_flush_ms", s.maxBufferFlushMs());
    putIfSet(n, "complete_backoff_ms", backoff);
    if (s.wordTimestamps() != null) {
      n.put("word_timestamps", s.wordTimestamps());
    }
    tail(n, s);
    n.put("continue", continueFlag);
    n.put("flush", flush);
    return n.toString();
  }

  /** Text for the server to buffer ({@code continue: true, flush: false}). */
  public static String textMessage(SmallestRequest s, String text) {
    return streamMessage(s, text, true, false);
  }

  /** The flush that ends a group of text ({@code text: "", continue: false, flush: true}). */
  public static String flushMessage(SmallestRequest s) {
    return streamMessage(s, "", false, true);
  }

  /**
   * The flush at the end of input: as {@link #flushMessage}, with {@code complete_backoff_ms} set
   * to {@code backoffMs} unless the session set its own, so the server's {@code complete} follows
   * the last audio instead of its default 4 s of idle time.
   */
  public static String finishMessage(SmallestRequest s, int backoffMs) {
    Integer backoff = s.completeBackoffMs() != null ? s.completeBackoffMs() : backoffMs;
    return streamMessage(s, "", false, true, backoff);
  }

  /** The body of an SSE request for one piece of text (always {@code output_format: "pcm"}). */
  public static String sseBody(SmallestRequest s, String text) {
    ObjectNode n = base(s, text);
    tail(n, s);
    n.put("output_format", "pcm");
    return n.toString();
  }

  private static ObjectNode base(SmallestRequest s, String text) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("voice_id", s.voiceId());
    n.put("text", text);
    n.put("model", s.model());
    if (s.language() != null) {
      n.put("language", s.language());
    }
    n.put("sample_rate", s.sampleRate());
    if (s.speed() != null) {
      n.put("speed", s.speed());
    }
    return n;
  }

  private static void tail(ObjectNode n, SmallestRequest s) {
    if (s.sessionId() != null) {
      n.put("session_id", s.sessionId());
    }
    if (s.requestId() != null) {
      n.put("request_id", s.requestId());
    }
    if (s.pronunciationDicts() != null) {
      ArrayNode a = n.putArray("pronunciation_dicts");
      s.pronunciationDicts().forEach(a::add);
    }
    if (s.numberPronunciationLanguage() != null) {
      n.put("number_pronunciation_language", s.numberPronunciationLanguage());
    }
    if (s.mathNotation() != null) {
      n.put("math_notation", s.mathNotation());
    }
  }

  private static void putIfSet(ObjectNode n, String field, Integer v) {
    if (v != null) {
      n.put(field, v.intValue());
    }
  }

  // ------------------------------------------------------------------ server -> client (WS)

  /** A WebSocket frame from the server. */
  public sealed interface WsFrame {}

  /**
   * {@code status: "chunk"}: base64 PCM audio.
   *
   * @param requestId the server's {@code request_id}, or null
   * @param audio the decoded bytes
   */
  public record Chunk(String requestId, byte[] audio) implements WsFrame {}

  /**
   * {@code status: "word_timestamp"}: one word, times in seconds from the start of the request's
   * audio.
   */
  public record WordTimestamp(String requestId, String word, double start, double end)
      implements WsFrame {}

  /** {@code status: "complete"} (also the legacy {@code done: true} shape). */
  public record Complete(String requestId) implements WsFrame {}

  /**
   * {@code status: "error"}, with the message at the top level or in {@code error.message}.
   *
   * @param message the vendor's message
   * @param code the vendor's code ({@code error.code}, {@code code} or {@code error_code}), or null
   */
  public record ErrorFrame(String message, String code) implements WsFrame {}

  /** A frame with a {@code status} this adapter does not know; ignored with a warning. */
  public record Unknown(String status) implements WsFrame {}

  /**
   * Decodes a WebSocket text frame. A {@code chunk} frame is read with the streaming parser, its
   * base64 decoded straight from the parser's buffer (no tree, no base64 string); any other frame,
   * and any chunk frame the fast path does not accept, goes through the tree.
   */
  public static WsFrame decodeWs(String text) {
    Chunk fast = fastChunk(text);
    return fast != null ? fast : decodeWsTree(text);
  }

  private static Chunk fastChunk(String text) {
    int length = text.length();
    Scratch scratch = SCRATCH.get();
    char[] chars = scratch.chars(length);
    text.getChars(0, length, chars, 0); // one buffer: the audio string is read where it lies
    try (JsonParser p = JSON.createParser(chars, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String status = null;
      String requestId = null;
      byte[] audio = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "status" -> {
            if (v != JsonToken.VALUE_STRING) {
              return null;
            }
            status = p.getText();
          }
          case "request_id" -> {
            requestId = v == JsonToken.VALUE_STRING ? p.getText() : null;
            p.skipChildren();
          }
          case "data" -> {
            if (v != JsonToken.START_OBJECT) {
              return null;
            }
            byte[] a = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              JsonToken fv = p.nextToken();
              if (field.equals("audio")) {
                if (fv != JsonToken.VALUE_STRING) {
                  return null;
                }
                a = base64(p, null, 0, 0);
                if (a == null) {
                  return null;
                }
              } else {
                p.skipChildren();
              }
            }
            audio = a;
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null;
      }
      return "chunk".equals(status) && audio != null ? new Chunk(requestId, audio) : null;
    } catch (IOException | RuntimeException e) {
      return null; // the tree reports what is wrong
    } finally {
      scratch.trim();
    }
  }

  /**
   * Decodes the base64 string value the parser stands on, where it lies: in {@code raw} (the bytes
   * the parser reads, from {@code off} to {@code end}) when given, else in the parser's character
   * buffer. Returns exactly the decoded bytes, or null when the value is not plain padded or
   * unpadded base64 (escapes, line breaks: the tree decides).
   */
  private static byte[] base64(JsonParser p, byte[] raw, int off, int end) throws IOException {
    if (raw == null) {
      return Base64Text.decode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }
    long at = p.currentTokenLocation().getByteOffset();
    int q = (int) (off + at);
    if (at < 0 || q >= end || raw[q] != '"') {
      return readBase64(p); // not where expected: let the parser decode
    }
    int close = Base64Text.quoteOrBackslash(raw, q + 1, end);
    if (close < 0 || raw[close] != '"') {
      return readBase64(p); // escapes in the value
    }
    return Base64Text.decode(raw, q + 1, close - q - 1); // the parser then skips the string
  }

  /**
   * Decodes the base64 string value the parser stands on with the parser's own decoder, into the
   * thread's scratch buffer, and returns a copy of exactly the decoded length.
   */
  private static byte[] readBase64(JsonParser p) throws IOException {
    Scratch s = SCRATCH.get();
    s.count = 0;
    try {
      p.readBinaryValue(B64, s);
      return Arrays.copyOf(s.buf, s.count);
    } finally {
      s.trim();
    }
  }

  /** A growable byte sink reused by one thread. */
  private static final class Scratch extends OutputStream {
    static final int INITIAL = 8 << 10;
    byte[] buf = new byte[INITIAL];
    int count;
    char[] chars = new char[INITIAL];

    char[] chars(int length) {
      if (chars.length < length) {
        chars = new char[Math.max(length, chars.length * 2)];
      }
      return chars;
    }

    /** Drops buffers grown past what a thread keeps. */
    void trim() {
      if (buf.length > MAX_KEPT_SCRATCH) {
        buf = new byte[INITIAL];
      }
      if (chars.length > MAX_KEPT_SCRATCH) {
        chars = new char[INITIAL];
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void ensure(int more) {
      int need = count + more;
      if (need > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
      }
    }
  }

  private static WsFrame decodeWsTree(String text) {
    JsonNode n = parseObject(text);
    JsonNode statusNode = n.get("status");
    String requestId = textOrNull(n.get("request_id"));
    if (statusNode == null || statusNode.isNull()) {
      if (n.path("done").asBoolean(false)) {
        return new Complete(requestId);
      }
      if (n.hasNonNull("error")) {
        return errorFrame(n);
      }
      throw malformed("a frame without 'status'", text);
    }
    if (!statusNode.isTextual()) {
      throw malformed("'status' is not a string", text);
    }
    String status = statusNode.asText();
    switch (status) {
      case "chunk" -> {
        JsonNode audio = n.path("data").get("audio");
        if (audio == null || !audio.isTextual()) {
          throw malformed("a chunk without data.audio", text);
        }
        return new Chunk(requestId, base64(audio.asText()));
      }
      case "word_timestamp" -> {
        JsonNode data = n.get("data");
        if (data == null || !data.isObject()) {
          throw malformed("a word_timestamp without data", text);
        }
        JsonNode word = data.get("word");
        JsonNode start = data.get("start");
        JsonNode end = data.get("end");
        if (word == null
            || !word.isTextual()
            || start == null
            || !start.isNumber()
            || end == null
            || !end.isNumber()) {
          throw malformed("a word_timestamp without word, start and end", text);
        }
        double s = start.asDouble();
        double e = end.asDouble();
        if (!Double.isFinite(s) || !Double.isFinite(e) || s < 0 || e < s) {
          throw malformed("a word_timestamp with impossible times " + s + ".." + e, text);
        }
        return new WordTimestamp(requestId, word.asText(), s, e);
      }
      case "complete" -> {
        return new Complete(requestId);
      }
      case "error" -> {
        return errorFrame(n);
      }
      default -> {
        return new Unknown(status);
      }
    }
  }

  private static ErrorFrame errorFrame(JsonNode n) {
    JsonNode error = n.get("error");
    String message = textOrNull(n.get("message"));
    String code = null;
    if (error != null && error.isObject()) {
      if (message == null) {
        message = textOrNull(error.get("message"));
      }
      code = scalarOrNull(error.get("code"));
      if (code == null) {
        code = scalarOrNull(error.get("type"));
      }
    } else if (error != null && error.isTextual()) {
      if (message == null) {
        message = error.asText();
      } else {
        code = error.asText();
      }
    }
    if (code == null) {
      code = scalarOrNull(n.get("code"));
    }
    if (code == null) {
      code = scalarOrNull(n.get("error_code"));
    }
    return new ErrorFrame(message == null ? "error frame without a message" : message, code);
  }

  // ------------------------------------------------------------------ server -> client (SSE)

  /** What one SSE event carries. */
  public sealed interface SseFrame {}

  /**
   * Audio and/or the terminator.
   *
   * @param audio decoded PCM, or null when the event has none
   * @param done whether this is the {@code done: true} terminator
   */
  public record SseData(byte[] audio, boolean done) implements SseFrame {}

  /**
   * An error reported inside the stream.
   *
   * @param status the numeric status it carried, or -1
   */
  public record SseError(int status, String message, String code) implements SseFrame {}

  /**
   * Decodes the data of one SSE event, given as UTF-8 bytes (as {@link SseParser} hands them over,
   * in a buffer it reuses: nothing returned refers to it). An audio event is read with the
   * streaming parser straight from the bytes; anything else goes through {@link #decodeSse(String,
   * String)}.
   */
  public static SseFrame decodeSse(String eventName, byte[] data, int off, int len) {
    SseData fast = null;
    if (!"error".equalsIgnoreCase(eventName)) {
      try (JsonParser p = JSON.createParser(data, off, len)) {
        fast = fastSse(p, data, off, off + len);
      } catch (IOException | RuntimeException e) {
        fast = null; // the tree reports what is wrong
      } finally {
        SCRATCH.get().trim();
      }
    }
    return fast != null
        ? fast
        : decodeSseTree(eventName, new String(data, off, len, StandardCharsets.UTF_8));
  }

  /** An audio event the streaming parser accepts, or null for the tree to judge. */
  private static SseData fastSse(JsonParser p, byte[] raw, int off, int end) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    byte[] audio = null;
    boolean done = false;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "audio" -> {
          if (v == JsonToken.VALUE_STRING) {
            audio = base64(p, raw, off, end);
            if (audio == null) {
              return null;
            }
          } else if (v == JsonToken.VALUE_NULL) {
            audio = null;
          } else {
            return null;
          }
        }
        case "done" -> {
          if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
            done = v == JsonToken.VALUE_TRUE;
          } else if (v == JsonToken.VALUE_STRING) {
            done = "true".equalsIgnoreCase(p.getText());
          } else {
            return null;
          }
        }
        case "status" -> {
          if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() >= 400) {
              return null;
            }
          } else if (v == JsonToken.VALUE_STRING) {
            if (!okStatus(p.getText())) {
              return null; // an error: the tree decides
            }
          } else if (v != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "error", "error_code" -> {
          if (v != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
      return null;
    }
    return new SseData(audio, done);
  }

  /** Whether a string status is a number below 400 (anything else: let the tree judge). */
  private static boolean okStatus(String status) {
    String t = status.trim();
    if (t.isEmpty() || t.length() > 3) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return false;
      }
    }
    return Integer.parseInt(t) < 400;
  }

  /**
   * Decodes the data of one SSE event. Statuses may be strings ({@code "206"}) or numbers; {@code
   * done} ends the stream.
   */
  public static SseFrame decodeSse(String eventName, String data) {
    if (!"error".equalsIgnoreCase(eventName)) {
      int length = data.length();
      Scratch scratch = SCRATCH.get();
      char[] chars = scratch.chars(length);
      data.getChars(0, length, chars, 0);
      try (JsonParser p = JSON.createParser(chars, 0, length)) {
        SseData fast = fastSse(p, null, 0, 0);
        if (fast != null) {
          return fast;
        }
      } catch (IOException | RuntimeException e) {
        // the tree reports what is wrong
      } finally {
        scratch.trim();
      }
    }
    return decodeSseTree(eventName, data);
  }

  private static SseFrame decodeSseTree(String eventName, String data) {
    if (data.isBlank()) {
      return new SseData(null, false);
    }
    JsonNode n = parseObject(data);
    JsonNode statusNode = n.get("status");
    int status = -1;
    String statusText = null;
    if (statusNode != null && !statusNode.isNull()) {
      statusText = statusNode.asText();
      if (statusNode.isNumber()) {
        status = statusNode.asInt();
      } else if (statusNode.isTextual()) {
        try {
          status = Integer.parseInt(statusText.trim());
        } catch (NumberFormatException e) {
          status = -1;
        }
      }
    }
    boolean errorShape =
        "error".equalsIgnoreCase(eventName)
            || "error".equalsIgnoreCase(statusText)
            || status >= 400
            || n.hasNonNull("error")
            || n.hasNonNull("error_code");
    if (errorShape) {
      ErrorFrame e = errorFrame(n);
      return new SseError(status >= 400 ? status : -1, e.message(), e.code());
    }
    byte[] audio = null;
    JsonNode a = n.get("audio");
    if (a != null && !a.isNull()) {
      if (!a.isTextual()) {
        throw malformed("'audio' is not a string", data);
      }
      audio = base64(a.asText());
    }
    JsonNode d = n.get("done");
    boolean done = d != null && (d.asBoolean(false) || "true".equalsIgnoreCase(d.asText()));
    return new SseData(audio, done);
  }

  // ------------------------------------------------------------------ errors in HTTP bodies

  /**
   * The message and code of an HTTP error body: {@code {"error": type, "message": text}} or {@code
   * {"error_code": ..., "message": ..., "recommended_endpoint": ...}}.
   *
   * @return {message, code}; the message is the body itself when it is not JSON
   */
  public static String[] httpError(String body) {
    if (body == null || body.isBlank()) {
      return new String[] {"(empty body)", null};
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return new String[] {abbreviate(body), null};
    }
    if (n == null || !n.isObject()) {
      return new String[] {abbreviate(body), null};
    }
    ErrorFrame e = errorFrame(n);
    String message = e.message();
    String code = textOrNull(n.get("error_code"));
    if (code == null) {
      code = e.code();
    }
    if (code == null && n.get("error") != null && n.get("error").isTextual()) {
      code = n.get("error").asText();
    }
    String recommended = textOrNull(n.get("recommended_endpoint"));
    if (recommended != null && !message.contains(recommended)) {
      message = message + " (recommended endpoint: " + recommended + ")";
    }
    return new String[] {abbreviate(message), code};
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() <= 500 ? t : t.substring(0, 500) + "...";
  }

  // ------------------------------------------------------------------ helpers

  private static JsonNode parseObject(String text) {
    JsonNode n;
    try {
      n = MAPPER.readTree(text);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new ProtocolException(
          PROVIDER, "the server sent a frame that is not JSON: " + excerpt(text), e);
    }
    if (n == null || !n.isObject()) {
      throw malformed("a frame that is not a JSON object", text);
    }
    return n;
  }

  private static byte[] base64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      try {
        return Base64.getDecoder().decode(s.replaceAll("[\\r\\n\\t ]", "")); // line breaks
      } catch (IllegalArgumentException e2) {
        throw new ProtocolException(PROVIDER, "the server sent audio that is not base64", e);
      }
    }
  }

  private static String textOrNull(JsonNode n) {
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static String scalarOrNull(JsonNode n) {
    return n != null && (n.isTextual() || n.isNumber()) ? n.asText() : null;
  }

  private static ProtocolException malformed(String what, String text) {
    return new ProtocolException(PROVIDER, "the server sent " + what + ": " + excerpt(text));
  }

  static String excerpt(String text) {
    if (text == null) {
      return "null";
    }
    String t = text.length() <= 200 ? text : text.substring(0, 200) + "...";
    return t.replace('\n', ' ').replace('\r', ' ');
  }
}
