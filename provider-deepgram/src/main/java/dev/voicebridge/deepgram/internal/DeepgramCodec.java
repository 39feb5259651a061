package dev.voicebridge.deepgram.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.kit.HttpErrors;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deepgram's JSON on the wire, as pure functions: the four client messages of the speak WebSocket
 * ({@code Speak}, {@code Flush}, {@code Clear}, {@code Close}), the REST body, the server's text
 * frames ({@code Metadata}, {@code Flushed}, {@code Cleared}, {@code Warning} in both of its
 * spellings), error bodies and close reasons; and the cutting of long text into {@code Speak}
 * messages at word or sentence boundaries. Anything malformed becomes a {@link ProtocolException},
 * never another exception.
 */
public final class DeepgramCodec {
  static final String PROVIDER = "deepgram";

  /** The most characters one {@code Speak} message (or one REST request) may carry. */
  public static final int MAX_SPEAK_CHARS = 2_000;

  /** {@code {"type":"Flush"}}: synthesize what the server holds, answered by {@code Flushed}. */
  public static final String FLUSH = "{\"type\":\"Flush\"}";

  /** {@code {"type":"Clear"}}: drop the server's text and audio, answered by {@code Cleared}. */
  public static final String CLEAR = "{\"type\":\"Clear\"}";

  /** {@code {"type":"Close"}}: the server closes the socket with 1000. */
  public static final String CLOSE = "{\"type\":\"Close\"}";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Pattern REASON_CODE = Pattern.compile("^\\s*([A-Z]+-\\d{4})\\b");

  private DeepgramCodec() {}

  // ------------------------------------------------------------------ client -> server

