package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A generation request, checked (protocol note sections 2.1, 4.1, 4.2, 7): a WebSocket message or
 * the body of an SSE or bytes request. Unknown fields are ignored.
 *
 * @param contextId {@code context_id} (null if absent)
 * @param modelId {@code model_id}
 * @param transcript {@code transcript} (may be empty on the WebSocket)
 * @param voiceId the voice's id, whatever shape the version allows
 * @param format {@code output_format}
 * @param cont {@code continue} (default false)
 * @param flush {@code flush} (default false)
 * @param maxBufferDelayMs {@code max_buffer_delay_ms} (default {@value #DEFAULT_BUFFER_DELAY_MS})
 * @param wordTimestamps {@code add_timestamps}
 * @param phonemeTimestamps {@code add_phoneme_timestamps}
 * @param config the fields a continuation must repeat unchanged (all but {@code transcript}, {@code
 *     continue}, {@code flush}, {@code duration} and {@code context_id})
 */
record GenRequest(
    String contextId,
    String modelId,
    String transcript,
    String voiceId,
    OutputFormat format,
    boolean cont,
    boolean flush,
    int maxBufferDelayMs,
    boolean wordTimestamps,
    boolean phonemeTimestamps,
    ObjectNode config) {

  /** Where a request arrives: containers and rules differ. */
  enum Endpoint {
    WEBSOCKET(Set.of("raw")),
    SSE(Set.of("raw")),
    BYTES(Set.of("raw", "wav", "mp3"));

    final Set<String> containers;

    Endpoint(Set<String> containers) {
      this.containers = containers;
    }
  }

  /** The default {@code max_buffer_delay_ms} (npm client, docs' buffering page; note section 7). */
  static final int DEFAULT_BUFFER_DELAY_MS = 3000;

  /** The most {@code max_buffer_delay_ms} accepts. */
  static final int MAX_BUFFER_DELAY_MS = 5000;

  /** The 44 language codes of the npm client's {@code SupportedLanguage}. */
  static final Set<String> LANGUAGES =
      Set.of(
          "en", "fr", "de", "es", "pt", "zh", "ja", "hi", "it", "ko", "nl", "pl", "ru", "sv", "tr",
          "tl", "bg", "ro", "ar", "cs", "el", "fi", "hr", "ms", "sk", "da", "ta", "uk", "hu", "no",
          "vi", "bn", "th", "he", "ka", "id", "te", "gu", "kn", "ml", "mr", "pa", "or", "ur");

  /** The npm client's {@code Emotion} values (compared case-insensitively). */
  static final Set<String> EMOTIONS =
      Set.of(
          "neutral",
          "happy",
          "excited",
          "enthusiastic",
          "elated",
          "euphoric",
          "triumphant",
          "amazed",
          "surprised",
          "flirtatious",
          "curious",
          "content",
          "peaceful",
          "serene",
          "calm",
          "grateful",
          "affectionate",
          "trust",
          "sympathetic",
          "anticipation",
          "mysterious",
          "angry",
          "mad",
          "outraged",
          "frustrated",
          "agitated",
          "threatened",
          "disgusted",
          "contempt",
          "envious",
          "sarcastic",
          "ironic",
          "sad",
          "dejected",
          "melancholic",
          "disappointed",
          "hurt",
          "guilty",
          "bored",
          "tired",
          "rejected",
          "nostalgic",
          "wistful",
          "apologetic",
          "hesitant",
          "insecure",
          "confused",
          "resigned",
          "anxious",
          "panicked",
          "alarmed",
          "scared",
          "proud",
          "confident",
          "distant",
          "skeptical",
          "contemplative",
          "determined");

  private static final List<String> NOT_CONFIG =
      List.of("transcript", "continue", "flush", "duration", "context_id");

  private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");

  /**
   * Checks {@code n} as a generation request of API version {@code v}.
   *
   * @param unknownVoiceId the voice id that does not exist
   */
  static GenRequest parse(ObjectNode n, Version v, Endpoint endpoint, String unknownVoiceId)
      throws Rejected {
    String contextId = optionalText(n, "context_id");
    JsonNode t = n.get("transcript");
    if (t == null || t.isNull()) {
      throw Rejected.invalid("transcript: Field required");
    }
    if (!t.isTextual()) {
      throw Rejected.invalid("transcript must be a string");
    }
    String transcript = t.asText();
    if (endpoint != Endpoint.WEBSOCKET && transcript.isBlank()) {
      throw Rejected.invalid("transcript must not be empty");
    }
    String model = optionalText(n, "model_id");
    if (model == null) {
      throw Rejected.invalid("model_id: Field required");
    }
    Models.check(model);
    String voice = voice(n.get("voice"), v);
    if (voice.equals(unknownVoiceId)) {
      throw new Rejected(ApiError.voiceNotFound(voice));
    }
    OutputFormat format = OutputFormat.parse(n.get("output_format"), endpoint.containers);
    boolean cont = flag(n, "continue");
    boolean flush = flag(n, "flush");
    if (flush && !transcript.isEmpty()) {
      throw Rejected.invalid(
          "A flush must be sent as its own request, with an empty transcript and continue: true");
    }
    int delay = DEFAULT_BUFFER_DELAY_MS;
    JsonNode d = n.get("max_buffer_delay_ms");
    if (d != null && !d.isNull()) {
      if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > MAX_BUFFER_DELAY_MS) {
        throw Rejected.invalid(
            "max_buffer_delay_ms must be an integer between 0 and " + MAX_BUFFER_DELAY_MS);
      }
      delay = d.asInt();
    }
    boolean words = flag(n, "add_timestamps");
    boolean phonemes = flag(n, "add_phoneme_timestamps");
    flag(n, "use_normalized_timestamps");
    language(n, v);
    generationConfig(n.get("generation_config"));
    optionalText(n, "pronunciation_dict_id");
    optionalText(n, "normalization");
    JsonNode speed = n.get("speed");
    if (speed != null && !speed.isNull()) {
      boolean word = speed.isTextual() && Set.of("slow", "normal", "fast").contains(speed.asText());
      boolean number = speed.isNumber() && Math.abs(speed.asDouble()) <= 1.0;
      if (!word && !number) {
        throw Rejected.invalid("speed must be slow, normal, fast or a number between -1 and 1");
      }
    }
    JsonNode duration = n.get("duration");
    if (duration != null
        && !duration.isNull()
        && !(duration.isNumber() && duration.asDouble() > 0)) {
      throw Rejected.invalid("duration must be a positive number of seconds");
    }
    ObjectNode config = n.deepCopy();
    config.remove(NOT_CONFIG);
    return new GenRequest(
        contextId, model, transcript, voice, format, cont, flush, delay, words, phonemes, config);
  }

  /** The voice's id, in the shapes version {@code v} accepts (note section 7.7). */
  private static String voice(JsonNode voice, Version v) throws Rejected {
    if (voice == null || voice.isNull()) {
      throw Rejected.invalid("voice: Field required");
    }
    boolean plain = v.atLeast(Version.PLAIN_VOICE);
    if (voice.isTextual()) {
      if (!plain) {
        throw Rejected.invalid(
            "voice must be an object {\"mode\": \"id\", \"id\": ...} in API version " + v.date());
      }
      if (voice.asText().isBlank()) {
        throw Rejected.invalid("voice must not be empty");
      }
      return voice.asText();
    }
    if (!voice.isObject()) {
      throw Rejected.invalid("voice must be a string or an object");
    }
    String mode = optionalText(voice, "mode");
    if ("embedding".equals(mode) || voice.has("embedding")) {
      throw Rejected.invalid("Voice embeddings are not accepted: use a voice id");
    }
    if (mode == null ? !plain : !mode.equals("id")) {
      throw Rejected.invalid("voice.mode must be \"id\"");
    }
    String id = optionalText(voice, "id");
    if (id == null || id.isBlank()) {
      throw Rejected.invalid("voice.id: Field required");
    }
    return id;
  }

  private static void language(ObjectNode n, Version v) throws Rejected {
    String language = optionalText(n, "language");
    if (language != null && !LANGUAGES.contains(language)) {
      throw Rejected.invalid("language '" + language + "' is not supported");
    }
    String locale = v.atLeast(Version.PLAIN_VOICE) ? optionalText(n, "locale") : null;
    if (locale != null && !LOCALE.matcher(locale).matches()) {
      throw Rejected.invalid("locale '" + locale + "' is not a locale");
    }
    if (language != null && locale != null) {
      throw Rejected.invalid("A request may set language or locale, never both");
    }
  }

  private static void generationConfig(JsonNode g) throws Rejected {
    if (g == null || g.isNull()) {
      return;
    }
    if (!g.isObject()) {
      throw Rejected.invalid("generation_config must be an object");
    }
    range(g, "speed", 0.6, 1.5);
    range(g, "volume", 0.5, 2.0);
    JsonNode e = g.get("emotion");
    if (e != null
        && !e.isNull()
        && !(e.isTextual() && EMOTIONS.contains(e.asText().toLowerCase(Locale.ROOT)))) {
      throw Rejected.invalid("generation_config.emotion '" + e.asText() + "' is not an emotion");
    }
  }

  private static void range(JsonNode g, String field, double min, double max) throws Rejected {
    JsonNode x = g.get(field);
    if (x != null && !x.isNull() && !(x.isNumber() && x.asDouble() >= min && x.asDouble() <= max)) {
      throw Rejected.invalid(
          "generation_config." + field + " must be between " + min + " and " + max);
    }
  }

  private static boolean flag(JsonNode n, String field) throws Rejected {
    JsonNode x = n.get(field);
    if (x == null || x.isNull()) {
      return false;
    }
    if (!x.isBoolean()) {
      throw Rejected.invalid(field + " must be a boolean");
    }
    return x.asBoolean();
  }

  private static String optionalText(JsonNode n, String field) throws Rejected {
    JsonNode x = n.get(field);
    if (x == null || x.isNull()) {
      return null;
    }
    if (!x.isTextual()) {
      throw Rejected.invalid(field + " must be a string");
    }
    return x.asText();
  }
}
