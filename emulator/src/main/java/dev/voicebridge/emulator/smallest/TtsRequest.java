package dev.voicebridge.emulator.smallest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.AudioFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One client request (a WebSocket message or an HTTP body), validated against the ranges of the
 * protocol note (§2.2, §4.1, §5). Unknown fields are ignored, as the real server does.
 *
 * @param voiceId {@code voice_id}
 * @param text {@code text} (may be empty on a WebSocket flush message)
 * @param model {@code model}
 * @param sampleRate {@code sample_rate}
 * @param speed {@code speed}
 * @param outputFormat {@code output_format} in lower case
 * @param wordTimestamps {@code word_timestamps}
 * @param sessionId the client's {@code session_id}, or null
 * @param requestId the client's {@code request_id}, or null
 * @param continues {@code continue}
 * @param flush {@code flush}
 * @param maxBufferFlushMs {@code max_buffer_flush_ms}
 * @param completeBackoffMs {@code complete_backoff_ms}, or null when absent
 */
record TtsRequest(
    String voiceId,
    String text,
    String model,
    int sampleRate,
    double speed,
    String outputFormat,
    boolean wordTimestamps,
    String sessionId,
    String requestId,
    boolean continues,
    boolean flush,
    int maxBufferFlushMs,
    Long completeBackoffMs) {

  /** The sample rates the server accepts. */
  static final List<Integer> SAMPLE_RATES = List.of(8000, 16000, 24000, 44100);

  /** The default sample rate. */
  static final int DEFAULT_SAMPLE_RATE = 44100;

  /** The models the server accepts. */
  static final List<String> MODELS = List.of("lightning_v3.1", "lightning_v3.1_pro");

  /** The output formats the server accepts. */
  static final List<String> OUTPUT_FORMATS = List.of("pcm", "mp3", "wav", "ulaw", "alaw");

  /** The default {@code complete_backoff_ms}. */
  static final long DEFAULT_COMPLETE_BACKOFF_MS = 4000;

  private static final Pattern ID = Pattern.compile("^[a-zA-Z0-9_\\-.]+$");

  /**
   * Parses and validates a request.
   *
   * @param node the JSON value the client sent
   * @param webSocket true for a WebSocket message (empty text allowed), false for an HTTP body
   * @throws BadRequest with the message the client gets
   */
  static TtsRequest parse(JsonNode node, boolean webSocket) throws BadRequest {
    if (node == null || !node.isObject()) {
      throw new BadRequest("Invalid request: expected a JSON object.");
    }
    JsonNode textNode = node.get("text");
    if (textNode == null || !textNode.isTextual() || (!webSocket && textNode.asText().isBlank())) {
      throw new BadRequest("The 'text' field is required.");
    }
    JsonNode voice = node.get("voice_id");
    if (voice == null || !voice.isTextual() || voice.asText().isBlank()) {
      throw new BadRequest("The 'voice_id' field is required.");
    }
    String model = "lightning_v3.1";
    JsonNode m = present(node, "model");
    if (m != null) {
      if (!m.isTextual() || !MODELS.contains(m.asText())) {
        throw new BadRequest(
            "Invalid model: " + m + ". Supported models: " + String.join(", ", MODELS) + ".");
      }
      model = m.asText();
    }
    int sampleRate = DEFAULT_SAMPLE_RATE;
    JsonNode sr = present(node, "sample_rate");
    if (sr != null) {
      if (!sr.isIntegralNumber() || !SAMPLE_RATES.contains(sr.asInt())) {
        throw new BadRequest(
            "Invalid sample_rate: " + sr + ". Supported values: 8000, 16000, 24000, 44100.");
      }
      sampleRate = sr.asInt();
    }
    double speed = 1.0;
    JsonNode sp = present(node, "speed");
    if (sp != null) {
      if (!sp.isNumber() || !(sp.asDouble() >= 0.5 && sp.asDouble() <= 2.0)) {
        throw new BadRequest("Invalid speed: " + sp + ". Must be between 0.5 and 2.0.");
      }
      speed = sp.asDouble();
    }
    String format = "pcm";
    JsonNode of = present(node, "output_format");
    if (of != null) {
      String f = of.isTextual() ? of.asText().toLowerCase(Locale.ROOT) : "";
      if (!OUTPUT_FORMATS.contains(f)) {
        throw new BadRequest(
            "Invalid output_format: "
                + of
                + ". Supported values: "
                + String.join(", ", OUTPUT_FORMATS)
                + ".");
      }
      format = f;
    }
    int maxBufferFlushMs = 0;
    JsonNode mb = present(node, "max_buffer_flush_ms");
    if (mb != null) {
      if (!mb.isIntegralNumber() || mb.asLong() < 0 || mb.asLong() > 1000) {
        throw new BadRequest(
            "Invalid max_buffer_flush_ms: " + mb + ". Must be an integer between 0 and 1000.");
      }
      maxBufferFlushMs = mb.asInt();
    }
    Long backoff = null;
    JsonNode cb = present(node, "complete_backoff_ms");
    if (cb != null) {
      if (!cb.isNumber() || !(cb.asDouble() >= 0 && cb.asDouble() <= 10000)) {
        throw new BadRequest(
            "Invalid complete_backoff_ms: " + cb + ". Must be between 0 and 10000.");
      }
      backoff = Math.round(cb.asDouble());
    }
    return new TtsRequest(
        voice.asText(),
        textNode.asText(),
        model,
        sampleRate,
        speed,
        format,
        bool(node, "word_timestamps"),
        id(node, "session_id"),
        id(node, "request_id"),
        bool(node, "continue"),
        bool(node, "flush"),
        maxBufferFlushMs,
        backoff);
  }

  /** The format of the audio this request asks for. */
  AudioFormat audioFormat() {
    return switch (outputFormat) {
      case "wav" -> AudioFormat.wav(sampleRate);
      case "mp3" -> AudioFormat.mp3(sampleRate);
      case "ulaw" -> AudioFormat.mulaw(sampleRate);
      case "alaw" -> AudioFormat.alaw(sampleRate);
      default -> AudioFormat.pcm(sampleRate);
    };
  }

  /** The complete back-off this request asks for, or the default. */
  long completeBackoffOrDefault() {
    return completeBackoffMs == null ? DEFAULT_COMPLETE_BACKOFF_MS : completeBackoffMs;
  }

  private static JsonNode present(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  private static boolean bool(JsonNode node, String field) throws BadRequest {
    JsonNode v = present(node, field);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new BadRequest("Invalid " + field + ": " + v + ". Must be a boolean.");
    }
    return v.asBoolean();
  }

  private static String id(JsonNode node, String field) throws BadRequest {
    JsonNode v = present(node, field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual() || v.asText().length() > 128 || !ID.matcher(v.asText()).matches()) {
      throw new BadRequest(
          "Invalid " + field + ": must match ^[a-zA-Z0-9_\\-.]+$ and be at most 128 characters.");
    }
    return v.asText();
  }
}
