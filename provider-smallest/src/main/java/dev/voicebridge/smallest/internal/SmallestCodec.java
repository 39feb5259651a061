package dev.voicebridge.smallest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.ProtocolException;
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

  private SmallestCodec() {}

  // ------------------------------------------------------------------ client -> server

  /**
   * A WebSocket message: {@code voice_id}, {@code text}, the request settings, then {@code
   * continue} and {@code flush}.
   */
  public static String streamMessage(
      RequestSettings s, String text, boolean continueFlag, boolean flush) {
    ObjectNode n = base(s, text);
    putIfSet(n, "max_buffer_flush_ms", s.maxBufferFlushMs());
    putIfSet(n, "complete_backoff_ms", s.completeBackoffMs());
    if (s.wordTimestamps() != null) {
      n.put("word_timestamps", s.wordTimestamps());
    }
    tail(n, s);
    n.put("continue", continueFlag);
    n.put("flush", flush);
    return n.toString();
  }

  /** Text for the server to buffer ({@code continue: true, flush: false}). */
  public static String textMessage(RequestSettings s, String text) {
    return streamMessage(s, text, true, false);
  }

  /** The flush that ends a group of text ({@code text: "", continue: false, flush: true}). */
  public static String flushMessage(RequestSettings s) {
    return streamMessage(s, "", false, true);
  }

  /** The body of an SSE request for one piece of text (always {@code output_format: "pcm"}). */
  public static String sseBody(RequestSettings s, String text) {
    ObjectNode n = base(s, text);
    tail(n, s);
    n.put("output_format", "pcm");
    return n.toString();
  }

  private static ObjectNode base(RequestSettings s, String text) {
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

  private static void tail(ObjectNode n, RequestSettings s) {
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

  /** Decodes a WebSocket text frame. */
  public static WsFrame decodeWs(String text) {
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
   * Decodes the data of one SSE event. Statuses may be strings ({@code "206"}) or numbers; {@code
   * done} ends the stream.
   */
  public static SseFrame decodeSse(String eventName, String data) {
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
