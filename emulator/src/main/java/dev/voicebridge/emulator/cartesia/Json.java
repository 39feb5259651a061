package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON helpers: the mapper and reading a client message. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON object in {@code raw}, or null if it is not one. */
  static ObjectNode parseObject(String raw) {
    try {
      JsonNode n = MAPPER.readTree(raw);
      return n instanceof ObjectNode o ? o : null;
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }
}
