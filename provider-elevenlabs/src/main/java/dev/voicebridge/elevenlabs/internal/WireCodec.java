package dev.voicebridge.elevenlabs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.elevenlabs.ElevenLabsOptions.PronunciationDictionary;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON of the ElevenLabs wire: every client message, and the decoding of every server frame.
 * Malformed input always ends in {@link ProtocolException}. Thread-safe.
 */
final class WireCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String P = ElevenLabsSynthesizer.NAME;

  private WireCodec() {}

  // ------------------------------------------------------------ stream-input client messages

  /** The first message: {@code " "}, voice settings, generation config, dictionaries. */
  static String init(Plan plan) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", " ");
    addInitFields(o, plan);
    return write(o);
  }

  /** Text: whole words ending in a space. */
  static String text(String text) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", text);
    return write(o);
  }

  /** A flush, carrying the held tail (or a single space). */
  static String flush(String tail) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", tail == null ? " " : tail);
    o.put("flush", true);
    return write(o);
  }

  /** The keep-alive: a single space. */
  static String keepAlive() {
    return text(" ");
  }

  /** End of input: empty text. */
  static String endOfInput() {
    return text("");
  }

  // ------------------------------------------------------------ multi-stream-input

  /** Opens a context: {@code " "} with its settings. */
  static String contextInit(String contextId, Plan plan) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", " ");
    o.put("context_id", contextId);
    addInitFields(o, plan);
    return write(o);
  }

  /** Text for a context. */
  static String contextText(String contextId, String text) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", text);
    o.put("context_id", contextId);
    return write(o);
  }

  /** Flushes a context, with the held tail when there is one. */
  static String contextFlush(String contextId, String tail) {
    ObjectNode o = JSON.createObjectNode();
    if (tail != null) {
      o.put("text", tail);
    }
    o.put("context_id", contextId);
    o.put("flush", true);
    return write(o);
  }

  /** Closes a context. */
  static String closeContext(String contextId) {
    ObjectNode o = JSON.createObjectNode();
    o.put("context_id", contextId);
    o.put("close_context", true);
    return write(o);
  }

  /** Keeps a context alive: empty text with its id. */
  static String contextKeepAlive(String contextId) {
    return contextText(contextId, "");
  }

  /** Closes the socket and every context on it. */
  static String closeSocket() {
    ObjectNode o = JSON.createObjectNode();
    o.put("close_socket", true);
    return write(o);
  }

  private static void addInitFields(ObjectNode o, Plan plan) {
    ObjectNode vs = voiceSettings(plan.voiceSettings());
    if (vs != null) {
      o.set("voice_settings", vs);
    }
    if (plan.chunkLengthSchedule() != null) {
      ArrayNode a = o.putObject("generation_config").putArray("chunk_length_schedule");
      plan.chunkLengthSchedule().forEach(a::add);
    }
    addDictionaries(o, plan.dictionaries());
  }

  // ------------------------------------------------------------ HTTP

  /** The body of a /stream or /stream/with-timestamps request. */
  static String httpBody(Plan plan, String text, String previousText) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", text);
    o.put("model_id", plan.model());
    ObjectNode vs = voiceSettings(plan.voiceSettings());
    if (vs != null) {
      o.set("voice_settings", vs);
    }
    if (plan.languageCode() != null) {
      o.put("language_code", plan.languageCode());
    }
    if (plan.seed() != null) {
      o.put("seed", plan.seed());
    }
    if (plan.applyTextNormalization() != null) {
      o.put("apply_text_normalization", plan.applyTextNormalization());
    }
    addDictionaries(o, plan.dictionaries());
    if (previousText != null) {
      o.put("previous_text", previousText);
    }
    return write(o);
  }

  private static ObjectNode voiceSettings(Plan.VoiceSettings v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    ObjectNode o = JSON.createObjectNode();
    if (v.stability() != null) {
      o.put("stability", v.stability());
    }
    if (v.similarityBoost() != null) {
      o.put("similarity_boost", v.similarityBoost());
    }
    if (v.style() != null) {
      o.put("style", v.style());
    }
    if (v.useSpeakerBoost() != null) {
      o.put("use_speaker_boost", v.useSpeakerBoost());
    }
    if (v.speed() != null) {
      o.put("speed", v.speed());
    }
    return o;
  }

  private static void addDictionaries(ObjectNode o, List<PronunciationDictionary> dictionaries) {
    if (dictionaries == null || dictionaries.isEmpty()) {
      return;
    }
    ArrayNode a = o.putArray("pronunciation_dictionary_locators");
    for (PronunciationDictionary d : dictionaries) {
      ObjectNode e = a.addObject();
      e.put("pronunciation_dictionary_id", d.id());
      e.put("version_id", d.versionId());
    }
  }

  private static String write(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------ server frames

  /** Decodes a WebSocket server frame. */
  static ServerFrame decodeFrame(String text) {
    JsonNode n = parseObject(text, "WebSocket frame");
    byte[] audio = base64(n.get("audio"), "audio");
    boolean isFinal = isTrue(n.get("isFinal")) || isTrue(n.get("is_final"));
    String contextId = string(n, "contextId");
    if (contextId == null) {
      contextId = string(n, "context_id");
    }
    Alignment alignment = wsAlignment(n.get("alignment"), "alignment");
    Alignment normalized = wsAlignment(n.get("normalizedAlignment"), "normalizedAlignment");
    if (normalized == null) {
      normalized = wsAlignment(n.get("normalized_alignment"), "normalized_alignment");
    }
    String error = string(n, "error");
    String message = string(n, "message");
    Integer code = null;
    JsonNode c = n.get("code");
    if (c != null && c.canConvertToInt()) {
      code = c.intValue();
    }
    return new ServerFrame(audio, isFinal, contextId, alignment, normalized, error, message, code);
  }

  /**
   * One line of /stream/with-timestamps: audio and alignment in seconds from the start of the
   * request's audio.
   */
  record TimestampChunk(byte[] audio, Alignment alignment, Alignment normalizedAlignment) {}

  /** Decodes one line of /stream/with-timestamps. */
  static TimestampChunk decodeTimestampLine(String line) {
    JsonNode n = parseObject(line, "with-timestamps line");
    JsonNode a = n.get("audio_base64");
    if (a == null) {
      a = n.get("audio_base_64");
    }
    if (a == null && (n.has("detail") || n.has("error") || n.has("message"))) {
      HttpError e = decodeHttpError(line);
      throw ErrorMapper.fromStreamError(e.status(), e.message());
    }
    byte[] audio = base64(a, "audio_base64");
    return new TimestampChunk(
        audio,
        secondsAlignment(n.get("alignment"), "alignment"),
        secondsAlignment(n.get("normalized_alignment"), "normalized_alignment"));
  }

  private static JsonNode parseObject(String text, String what) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new ProtocolException(P, "malformed JSON in a " + what + ": " + abbreviate(text), e);
    }
    if (n == null || !n.isObject()) {
      throw new ProtocolException(P, "a " + what + " is not a JSON object: " + abbreviate(text));
    }
    return n;
  }

  private static boolean isTrue(JsonNode n) {
    return n != null && n.isBoolean() && n.booleanValue();
  }

  private static String string(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isValueNode()) {
      return v.asText();
    }
    return v.toString();
  }

  private static byte[] base64(JsonNode n, String field) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new ProtocolException(P, "'" + field + "' is not a base64 string");
    }
    String s = n.textValue();
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(P, "'" + field + "' is not valid base64: " + e.getMessage(), e);
    }
  }

  private static Alignment wsAlignment(JsonNode n, String field) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new ProtocolException(P, "'" + field + "' is not an object");
    }
    List<String> chars = chars(n.get("chars"), field + ".chars");
    double[] starts = numbers(n.get("charStartTimesMs"), field + ".charStartTimesMs");
    JsonNode d = n.get("charDurationsMs");
    if (d == null || d.isNull()) {
      d = n.get("charsDurationsMs");
    }
    double[] durations = numbers(d, field + ".charDurationsMs");
    return alignment(field, chars, starts, durations);
  }

  private static Alignment secondsAlignment(JsonNode n, String field) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new ProtocolException(P, "'" + field + "' is not an object");
    }
    List<String> chars = chars(n.get("characters"), field + ".characters");
    double[] starts =
        numbers(n.get("character_start_times_seconds"), field + ".character_start_times_seconds");
    double[] ends =
        numbers(n.get("character_end_times_seconds"), field + ".character_end_times_seconds");
    if (starts.length != ends.length) {
      throw new ProtocolException(P, "'" + field + "' arrays differ in length");
    }
    double[] startMs = new double[starts.length];
    double[] durMs = new double[starts.length];
    for (int i = 0; i < starts.length; i++) {
      startMs[i] = starts[i] * 1000.0;
      durMs[i] = Math.max(0, ends[i] - starts[i]) * 1000.0;
    }
    return alignment(field, chars, startMs, durMs);
  }

  private static Alignment alignment(
      String field, List<String> chars, double[] starts, double[] durations) {
    if (starts.length != chars.size() || durations.length != chars.size()) {
      throw new ProtocolException(
          P,
          "'"
              + field
              + "' arrays differ in length ("
              + chars.size()
              + " chars, "
              + starts.length
              + " starts, "
              + durations.length
              + " durations)");
    }
    for (int i = 0; i < starts.length; i++) {
      if (!Double.isFinite(starts[i])
          || !Double.isFinite(durations[i])
          || starts[i] < 0
          || durations[i] < 0) {
        throw new ProtocolException(P, "'" + field + "' has a negative or non-finite time");
      }
    }
    return new Alignment(chars, starts, durations);
  }

  private static List<String> chars(JsonNode n, String field) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new ProtocolException(P, "'" + field + "' is not an array");
    }
    List<String> out = new ArrayList<>(n.size());
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw new ProtocolException(P, "'" + field + "' holds a non-string");
      }
      out.add(e.textValue());
    }
    return out;
  }

  private static double[] numbers(JsonNode n, String field) {
    if (n == null || n.isNull()) {
      return new double[0];
    }
    if (!n.isArray()) {
      throw new ProtocolException(P, "'" + field + "' is not an array");
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = n.get(i);
      if (!e.isNumber()) {
        throw new ProtocolException(P, "'" + field + "' holds a non-number");
      }
      out[i] = e.doubleValue();
    }
    return out;
  }

  // ------------------------------------------------------------ HTTP error bodies

  /**
   * An HTTP error body: {@code {"detail":{"status","message"}}}, a 422 list, or anything else.
   *
   * @param status the vendor's code ({@code detail.status}), or null
   * @param message the vendor's message (for a 422, every field problem), never null
   */
  record HttpError(String status, String message) {}

  /** Reads an error body leniently: it never throws. */
  static HttpError decodeHttpError(String body) {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (JsonProcessingException | RuntimeException e) {
      return new HttpError(null, abbreviate(body));
    }
    if (n == null || !n.isObject()) {
      return new HttpError(null, abbreviate(body));
    }
    JsonNode detail = n.get("detail");
    if (detail != null && detail.isObject()) {
      String status = string(detail, "status");
      if (status == null) {
        status = string(detail, "code");
      }
      String message = string(detail, "message");
      return new HttpError(status, message != null ? message : abbreviate(body));
    }
    if (detail != null && detail.isArray()) {
      List<String> problems = new ArrayList<>();
      for (JsonNode e : detail) {
        StringBuilder sb = new StringBuilder();
        JsonNode loc = e.get("loc");
        if (loc != null && loc.isArray()) {
          List<String> parts = new ArrayList<>();
          loc.forEach(p -> parts.add(p.asText()));
          sb.append(String.join(".", parts)).append(": ");
        }
        String msg = string(e, "msg");
        sb.append(msg != null ? msg : e.toString());
        problems.add(sb.toString());
      }
      return new HttpError("validation_error", "validation failed: " + String.join("; ", problems));
    }
    if (detail != null && detail.isTextual()) {
      return new HttpError(null, detail.textValue());
    }
    String message = string(n, "message");
    return new HttpError(string(n, "error"), message != null ? message : abbreviate(body));
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    return t.length() <= 200 ? t : t.substring(0, 200) + "...";
  }
}
