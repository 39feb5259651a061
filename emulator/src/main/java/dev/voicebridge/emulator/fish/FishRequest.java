package dev.voicebridge.emulator.fish;

import dev.voicebridge.AudioFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Fish {@code TTSRequest} (the {@code request} of a WebSocket {@code start}, or a {@code POST
 * /v1/tts} body), validated the way the hosted API does: schema errors as a pydantic-v2 style list
 * (422 on HTTP), semantic errors as one message (400 on HTTP). Every field but {@code text} is
 * optional and nil means the default.
 */
final class FishRequest {
  static final List<String> FORMATS = List.of("wav", "pcm", "mp3", "opus");
  static final List<String> LATENCIES = List.of("low", "normal", "balanced");
  static final Set<Integer> PCM_RATES = Set.of(8000, 16000, 24000, 32000, 44100);
  static final Set<Integer> MP3_RATES = Set.of(32000, 44100);
  static final List<Long> MP3_BITRATES = List.of(64L, 128L, 192L);
  static final List<Long> OPUS_BITRATES =
      List.of(-1000L, 24000L, 32000L, 48000L, 64000L, 24L, 32L, 48L, 64L);

  String text;
  String format = "mp3";
  Integer sampleRate;
  int mp3Bitrate = 128;
  String latency = "normal";
  int chunkLength = 300;
  int minChunkLength = 50;

  /** pydantic-style error items ({@code type, loc, msg, input, ctx?}). */
  final List<Map<String, Object>> schemaErrors = new ArrayList<>();

  /** A semantic error (HTTP 400), or null. */
  String semanticError;

  private FishRequest() {}