  /** {@code {"type":"Speak","text":...}}. */
  public static String speak(String text) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", "Speak");
    n.put("text", text);
    return n.toString();
  }

  /** The body of {@code POST /v1/speak}: {@code {"text":...}}. */
  public static String restBody(String text) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("text", text);
    return n.toString();
  }

  // ------------------------------------------------------------------ server -> client

  /** A text frame of the speak WebSocket. */
  public sealed interface ServerMessage {}

  /**
   * {@code Metadata}, sent once after the handshake. Every field may be null (only {@code type} is
   * required to read it).
   */
  public record Metadata(String requestId, String modelName, String modelVersion, String modelUuid)
      implements ServerMessage {}

  /** {@code Flushed}: every audio frame of flush number {@code sequenceId} (from 0) was sent. */
  public record Flushed(long sequenceId) implements ServerMessage {}

  /** {@code Cleared}: the server dropped its text and audio after a {@code Clear}. */
  public record Cleared(long sequenceId) implements ServerMessage {}

  /**
   * {@code Warning}, read in both spellings: {@code warn_code}/{@code warn_msg} (the live server)
   * and {@code code}/{@code description} (the published specification).
   *
   * @param code the code ({@code EXCESSIVE_FLUSH}...), or null
   * @param message the message, or null
   */
  public record Warning(String code, String message) implements ServerMessage {
    /** Whether the server refused a {@code Flush} because of the flush rate limit. */
    public boolean isExcessiveFlush() {
      return "EXCESSIVE_FLUSH".equalsIgnoreCase(code);
    }
  }

  /**
   * {@code Error}: not in the specification of {@code /v1/speak} (errors come as close frames), but
   * routed by an older official client; read defensively.
   */
  public record ErrorMessage(String code, String message) implements ServerMessage {}

  /** A frame with a {@code type} this adapter does not know; ignored with a warning. */
  public record Unknown(String type) implements ServerMessage {}

  /**
   * Decodes a text frame.
   *
   * @throws ProtocolException if it is not a JSON object with a string {@code type}, or a {@code
   *     Flushed}/{@code Cleared} without an integer {@code sequence_id}
   */
  public static ServerMessage decode(String frame) {
    JsonNode n;
    try {
      n = MAPPER.readTree(frame);
    } catch (JsonProcessingException | RuntimeException e) {
      throw malformed("a text frame that is not JSON", frame);
    }
    if (n == null || !n.isObject()) {
      throw malformed("a text frame that is not a JSON object", frame);
    }
    JsonNode type = n.get("type");
    if (type == null || !type.isTextual()) {
      throw malformed("a text frame without a string 'type'", frame);
    }
    return switch (type.asText()) {
      case "Metadata" ->
          new Metadata(
              text(n, "request_id"),
              text(n, "model_name"),
              text(n, "model_version"),
              text(n, "model_uuid"));
      case "Flushed" -> new Flushed(sequenceId(n, frame));
      case "Cleared" -> new Cleared(sequenceId(n, frame));
      case "Warning" ->
          new Warning(
              first(text(n, "warn_code"), text(n, "code")),
              first(text(n, "warn_msg"), text(n, "description"), text(n, "message")));
      case "Error" ->
          new ErrorMessage(
              first(text(n, "err_code"), text(n, "code"), text(n, "variant")),
              first(text(n, "err_msg"), text(n, "description"), text(n, "message")));
      default -> new Unknown(type.asText());
    };
  }

  private static long sequenceId(JsonNode n, String frame) {
    JsonNode s = n.get("sequence_id");
    if (s == null || !s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
      throw malformed(
          "a " + n.get("type").asText() + " frame without a whole 'sequence_id' >= 0", frame);
    }
    return s.asLong();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      return null;
    }
    return v.asText();
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static ProtocolException malformed(String what, String frame) {
    return new ProtocolException(
        PROVIDER, "the server sent " + what + ": " + HttpErrors.abbreviate(frame, 200));
  }

  // ------------------------------------------------------------------ errors

  /**
   * An error body as Deepgram writes it.
   *
   * @param code {@code err_code} (or {@code error_code}, {@code category}), or null
   * @param message {@code err_msg} (or {@code message}, the body's text), never null
   * @param requestId {@code request_id}, or null
   */
  public record ErrorBody(String code, String message, String requestId) {}

  /**
   * Reads an error body: the legacy {@code {err_code, err_msg, request_id}}, the newer {@code
   * {category, message, details, request_id}}, {@code error_code} (as one documented 503 spells
   * it), a JSON string, or plain text.
   */
  public static ErrorBody errorBody(byte[] body) {
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return new ErrorBody(null, "", null);
    }
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n != null && n.isObject()) {
        String code = first(text(n, "err_code"), text(n, "error_code"), text(n, "category"));
        String message =
            first(
                text(n, "err_msg"),
                text(n, "message"),
                text(n, "details"),
                text(n, "error"),
                text(n, "reason"));
        return new ErrorBody(
            code,
            HttpErrors.abbreviate(message != null ? message : text, HttpErrors.MAX_QUOTED),
            text(n, "request_id"));
      }
      if (n != null && n.isTextual()) {
        return new ErrorBody(null, HttpErrors.abbreviate(n.asText(), HttpErrors.MAX_QUOTED), null);
      }
    } catch (JsonProcessingException | RuntimeException e) {
      // not JSON: the text itself
    }
    return new ErrorBody(null, HttpErrors.abbreviate(text, HttpErrors.MAX_QUOTED), null);
  }

  /**
   * The token a close reason starts with ({@code DATA-0001} in {@code "DATA-0001 Too many input
   * characters..."}), or null.
   */
  public static String reasonCode(String reason) {
    if (reason == null) {
      return null;
    }
    Matcher m = REASON_CODE.matcher(reason);
    return m.find() ? m.group(1) : null;
  }

  // ------------------------------------------------------------------ text

  /** Whether {@code s} has a letter or a digit (text the server would speak). */
  public static boolean speakable(CharSequence s) {
    return s.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  /**
   * Where to cut {@code text} so that the first piece has at most {@code max} characters: the whole
   * text if it fits; else after the last sentence end (a {@code . ! ? …}, possibly followed by
   * closing quotes, then whitespace, or a line break) within the limit, if it is in the second
   * half; else after the last whitespace within the limit; else, with {@code hard}, at the limit
   * (never inside a surrogate pair), and without it 0 (no cut that keeps words whole). The cut
   * keeps the whitespace with the first piece, so the pieces concatenated are the text.
   */
  public static int cut(CharSequence text, int max, boolean hard) {
    if (max < 1) {
      return 0;
    }
    int n = text.length();
    if (n <= max) {
      return n;
    }
    int sentence = -1;
    int space = -1;
    // a cut at i means the piece is text[0, i): text[i - 1] is whitespace
    for (int i = max; i >= 1; i--) {
      char c = text.charAt(i - 1);
      if (!Character.isWhitespace(c)) {
        continue;
      }
      if (space < 0) {
        space = i;
      }
      if (c == '\n' || endsSentence(text, i - 1)) {
        sentence = i;
        break;
      }
    }
    if (sentence > 0 && sentence >= max / 2) {
      return sentence;
    }
    if (space > 0) {
      return space;
    }
    if (!hard) {
      return 0;
    }
    int at = max;
    if (Character.isHighSurrogate(text.charAt(at - 1))
        && Character.isLowSurrogate(text.charAt(at))) {
      at--;
    }
    return at;
  }

  private static final String TERMINATORS = ".!?…";
  private static final String CLOSERS = "\"')]}»”’";

  /** Whether the whitespace at {@code ws} follows a sentence end. */
  private static boolean endsSentence(CharSequence text, int ws) {
    int j = ws - 1;
    while (j >= 0 && CLOSERS.indexOf(text.charAt(j)) >= 0) {
      j--;
    }
    return j >= 0 && TERMINATORS.indexOf(text.charAt(j)) >= 0;
  }
}
