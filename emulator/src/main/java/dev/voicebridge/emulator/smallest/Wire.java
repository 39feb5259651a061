package dev.voicebridge.emulator.smallest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.spi.conformance.Fault;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON the emulator speaks: WebSocket frames, SSE data lines and HTTP error bodies. */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A text frame that is not JSON (the MalformedFrame fault). */
  static final String MALFORMED = "{\"status\":\"chunk\",\"data\":{\"audio\":\"";

  private Wire() {}

  /** Parses a client message; null if it is not JSON. */
  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The envelope of {@code chunk} and {@code word_timestamp} frames. */
  static ObjectNode envelope(String sessionId, String requestId, TtsRequest rq, String status) {
    ObjectNode o = JSON.createObjectNode();
    o.put("session_id", sessionId);
    o.put("request_id", requestId);
    if (rq.sessionId() != null) {
      o.put("external_session_id", rq.sessionId());
    }
    if (rq.requestId() != null) {
      o.put("external_request_id", rq.requestId());
    }
    o.put("status", status);
    return o;
  }

  /** A {@code chunk} frame. */
  static String chunk(String sessionId, String requestId, TtsRequest rq, byte[] audio) {
    ObjectNode o = envelope(sessionId, requestId, rq, "chunk");
    o.putObject("data").put("audio", Base64.getEncoder().encodeToString(audio));
    return o.toString();
  }

  /** The size in characters of a chunk frame whose audio field is empty. */
  static int chunkOverhead(String sessionId, String requestId, TtsRequest rq) {
    return chunk(sessionId, requestId, rq, new byte[0]).length();
  }

  /** A {@code word_timestamp} frame. */
  static String word(String sessionId, String requestId, TtsRequest rq, Speech.Word w) {
    ObjectNode o = envelope(sessionId, requestId, rq, "word_timestamp");
    ObjectNode d = o.putObject("data");
    d.put("id", w.id());
    d.put("word", w.word());
    d.put("start", w.start());
    d.put("end", w.end());
    return o.toString();
  }

  /** A {@code complete} frame, current or legacy shape. */
  static String complete(String sessionId, String requestId, boolean legacy) {
    ObjectNode o = JSON.createObjectNode();
    o.put("session_id", sessionId);
    o.put("request_id", requestId);
    o.put("status", "complete");
    if (legacy) {
      o.put("message", "All chunks sent");
      o.put("done", true);
    }
    return o.toString();
  }

  /** An {@code error} frame in {@code shape}. */
  static String error(SmallestEmulator.ErrorShape shape, String message, int code) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", "error");
    if (shape != SmallestEmulator.ErrorShape.NESTED) {
      o.put("message", message);
    }
    if (shape != SmallestEmulator.ErrorShape.MESSAGE) {
      ObjectNode e = o.putObject("error");
      e.put("message", message);
      e.put("code", code);
    }
    return o.toString();
  }

  /** The code an injected error of {@code kind} carries (HTTP-like). */
  static int code(Fault.ErrorKind kind) {
    return switch (kind) {
      case SERVER -> 500;
      case AUTHENTICATION -> 401;
      case QUOTA -> 402;
      case RATE_LIMIT -> 429;
      case INVALID_REQUEST -> 400;
    };
  }

  /** An HTTP error body {@code {"error": type, "message": message}}. */
  static String httpError(String type, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", type);
    o.put("message", message);
    return o.toString();
  }

  /** The {@code error} type of an HTTP status. */
  static String errorType(int status) {
    return switch (status) {
      case 400 -> "InvalidRequest";
      case 401 -> "Unauthorized";
      case 402 -> "PaymentRequired";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 408 -> "RequestTimeout";
      case 410 -> "Gone";
      case 413 -> "ContentTooLarge";
      case 429 -> "TooManyRequests";
      case 502 -> "BadGateway";
      case 503 -> "ServiceUnavailable";
      default -> status >= 500 ? "InternalServerError" : "Error";
    };
  }

  /** The 410 body of retired models (DOC changelog 2026-05-19). */
  static String modelDeprecated() {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", "error");
    o.put("error_code", "MODEL_DEPRECATED");
    o.put(
        "message",
        "This model is retired. Please migrate to lightning-v3.1 via"
            + " /waves/v1/lightning-v3.1/get_speech.");
    o.put("recommended_endpoint", "/waves/v1/lightning-v3.1/get_speech");
    return o.toString();
  }

  /** An SSE audio event ({@code event: audio} + Python-style data). */
  static String sseAudio(byte[] audio) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("audio", Base64.getEncoder().encodeToString(audio));
    m.put("done", false);
    m.put("status", "206");
    return "event: audio\ndata: " + python(m) + "\n\n";
  }

  /** The SSE terminator (no event line). */
  static String sseDone() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "200");
    m.put("done", true);
    return "data: " + python(m) + "\n\n";
  }

  /** An SSE error data line (the ErrorFrame fault). */
  static String sseError(String message, int code) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "error");
    m.put("message", message);
    m.put("code", code);
    m.put("done", true);
    return "data: " + python(m) + "\n\n";
  }

  /** A malformed SSE event (the MalformedFrame fault). */
  static String sseMalformed() {
    return "event: audio\ndata: {\"audio\": \"\n\n";
  }

  /** A JSON object written the way Python's {@code json.dumps} spaces it. */
  static String python(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      try {
        sb.append(JSON.writeValueAsString(e.getKey()))
            .append(": ")
            .append(JSON.writeValueAsString(e.getValue()));
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return sb.append('}').toString();
  }
}
