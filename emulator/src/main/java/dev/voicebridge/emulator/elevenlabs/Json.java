package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** JSON helpers: the mapper, the vendor's error shapes, and key masking for records. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The value that replaces secrets in recorded frames. */
  static final String MASK = "****";

  /** Fields of a client message that carry a secret. */
  static final List<String> SECRET_FIELDS = List.of("xi_api_key", "xi-api-key", "authorization");

  private static final java.util.regex.Pattern SECRET_PATTERN =
      java.util.regex.Pattern.compile(
          "(\"(?:xi_api_key|xi-api-key|authorization)\"\\s*:\\s*)\"[^\"]*\"?");

  private Json() {}

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(JsonNode node) {
    return write(node).getBytes(StandardCharsets.UTF_8);
  }

  /** The WebSocket error frame {@code {"message","error","code":1008}}. */
  static String wsError(String error, String message) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("message", message);
    o.put("error", error);
    o.put("code", 1008);
    return write(o);
  }

  /** The HTTP error body {@code {"detail":{"status","message"}}}. */
  static byte[] detail(String status, String message) {
    ObjectNode o = MAPPER.createObjectNode();
    ObjectNode d = o.putObject("detail");
    d.put("status", status);
    d.put("message", message);
    return bytes(o);
  }

  /** A pydantic v2 validation error item. */
  static ObjectNode validation(String type, List<Object> loc, String msg, JsonNode input) {
    ObjectNode e = MAPPER.createObjectNode();
    e.put("type", type);
    ArrayNode l = e.putArray("loc");
    for (Object o : loc) {
      if (o instanceof Integer i) {
        l.add(i);
      } else {
        l.add(String.valueOf(o));
      }
    }
    e.put("msg", msg);
    e.set("input", input == null ? MAPPER.nullNode() : input);
    return e;
  }

  /** The 422 body {@code {"detail":[...]}}. */
  static byte[] validationBody(List<ObjectNode> errors) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode d = o.putArray("detail");
    errors.forEach(d::add);
    return bytes(o);
  }

  /** A client frame for the record: secrets replaced by {@value #MASK}; raw if not an object. */
  static String masked(String raw, JsonNode parsed) {
    if (!(parsed instanceof ObjectNode obj)) {
      return raw == null ? null : SECRET_PATTERN.matcher(raw).replaceAll("$1\"" + MASK + "\"");
    }
    boolean secret = false;
    for (String f : SECRET_FIELDS) {
      if (obj.has(f)) {
        secret = true;
      }
    }
    if (!secret) {
      return raw;
    }
    ObjectNode copy = obj.deepCopy();
    for (String f : SECRET_FIELDS) {
      if (copy.has(f)) {
        copy.put(f, MASK);
      }
    }
    return write(copy);
  }

  /** Truncates a close reason to the 123 bytes WebSocket allows. */
  static String reason(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= 123) {
      return s;
    }
    int n = 120;
    while (n > 0 && (b[n] & 0xC0) == 0x80) {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8) + "...";
  }
}
