package dev.voicebridge.cartesia.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.cartesia.CartesiaOptions;
import dev.voicebridge.kit.HttpErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of Cartesia's TTS wire, as pure functions: every client message (the WebSocket's
 * continuation, flush, finish and cancel; the body of an SSE or bytes request) and the decoding of
 * every server frame and error body. Malformed input always ends in a {@link ProtocolException}.
 * Thread-safe.
 */
public final class CartesiaCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();
  private static final String P = CartesiaOptions.PROVIDER;

  private CartesiaCodec() {}

  // ------------------------------------------------------------------ client messages

  /**
   * The fields every generation request of a session carries, as JSON object members without the
   * braces: {@code model_id}, {@code voice} (by version), {@code output_format} (always raw),
   * language or locale, {@code generation_config}, the dictionary, the timestamp flags and, on the
   * WebSocket, {@code max_buffer_delay_ms}. Computed once per session: Cartesia wants the full
   * configuration on every message of a context.
   */
  public static String config(CartesiaRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_id", r.model());
    if (r.plainVoice()) {
      m.put("voice", r.voice());
    } else {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("mode", "id");
      v.put("id", r.voice());
      m.put("voice", v);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("container", "raw");
    f.put("encoding", r.wireEncoding());
    f.put("sample_rate", r.format().sampleRate());
    m.put("output_format", f);
    if (r.language() != null) {
      m.put("language", r.language());
    }
    if (r.locale() != null) {
      m.put("locale", r.locale());
    }
    if (r.speed() != null || r.volume() != null || r.emotion() != null) {
      Map<String, Object> g = new LinkedHashMap<>();
      if (r.speed() != null) {
        g.put("speed", r.speed());
      }
      if (r.volume() != null) {
        g.put("volume", r.volume());
      }
      if (r.emotion() != null) {
        g.put("emotion", r.emotion());
      }
      m.put("generation_config", g);
    }
    if (r.pronunciationDictId() != null) {
      m.put("pronunciation_dict_id", r.pronunciationDictId());
    }
    if (r.wordTimestamps()) {
      m.put("add_timestamps", true);
    }
    if (r.phonemes() != null) {
      m.put("add_phoneme_timestamps", true);
    }
    if (r.normalizedTimestamps() != null && r.anyTimestamps()) {
      m.put("use_normalized_timestamps", r.normalizedTimestamps());
    }
    if (r.isWebSocket() && r.maxBufferDelayMs() != null) {
      m.put("max_buffer_delay_ms", r.maxBufferDelayMs());
    }
    try {
      String json = JSON.writeValueAsString(m);
      return json.substring(1, json.length() - 1);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a request", e);
    }
  }

  /** Text for a context: {@code continue: true}, the transcript exactly as given. */
  public static String continuation(String config, String contextId, String transcript) {
    return new StringBuilder(config.length() + transcript.length() + 96)
        .append('{')
        .append(config)
        .append(",\"transcript\":")
        .append(quote(transcript))
        .append(",\"context_id\":")
        .append(quote(contextId))
        .append(",\"continue\":true}")
        .toString();
  }

  /** A flush: its own message, {@code transcript: "", continue: true, flush: true}. */
  public static String flush(String config, String contextId) {
    return '{'
        + config
        + ",\"transcript\":\"\",\"context_id\":"
        + quote(contextId)
        + ",\"continue\":true,\"flush\":true}";
  }

  /** The end of a context's input: {@code transcript: "", continue: false}. */
  public static String finish(String config, String contextId) {
    return '{'
        + config
        + ",\"transcript\":\"\",\"context_id\":"
        + quote(contextId)
        + ",\"continue\":false}";
  }

  /** Cancels a context: exactly {@code {"context_id":…,"cancel":true}}. */
  public static String cancel(String contextId) {
    return "{\"context_id\":" + quote(contextId) + ",\"cancel\":true}";
  }

  /** The body of one SSE or bytes request: the configuration and one transcript. */
  public static String httpBody(String config, String transcript) {
    return '{' + config + ",\"transcript\":" + quote(transcript) + '}';
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    return sb.append('"').toString();
  }

  // ------------------------------------------------------------------ server frames

  /** Decodes a WebSocket text message. */
  public static ServerFrame decodeFrame(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      return frame(p);
    } catch (VoicebridgeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw malformed("WebSocket frame", text, e);
    }
  }

  /** Decodes the data of an SSE event, UTF-8 in {@code data[off, off + len)}. */
  public static ServerFrame decodeEvent(byte[] data, int off, int len) {
    try (JsonParser p = FACTORY.createParser(data, off, len)) {
      return frame(p);
    } catch (VoicebridgeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw malformed(
          "SSE event", new String(data, off, Math.min(len, 1024), StandardCharsets.UTF_8), e);
    }
  }

  private static ServerFrame frame(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new ProtocolException(P, "a server frame is not a JSON object");
    }
    String type = null;
    boolean hasType = false;
    String contextId = null;
    byte[] audio = null;
    boolean hasData = false;
    Integer flushId = null;
    Integer status = null;
    ServerFrame.Timestamps words = null;
    ServerFrame.Timestamps phonemes = null;
    String errorCode = null;
    String title = null;
    String message = null;
    String error = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "type" -> {
          hasType = true;
          type = v == JsonToken.VALUE_STRING ? p.getText() : null;
          if (type == null) {
            throw new ProtocolException(P, "a frame whose type is not a string");
          }
        }
        case "context_id" -> contextId = optionalString(p, v, "context_id");
        case "data" -> {
          hasData = v == JsonToken.VALUE_STRING;
          if (hasData) {
            audio = p.getBinaryValue(BASE64);
          } else if (v != JsonToken.VALUE_NULL) {
            throw new ProtocolException(P, "a frame whose data is not a base64 string");
          }
        }
        case "flush_id" -> flushId = flushId(p, v);
        case "status_code" -> status = v == JsonToken.VALUE_NUMBER_INT ? intValue(p) : skip(p);
        case "word_timestamps" -> words = timestamps(p, v, "word_timestamps", "words");
        case "phoneme_timestamps" -> phonemes = timestamps(p, v, "phoneme_timestamps", "phonemes");
        case "error_code" -> errorCode = text(p, v);
        case "title" -> title = text(p, v);
        case "message" -> message = text(p, v);
        case "error" -> error = text(p, v);
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new ProtocolException(P, "a server frame ends inside its object");
    }
    if (p.nextToken() != null) {
      throw new ProtocolException(P, "data after the end of a server frame's JSON object");
    }
    ServerFrame.Type kind;
    if (!hasType) {
      if (error == null && errorCode == null && title == null) {
        throw new ProtocolException(P, "a server frame without a type");
      }
      kind = ServerFrame.Type.ERROR;
      type = "error";
    } else {
      kind =
          switch (type) {
            case "chunk" -> ServerFrame.Type.CHUNK;
            case "timestamps" -> ServerFrame.Type.TIMESTAMPS;
            case "phoneme_timestamps" -> ServerFrame.Type.PHONEME_TIMESTAMPS;
            case "flush_done" -> ServerFrame.Type.FLUSH_DONE;
            case "done" -> ServerFrame.Type.DONE;
            case "error" -> ServerFrame.Type.ERROR;
            default -> ServerFrame.Type.UNKNOWN;
          };
    }
    if (kind == ServerFrame.Type.CHUNK && !hasData) {
      throw new ProtocolException(P, "a chunk without data");
    }
    if (kind == ServerFrame.Type.TIMESTAMPS && words == null) {
      throw new ProtocolException(P, "a timestamps frame without word_timestamps");
    }
    if (kind == ServerFrame.Type.PHONEME_TIMESTAMPS && phonemes == null) {
      throw new ProtocolException(P, "a phoneme_timestamps frame without phoneme_timestamps");
    }
    return new ServerFrame(
        kind,
        type,
        contextId,
        kind == ServerFrame.Type.CHUNK ? audio : null,
        flushId,
        status,
        words,
        phonemes,
        errorCode,
        title,
        message,
        error);
  }

  private static Integer skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static int intValue(JsonParser p) throws IOException {
    long n = p.getLongValue();
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
  }

  /** {@code flush_id}: an integer, or a numeric string (one SDK types it as a string). */
  private static Integer flushId(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return intValue(p);
    }
    if (v == JsonToken.VALUE_STRING) {
      try {
        return Integer.valueOf(p.getText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    p.skipChildren();
    return null;
  }

  private static String optionalString(JsonParser p, JsonToken v, String field) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw new ProtocolException(P, "a frame whose " + field + " is not a string");
    }
    return p.getText();
  }

  /** A field read as text: a string as is, another scalar as text, a container as JSON. */
  private static String text(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    JsonNode n = JSON.readTree(p);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isObject() && n.hasNonNull("message")) {
      return n.get("message").asText();
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static ServerFrame.Timestamps timestamps(
      JsonParser p, JsonToken v, String field, String itemsField) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.START_OBJECT) {
      throw new ProtocolException(P, field + " is not an object");
    }
    List<String> items = null;
    List<Double> start = null;
    List<Double> end = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken n = p.nextToken();
      if (name.equals(itemsField)) {
        items = strings(p, n, field);
      } else if (name.equals("start")) {
        start = numbers(p, n, field);
      } else if (name.equals("end")) {
        end = numbers(p, n, field);
      } else {
        p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new ProtocolException(P, field + " ends inside its object");
    }
    if (items == null || start == null || end == null) {
      throw new ProtocolException(
          P, field + " needs " + itemsField + ", start and end, each an array");
    }
    if (items.size() != start.size() || items.size() != end.size()) {
      throw new ProtocolException(
          P,
          field
              + " has "
              + items.size()
              + " "
              + itemsField
              + " but "
              + start.size()
              + " starts and "
              + end.size()
              + " ends");
    }
    double[] s = new double[start.size()];
    double[] e = new double[end.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = start.get(i);
      e[i] = end.get(i);
    }
    return new ServerFrame.Timestamps(items, s, e);
  }

  private static List<String> strings(JsonParser p, JsonToken v, String field) throws IOException {
    if (v != JsonToken.START_ARRAY) {
      throw new ProtocolException(P, field + ": not an array of strings");
    }
    List<String> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_STRING) {
        throw new ProtocolException(P, field + ": not an array of strings");
      }
      out.add(p.getText());
    }
    return out;
  }

  private static List<Double> numbers(JsonParser p, JsonToken v, String field) throws IOException {
    if (v != JsonToken.START_ARRAY) {
      throw new ProtocolException(P, field + ": start and end must be arrays of seconds");
    }
    List<Double> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw new ProtocolException(P, field + ": start and end must be arrays of seconds");
      }
      double d = p.getDoubleValue();
      if (!Double.isFinite(d) || d < 0) {
        throw new ProtocolException(P, field + ": a time that is negative or not finite: " + d);
      }
      out.add(d);
    }
    return out;
  }

  private static ProtocolException malformed(String what, String text, Exception e) {
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = cause.indexOf('\n');
    if (nl > 0) {
      cause = cause.substring(0, nl);
    }
    return new ProtocolException(
        P,
        "malformed JSON in a "
            + what
            + ": "
            + HttpErrors.abbreviate(text, 200)
            + " ("
            + HttpErrors.abbreviate(cause, 200)
            + ")",
        e);
  }

  // ------------------------------------------------------------------ error bodies

  /**
   * An HTTP error body (or a refused handshake's body), read leniently.
   *
   * @param errorCode {@code error_code} (2026-03-01 and later), or null
   * @param title {@code title}, or the part of a plain-text body before ": ", or null
   * @param message the message, or the whole plain-text body
   */
  public record HttpError(String errorCode, String title, String message) {}

  /**
   * Reads an error body: the structured JSON of 2026-03-01 and later ({@code error_code}, {@code
   * title}, {@code message}, {@code request_id}), a JSON object with an {@code error} or {@code
   * detail}, or the plain text of earlier versions ({@code Title: Message}). Never throws.
   */
  public static HttpError decodeHttpError(String body) {
    String b = body == null ? "" : body.strip();
    if (b.startsWith("{")) {
      try {
        JsonNode n = JSON.readTree(b);
        if (n != null && n.isObject()) {
          String code = textOf(n.get("error_code"));
          String title = textOf(n.get("title"));
          String message = textOf(n.get("message"));
          if (message == null) {
            message = textOf(n.get("error"));
          }
          if (message == null) {
            message = textOf(n.get("detail"));
          }
          if (code != null || title != null || message != null) {
            return new HttpError(code, title, message == null ? "" : message);
          }
        }
      } catch (IOException | RuntimeException e) {
        // not JSON after all: the plain reading below
      }
    }
    int colon = b.indexOf(": ");
    if (colon > 0 && colon <= 80 && b.indexOf('\n') < 0 && !b.startsWith("<")) {
      return new HttpError(null, b.substring(0, colon), b.substring(colon + 2));
    }
    return new HttpError(null, null, b);
  }

  private static String textOf(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isObject() && n.hasNonNull("message")) {
      return n.get("message").asText();
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }
}
