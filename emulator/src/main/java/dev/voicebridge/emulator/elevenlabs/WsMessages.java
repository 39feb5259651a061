package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading a client message of the WebSocket endpoints (protocol note sections 1.2 and 1.3): the
 * schema check, the fields, and the {@code chunk_length_schedule}.
 */
final class WsMessages {
  static final String SETTINGS_CHANGED =
      "voice_settings field must be provided in the first message and then either be not provided"
          + " or not change.";
  static final String INVALID_INPUT =
      "Could not parse input message, make sure it is a json and follows the schema outlined in"
          + " protocol.";

  private WsMessages() {}

  /** Whether every known field has the type the schema gives it. */
  static boolean wellFormed(JsonNode n) {
    for (String f : List.of("text", "context_id", "xi_api_key", "xi-api-key", "authorization")) {
      JsonNode v = n.get(f);
      if (v != null && !v.isNull() && !v.isTextual()) {
        return false;
      }
    }
    for (String f : List.of("flush", "try_trigger_generation", "close_context", "close_socket")) {
      JsonNode v = n.get(f);
      if (v != null && !v.isNull() && !v.isBoolean()) {
        return false;
      }
    }
    for (String f : List.of("voice_settings", "generation_config", "generator_config")) {
      JsonNode v = n.get(f);
      if (v != null && !v.isNull() && !v.isObject()) {
        return false;
      }
    }
    return schedule(n) != null || !hasSchedule(n);
  }

  static boolean hasSchedule(JsonNode n) {
    JsonNode gc = n.get("generation_config");
    return gc != null && gc.isObject() && gc.has("chunk_length_schedule");
  }

  /** The node's valid chunk_length_schedule, or null (absent or invalid). */
  static List<Integer> schedule(JsonNode n) {
    if (n == null || !hasSchedule(n)) {
      return null;
    }
    JsonNode s = n.get("generation_config").get("chunk_length_schedule");
    if (!s.isArray() || s.isEmpty()) {
      return null;
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode v : s) {
      if (!v.isNumber() || v.asDouble() < 50 || v.asDouble() > 500) {
        return null;
      }
      out.add((int) Math.round(v.asDouble()));
    }
    return out;
  }

  static String textOrNull(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  static boolean flag(JsonNode n, String f) {
    JsonNode v = n.get(f);
    return v != null && v.asBoolean(false);
  }
}
