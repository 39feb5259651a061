package dev.voicebridge.emulator.deepgram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deepgram's JSON frames and bodies, and its close reasons. */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code model_version} of every {@code Metadata} (the form of a live capture). */
  static final String MODEL_VERSION = "2024-11-19.0";

  /** A text frame that is not JSON (an unterminated {@code Flushed}). */
  static final String MALFORMED = "{\"type\":\"Flushed\",\"sequence_id\":";

  // close reasons: the token of the docs' troubleshooting table, a space, prose (INFERRED)
  static final String MESSAGE_0000 =
      "MESSAGE-0000 Input message isn't a supported websocket message type.";
  static final String DATA_0000 = "DATA-0000 Input message isn't recognized as a valid command.";
  static final String DATA_0001 =
      "DATA-0001 Too many input characters submitted in recent time window.";
  static final String BIG_0000 = "BIG-0000 Message too large.";
  static final String BIG_0001 = "BIG-0001 Input text has too many characters.";
  static final String NET_0000 = "NET-0000 Internal server error.";
  static final String NET_0001 = "NET-0001 Did not receive a message from the client in time.";
  static final String NET_0003 = "NET-0003 Time limit exceeded.";

  private Wire() {}

  /** {@code {"type":"Metadata",...}}, sent once right after the handshake. */
  static String metadata(String requestId, String model) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "Metadata");
    o.put("request_id", requestId);
    o.put("model_name", model);
    o.put("model_version", MODEL_VERSION);
    o.put("model_uuid", modelUuid(model));
    o.putArray("additional_model_uuids");
    return o.toString();
  }

  /** {@code {"type":"Flushed","sequence_id":n}}. */
  static String flushed(int sequenceId) {
    return "{\"type\":\"Flushed\",\"sequence_id\":" + sequenceId + "}";
  }

  /** {@code {"type":"Cleared","sequence_id":n}}. */
  static String cleared(int sequenceId) {
    return "{\"type\":\"Cleared\",\"sequence_id\":" + sequenceId + "}";
  }

  /** A {@code Warning} frame with the fields {@code fields} asks for. */
  static String warning(DeepgramEmulator.WarningFields fields, String code, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "Warning");
    if (fields != DeepgramEmulator.WarningFields.SPEC) {
      o.put("warn_code", code);
      o.put("warn_msg", message);
    }
    if (fields != DeepgramEmulator.WarningFields.LIVE) {
      o.put("code", code);
      o.put("description", message);
    }
    return o.toString();
  }

  /** The legacy error body {@code {"err_code","err_msg","request_id"}}. */
  static byte[] errorBody(String errCode, String errMsg, String requestId) {
    ObjectNode o = JSON.createObjectNode();
    o.put("err_code", errCode);
    o.put("err_msg", errMsg);
    o.put("request_id", requestId);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The body of a 503 as the docs print it: {@code error_code}, not {@code err_code}. */
  static byte[] unavailableBody(String errMsg, String requestId) {
    ObjectNode o = JSON.createObjectNode();
    o.put("error_code", "Service Unavailable");
    o.put("err_msg", errMsg);
    o.put("request_id", requestId);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A stable UUID per model name (the real ones are not published per voice). */
  static String modelUuid(String model) {
    return UUID.nameUUIDFromBytes(("deepgram-emulator:" + model).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** A JSON object, or null for text that is not one. */
  static JsonNode parseObject(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The close code of an injected error of {@code kind}. */
  static int closeCode(Fault.ErrorKind kind) {
    return kind == Fault.ErrorKind.SERVER ? 1011 : 1008;
  }

  /**
   * The close reason of an injected error of {@code kind}: the nearest token of the docs' table
   * (NET-0000 for a server error, DATA-0001 for a rate limit, DATA-0000 for an invalid request), or
   * for what the table has no token for, the REST error code (INVALID_AUTH, INSUFFICIENT_CREDITS).
   * INFERRED.
   */
  static String closeReason(Fault.ErrorKind kind) {
    String prose =
        switch (kind) {
          case SERVER -> "NET-0000 Internal server error";
          case AUTHENTICATION -> "INVALID_AUTH Invalid credentials";
          case QUOTA -> "INSUFFICIENT_CREDITS Project does not have enough credits";
          case RATE_LIMIT -> "DATA-0001 Too many input characters submitted in recent time window";
          case INVALID_REQUEST -> "DATA-0000 Input message isn't recognized as a valid command";
        };
    return prose + " (" + Fault.MESSAGE + ").";
  }

  /**
   * The {@code err_code} and {@code err_msg} of a refusal with {@code status}: the codes of the
   * docs' examples, where REST and the handshake differ only for 429 ("Too Many Requests" in the
   * REST example, {@code TOO_MANY_REQUESTS} at the handshake; INFERRED).
   */
  static String[] refusal(int status, boolean handshake) {
    if (status == 429 && !handshake) {
      return new String[] {"Too Many Requests", "Please try again later."};
    }
    return refusal(status);
  }

  /** The {@code err_code} and {@code err_msg} of a refusal with {@code status}. */
  static String[] refusal(int status) {
    return switch (status) {
      case 400 -> new String[] {"Bad Request", "Bad Request"};
      case 401 -> new String[] {"INVALID_AUTH", "Invalid credentials."};
      case 402 ->
          new String[] {"INSUFFICIENT_CREDITS", "Project does not have enough credits left."};
      case 403 ->
          new String[] {
            "INSUFFICIENT_PERMISSIONS", "Project does not have access to the requested model."
          };
      case 404 -> new String[] {"NOT_FOUND", "Not found."};
      case 413 -> new String[] {"Payload Too Large", "Payload too large."};
      case 429 -> new String[] {"TOO_MANY_REQUESTS", "Please try again later."};
      case 503 -> new String[] {"Service Unavailable", "Service unavailable."};
      default ->
          status >= 500
              ? new String[] {"INTERNAL_SERVER_ERROR", "Internal server error."}
              : new String[] {"Bad Request", "Bad Request"};
    };
  }
}