  /**
   * Validates {@code body}.
   *
   * @param body the decoded map (or anything else, which is a schema error)
   * @param textRequired whether {@code text} must be present (always true for Fish; kept explicit)
   */
  static FishRequest parse(Object body, boolean textRequired) {
    FishRequest r = new FishRequest();
    if (!(body instanceof Map<?, ?> raw)) {
      r.error(
          "model_attributes_type",
          List.of(),
          "Input should be a valid dictionary or object to extract fields from",
          body,
          null);
      return r;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) raw;
    // text: required str
    if (!m.containsKey("text")) {
      if (textRequired) {
        r.error("missing", List.of("text"), "Field required", m, null);
      }
    } else if (!(m.get("text") instanceof String)) {
      r.error(
          "string_type", List.of("text"), "Input should be a valid string", m.get("text"), null);
    } else {
      r.text = (String) m.get("text");
    }
    String format = r.literal(m, "format", FORMATS);
    if (format != null) {
      r.format = format;
    }
    Long rate = r.integer(m, "sample_rate", null, null);
    if (rate != null) {
      r.sampleRate = rate.intValue();
    }
    Long mp3 = r.integerLiteral(m, "mp3_bitrate", MP3_BITRATES);
    if (mp3 != null) {
      r.mp3Bitrate = mp3.intValue();
    }
    r.integerLiteral(m, "opus_bitrate", OPUS_BITRATES);
    String latency = r.literal(m, "latency", LATENCIES);
    if (latency != null) {
      r.latency = latency;
    }
    Long chunk = r.integer(m, "chunk_length", 100L, 300L);
    if (chunk != null) {
      r.chunkLength = chunk.intValue();
    }
    Long minChunk = r.integer(m, "min_chunk_length", 0L, 100L);
    if (minChunk != null) {
      r.minChunkLength = minChunk.intValue();
    }
    r.bool(m, "normalize");
    r.bool(m, "condition_on_previous_chunks");
    r.number(m, "temperature", 0.0, 1.0);
    r.number(m, "top_p", 0.0, 1.0);
    r.number(m, "early_stop_threshold", 0.0, 1.0);
    r.number(m, "repetition_penalty", null, null);
    r.integer(m, "max_new_tokens", null, null);
    Object ref = m.get("reference_id");
    if (ref != null && !(ref instanceof String) && !isStringList(ref)) {
      r.error("string_type", List.of("reference_id"), "Input should be a valid string", ref, null);
    }
    Object refs = m.get("references");
    if (refs != null && !(refs instanceof List)) {
      r.error("list_type", List.of("references"), "Input should be a valid list", refs, null);
    }
    Object features = m.get("features");
    if (features != null && !isStringList(features)) {
      r.error("list_type", List.of("features"), "Input should be a valid list", features, null);
    }
    Object prosody = m.get("prosody");
    if (prosody != null) {
      if (prosody instanceof Map<?, ?> pm) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) pm;
        r.number(p, "speed", 0.5, 2.0, "prosody");
        r.number(p, "volume", -20.0, 20.0, "prosody");
        r.bool(p, "normalize_loudness", "prosody");
      } else {
        r.error(
            "model_type",
            List.of("prosody"),
            "Input should be a valid dictionary or instance of ProsodyControl",
            prosody,
            null);
      }
    }
    if (r.schemaErrors.isEmpty()) {
      r.checkSemantics();
    }
    return r;
  }

  private void checkSemantics() {
    int rate = effectiveSampleRate();
    switch (format) {
      case "opus" -> {
        if (rate != 48000) {
          semanticError = "Unsupported sample rate " + rate + " for opus: only 48000 is supported";
        } else {
          semanticError =
              "Format opus is not supported by this emulator (the hosted API streams Ogg/Opus at"
                  + " 48000 Hz); use mp3, wav or pcm";
        }
      }
      case "mp3" -> {
        if (!MP3_RATES.contains(rate)) {
          semanticError = "Unsupported sample rate " + rate + " for mp3: use one of 32000, 44100";
        }
      }
      default -> {
        if (!PCM_RATES.contains(rate)) {
          semanticError =
              "Unsupported sample rate "
                  + rate
                  + " for "
                  + format
                  + ": use one of 8000, 16000, 24000, 32000, 44100";
        }
      }
    }
  }

  /** Whether the request is valid. */
  boolean valid() {
    return schemaErrors.isEmpty() && semanticError == null;
  }

  /** {@code sample_rate}, or its default for the format (44100; 48000 for opus). */
  int effectiveSampleRate() {
    if (sampleRate != null) {
      return sampleRate;
    }
    return format.equals("opus") ? 48000 : 44100;
  }

  /** The Voicebridge spelling of the requested audio. */
  AudioFormat audioFormat() {
    int rate = effectiveSampleRate();
    return switch (format) {
      case "wav" -> AudioFormat.wav(rate);
      case "pcm" -> AudioFormat.pcm(rate);
      case "opus" -> AudioFormat.opus();
      default -> AudioFormat.mp3(rate);
    };
  }

  /** The HTTP Content-Type of the audio. */
  String contentType() {
    return switch (format) {
      case "wav" -> "audio/wav";
      case "pcm" -> "application/octet-stream";
      case "opus" -> "audio/ogg";
      default -> "audio/mpeg";
    };
  }

  /** One line describing every problem, for a WebSocket {@code error} event. */
  String problem() {
    if (!schemaErrors.isEmpty()) {
      StringBuilder sb = new StringBuilder("Invalid request: ");
      for (int i = 0; i < schemaErrors.size(); i++) {
        Map<String, Object> e = schemaErrors.get(i);
        if (i > 0) {
          sb.append("; ");
        }
        List<?> loc = (List<?>) e.get("loc");
        sb.append(
            loc.isEmpty()
                ? "request"
                : String.join(".", loc.stream().map(String::valueOf).toList()));
        sb.append(": ").append(e.get("msg"));
      }
      return sb.toString();
    }
    return semanticError;
  }

  private static boolean isStringList(Object o) {
    return o instanceof List<?> l && l.stream().allMatch(x -> x instanceof String);
  }

  private void error(
      String type, List<String> loc, String msg, Object input, Map<String, Object> ctx) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    e.put("loc", List.copyOf(loc));
    e.put("msg", msg);
    e.put("input", jsonSafe(input));
    if (ctx != null) {
      e.put("ctx", ctx);
    }
    schemaErrors.add(e);
  }

  /** Binary values are rendered as strings so the error list can be written as JSON. */
  private static Object jsonSafe(Object v) {
    if (v instanceof byte[] b) {
      return "<" + b.length + " bytes>";
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), jsonSafe(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(FishRequest::jsonSafe).toList();
    }
    return v;
  }

  private static List<String> loc(String parent, String key) {
    return parent == null ? List.of(key) : List.of(parent, key);
  }

  private String literal(Map<String, Object> m, String key, List<String> allowed) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String s && allowed.contains(s)) {
      return s;
    }
    String expected = expected(allowed.stream().map(a -> "'" + a + "'").toList());
    error(
        "literal_error",
        List.of(key),
        "Input should be " + expected,
        v,
        Map.of("expected", expected));
    return null;
  }

  private Long integerLiteral(Map<String, Object> m, String key, List<Long> allowed) {
    Long v = integer(m, key, null, null);
    if (v == null) {
      return null;
    }
    if (allowed.contains(v)) {
      return v;
    }
    String expected = expected(allowed.stream().map(String::valueOf).toList());
    error(
        "literal_error",
        List.of(key),
        "Input should be " + expected,
        v,
        Map.of("expected", expected));
    return null;
  }

  private static String expected(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " or "
        + items.get(items.size() - 1);
  }

  private Long integer(Map<String, Object> m, String key, Long min, Long max) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    Long n = null;
    if (v instanceof Long l) {
      n = l;
    } else if (v instanceof Integer i) {
      n = i.longValue();
    } else if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      n = d.longValue();
    }
    if (n == null) {
      error("int_type", List.of(key), "Input should be a valid integer", v, null);
      return null;
    }
    if (min != null && n < min) {
      error(
          "greater_than_equal",
          List.of(key),
          "Input should be greater than or equal to " + min,
          v,
          Map.of("ge", min));
      return null;
    }
    if (max != null && n > max) {
      error(
          "less_than_equal",
          List.of(key),
          "Input should be less than or equal to " + max,
          v,
          Map.of("le", max));
      return null;
    }
    return n;
  }

  private void number(Map<String, Object> m, String key, Double min, Double max) {
    number(m, key, min, max, null);
  }

  private void number(Map<String, Object> m, String key, Double min, Double max, String parent) {
    Object v = m.get(key);
    if (v == null) {
      return;
    }
    if (!(v instanceof Number n) || v instanceof Boolean) {
      error("float_type", loc(parent, key), "Input should be a valid number", v, null);
      return;
    }
    double d = n.doubleValue();
    if (min != null && d < min) {
      error(
          "greater_than_equal",
          loc(parent, key),
          "Input should be greater than or equal to " + trim(min),
          v,
          Map.of("ge", min));
    } else if (max != null && d > max) {
      error(
          "less_than_equal",
          loc(parent, key),
          "Input should be less than or equal to " + trim(max),
          v,
          Map.of("le", max));
    }
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private void bool(Map<String, Object> m, String key) {
    bool(m, key, null);
  }

  private void bool(Map<String, Object> m, String key, String parent) {
    Object v = m.get(key);
    if (v != null && !(v instanceof Boolean)) {
      error("bool_type", loc(parent, key), "Input should be a valid boolean", v, null);
    }
  }
}
