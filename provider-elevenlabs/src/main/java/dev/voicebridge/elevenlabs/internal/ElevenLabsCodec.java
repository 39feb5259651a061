package dev.voicebridge.elevenlabs.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.elevenlabs.ElevenLabsOptions.PronunciationDictionary;
import dev.voicebridge.internal.Base64Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON of the ElevenLabs wire: every client message, and the decoding of every server frame.
 * Malformed input always ends in {@link ProtocolException}. Thread-safe. Public (in this unexported
 * package) for the benchmarks.
 */
public final class ElevenLabsCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String P = ElevenLabsSynthesizer.NAME;

  private ElevenLabsCodec() {}

  // ------------------------------------------------------------ stream-input client messages
  //
  // Client messages are written by hand into a StringBuilder (the same JSON Jackson wrote, field
  // for field): they are built on the caller's thread before each request or text message, where
  // a tree and a serializer cost tens of microseconds while the code is still interpreted.

  /** The first message: {@code " "}, voice settings, generation config, dictionaries. */
  static String init(ElevenLabsRequest plan) {
    Json o = new Json().field("text", " ");
    addInitFields(o, plan);
    return o.end();
  }

  /** Text: whole words ending in a space. */
  static String text(String text) {
    return new Json().field("text", text).end();
  }

  /** A flush, carrying the held tail (or a single space). */
  static String flush(String tail) {
    return new Json().field("text", tail == null ? " " : tail).field("flush", true).end();
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
  static String contextInit(String contextId, ElevenLabsRequest plan) {
    Json o = new Json().field("text", " ").field("context_id", contextId);
    addInitFields(o, plan);
    return o.end();
  }

  /** Text for a context. */
  static String contextText(String contextId, String text) {
    return new Json().field("text", text).field("context_id", contextId).end();
  }

  /** Flushes a context, with the held tail when there is one. */
  static String contextFlush(String contextId, String tail) {
    Json o = new Json();
    if (tail != null) {
      o.field("text", tail);
    }
    return o.field("context_id", contextId).field("flush", true).end();
  }

  /** Closes a context. */
  static String closeContext(String contextId) {
    return new Json().field("context_id", contextId).field("close_context", true).end();
  }

  /** Keeps a context alive: empty text with its id. */
  static String contextKeepAlive(String contextId) {
    return contextText(contextId, "");
  }

  /** Closes the socket and every context on it. */
  static String closeSocket() {
    return new Json().field("close_socket", true).end();
  }

  private static void addInitFields(Json o, ElevenLabsRequest plan) {
    voiceSettings(o, plan.voiceSettings());
    if (plan.chunkLengthSchedule() != null) {
      o.name("generation_config").append("{\"chunk_length_schedule\":[");
      boolean first = true;
      for (Integer n : plan.chunkLengthSchedule()) {
        if (!first) {
          o.append(",");
        }
        first = false;
        o.append(String.valueOf(n));
      }
      o.append("]}");
    }
    addDictionaries(o, plan.dictionaries());
  }

  // ------------------------------------------------------------ HTTP

  /** The body of a /stream or /stream/with-timestamps request. */
  static String httpBody(ElevenLabsRequest plan, String text, String previousText) {
    Json o = new Json().field("text", text).field("model_id", plan.model());
    voiceSettings(o, plan.voiceSettings());
    if (plan.languageCode() != null) {
      o.field("language_code", plan.languageCode());
    }
    if (plan.seed() != null) {
      o.name("seed").append(String.valueOf(plan.seed()));
    }
    if (plan.applyTextNormalization() != null) {
      o.field("apply_text_normalization", plan.applyTextNormalization());
    }
    addDictionaries(o, plan.dictionaries());
    if (previousText != null) {
      o.field("previous_text", previousText);
    }
    return o.end();
  }

  private static void voiceSettings(Json o, ElevenLabsRequest.VoiceSettings v) {
    if (v == null || v.isEmpty()) {
      return;
    }
    Json vs = new Json();
    if (v.stability() != null) {
      vs.field("stability", v.stability());
    }
    if (v.similarityBoost() != null) {
      vs.field("similarity_boost", v.similarityBoost());
    }
    if (v.style() != null) {
      vs.field("style", v.style());
    }
    if (v.useSpeakerBoost() != null) {
      vs.field("use_speaker_boost", v.useSpeakerBoost());
    }
    if (v.speed() != null) {
      vs.field("speed", v.speed());
    }
    o.name("voice_settings").append(vs.end());
  }

  private static void addDictionaries(Json o, List<PronunciationDictionary> dictionaries) {
    if (dictionaries == null || dictionaries.isEmpty()) {
      return;
    }
    o.name("pronunciation_dictionary_locators").append("[");
    boolean first = true;
    for (PronunciationDictionary d : dictionaries) {
      if (!first) {
        o.append(",");
      }
      first = false;
      o.append(
          new Json()
              .field("pronunciation_dictionary_id", d.id())
              .field("version_id", d.versionId())
              .end());
    }
    o.append("]");
  }

  /** A JSON object written field by field, escaped as Jackson escapes. */
  private static final class Json {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private final StringBuilder sb = new StringBuilder(64).append('{');

    Json name(String name) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      quote(name);
      sb.append(':');
      return this;
    }

    Json append(String raw) {
      sb.append(raw);
      return this;
    }

    Json field(String name, String value) {
      name(name);
      if (value == null) {
        sb.append("null");
      } else {
        quote(value);
      }
      return this;
    }

    Json field(String name, boolean value) {
      name(name).sb.append(value);
      return this;
    }

    Json field(String name, double value) {
      name(name).sb.append(value);
      return this;
    }

    String end() {
      return sb.append('}').toString();
    }

    private void quote(String s) {
      sb.append('"');
      int from = 0;
      int n = s.length();
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x20 && c != '"' && c != '\\') {
          continue;
        }
        sb.append(s, from, i).append('\\');
        switch (c) {
          case '"', '\\' -> sb.append(c);
          case '\n' -> sb.append('n');
          case '\r' -> sb.append('r');
          case '\t' -> sb.append('t');
          case '\b' -> sb.append('b');
          case '\f' -> sb.append('f');
          default -> sb.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
        from = i + 1;
      }
      sb.append(s, from, n).append('"');
    }
  }

  // ------------------------------------------------------------ server frames
  //
  // Server frames are read with Jackson's streaming parser, never as a tree. The audio, the bulk of
  // every frame, is decoded in place: when the message opens with its audio field (as the vendor's
  // messages do), the base64 is decoded straight from the input into an array of the exact size,
  // and the parser reads the message with the audio's text spliced out. Anything else (escapes,
  // another field order, invalid base64) takes the general path, where Jackson decodes the base64
  // (getBinaryValue) and has the last word on what is valid.

  /** Decodes a WebSocket server frame; malformed input raises {@link ProtocolException}. */
  public static ServerFrame decodeFrame(String text) {
    int open = audioQuote(text, "\"audio\"");
    byte[] pre = null;
    int close = -1;
    if (open >= 0) {
      close = text.indexOf('"', open + 1);
      if (close > open + 1) {
        pre = Base64Text.decode(text, open + 1, close - open - 1);
      }
    }
    try (JsonParser p =
        pre == null
            ? FACTORY.createParser(text)
            : FACTORY.createParser(new SplicedReader(text, open + 1, close))) {
      return frame(p, pre);
    } catch (VoicebridgeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw malformed("WebSocket frame", text, e);
    }
  }

  private static ServerFrame frame(JsonParser p, byte[] pre) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new ProtocolException(P, "a WebSocket frame is not a JSON object");
    }
    byte[] audio = null;
    boolean isFinal = false;
    boolean isFinalSnake = false;
    String contextId = null;
    String contextIdSnake = null;
    Alignment alignment = null;
    Alignment normalized = null;
    Alignment normalizedSnake = null;
    String error = null;
    String message = null;
    Integer code = null;
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "audio" -> audio = pre != null && index == 0 ? pre : binary(p, v, "audio");
        case "isFinal" -> isFinal = bool(p, v);
        case "is_final" -> isFinalSnake = bool(p, v);
        case "contextId" -> contextId = string(p, v);
        case "context_id" -> contextIdSnake = string(p, v);
        case "alignment" -> alignment = wsAlignment(p, v, "alignment");
        case "normalizedAlignment" -> normalized = wsAlignment(p, v, "normalizedAlignment");
        case "normalized_alignment" -> normalizedSnake = wsAlignment(p, v, "normalized_alignment");
        case "error" -> error = string(p, v);
        case "message" -> message = string(p, v);
        case "code" -> code = code(p, v);
        default -> p.skipChildren();
      }
      index++;
    }
    endOfObject(t);
    return new ServerFrame(
        audio,
        isFinal || isFinalSnake,
        contextId != null ? contextId : contextIdSnake,
        alignment,
        normalized != null ? normalized : normalizedSnake,
        error,
        message,
        code);
  }

  /**
   * One line of /stream/with-timestamps: audio and alignment in seconds from the start of the
   * request's audio.
   *
   * @param audio the decoded audio, or null when the line has none
   * @param alignment {@code alignment}, or null
   * @param normalizedAlignment {@code normalized_alignment}, or null
   */
  public record TimestampChunk(byte[] audio, Alignment alignment, Alignment normalizedAlignment) {}

  /**
   * Decodes one line of /stream/with-timestamps; malformed input raises {@link ProtocolException},
   * a line carrying the vendor's error the exception {@link ElevenLabsErrors} maps it to.
   */
  public static TimestampChunk decodeTimestampLine(String line) {
    int open = audioQuote(line, "\"audio_base64\"");
    byte[] pre = null;
    int close = -1;
    if (open >= 0) {
      close = line.indexOf('"', open + 1);
      if (close > open + 1) {
        pre = Base64Text.decode(line, open + 1, close - open - 1);
      }
    }
    try (JsonParser p =
        pre == null
            ? FACTORY.createParser(line)
            : FACTORY.createParser(new SplicedReader(line, open + 1, close))) {
      return timestampLine(p, pre, line, null, 0, 0);
    } catch (VoicebridgeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw malformed("with-timestamps line", line, e);
    }
  }

  /** Decodes one line of /stream/with-timestamps held as UTF-8 in {@code bytes[from, to)}. */
  static TimestampChunk decodeTimestampLine(byte[] bytes, int from, int to) {
    int open = audioQuote(bytes, from, to, AUDIO_BASE64);
    byte[] pre = null;
    int close = -1;
    if (open >= 0) {
      close = indexOf(bytes, (byte) '"', open + 1, to);
      if (close > open + 1) {
        pre = Base64Text.decode(bytes, open + 1, close - open - 1);
      }
    }
    try (JsonParser p =
        pre == null
            ? FACTORY.createParser(bytes, from, to - from)
            : FACTORY.createParser(new SplicedStream(bytes, from, open + 1, close, to))) {
      return timestampLine(p, pre, null, bytes, from, to);
    } catch (VoicebridgeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw malformed(
          "with-timestamps line",
          new String(bytes, from, Math.min(to - from, 1024), StandardCharsets.UTF_8),
          e);
    }
  }

  private static TimestampChunk timestampLine(
      JsonParser p, byte[] pre, String line, byte[] bytes, int from, int to) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new ProtocolException(P, "a with-timestamps line is not a JSON object");
    }
    byte[] audio = null;
    byte[] audioOld = null;
    boolean hasAudio = false;
    boolean hasAudioOld = false;
    boolean hasError = false;
    Alignment alignment = null;
    Alignment normalized = null;
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "audio_base64" -> {
          hasAudio = true;
          audio = pre != null && index == 0 ? pre : binary(p, v, "audio_base64");
        }
        case "audio_base_64" -> {
          hasAudioOld = true;
          audioOld = binary(p, v, "audio_base_64");
        }
        case "alignment" -> alignment = secondsAlignment(p, v, "alignment");
        case "normalized_alignment" -> normalized = secondsAlignment(p, v, "normalized_alignment");
        case "detail", "error", "message" -> {
          hasError = true;
          p.skipChildren();
        }
        default -> p.skipChildren();
      }
      index++;
    }
    endOfObject(t);
    if (!hasAudio && !hasAudioOld && hasError) {
      String text =
          line != null ? line : new String(bytes, from, to - from, StandardCharsets.UTF_8);
      HttpError e = decodeHttpError(text);
      throw ElevenLabsErrors.fromStreamError(e.status(), e.message());
    }
    return new TimestampChunk(hasAudio ? audio : audioOld, alignment, normalized);
  }

  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final Base64Variant LENIENT_BASE64 =
      Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();
  private static final byte[] AUDIO_BASE64 = "\"audio_base64\"".getBytes(StandardCharsets.US_ASCII);

  private static ProtocolException malformed(String what, String text, Exception e) {
    return new ProtocolException(
        P,
        "malformed JSON in a " + what + ": " + abbreviate(text) + " (" + e.getMessage() + ")",
        e);
  }

  private static void endOfObject(JsonToken t) {
    if (t != JsonToken.END_OBJECT) {
      throw new ProtocolException(P, "a server message ends inside its object");
    }
  }

  /**
   * The index of the opening quote of the value of {@code key} when it is the first field of the
   * object that {@code s} holds, else -1.
   */
  private static int audioQuote(String s, String key) {
    int n = s.length();
    int i = skipWhitespace(s, 0);
    if (i >= n || s.charAt(i) != '{') {
      return -1;
    }
    i = skipWhitespace(s, i + 1);
    if (!s.startsWith(key, i)) {
      return -1;
    }
    i = skipWhitespace(s, i + key.length());
    if (i >= n || s.charAt(i) != ':') {
      return -1;
    }
    i = skipWhitespace(s, i + 1);
    return i < n && s.charAt(i) == '"' ? i : -1;
  }

  private static int skipWhitespace(String s, int i) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      i++;
    }
    return i;
  }

  private static int audioQuote(byte[] b, int from, int to, byte[] key) {
    int i = skipWhitespace(b, from, to);
    if (i >= to || b[i] != '{') {
      return -1;
    }
    i = skipWhitespace(b, i + 1, to);
    if (to - i < key.length || !Arrays.equals(b, i, i + key.length, key, 0, key.length)) {
      return -1;
    }
    i = skipWhitespace(b, i + key.length, to);
    if (i >= to || b[i] != ':') {
      return -1;
    }
    i = skipWhitespace(b, i + 1, to);
    return i < to && b[i] == '"' ? i : -1;
  }

  private static int skipWhitespace(byte[] b, int i, int to) {
    while (i < to) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean bool(JsonParser p, JsonToken v) throws IOException {
    p.skipChildren();
    return v == JsonToken.VALUE_TRUE;
  }

  /** A field read as text, as the tree decoder did: scalars as text, containers as JSON. */
  private static String string(JsonParser p, JsonToken v) throws IOException {
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
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static Integer code(JsonParser p, JsonToken v) throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
      p.skipChildren();
      return null;
    }
    JsonNode n = JSON.readTree(p);
    return n != null && n.canConvertToInt() ? n.intValue() : null;
  }

  /** Base64 text decoded by the parser (the general path); null for null or empty. */
  private static byte[] binary(JsonParser p, JsonToken v, String field) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw new ProtocolException(P, "'" + field + "' is not a base64 string");
    }
    byte[] out;
    try {
      out = p.getBinaryValue(LENIENT_BASE64);
    } catch (IOException | IllegalArgumentException e) {
      throw new ProtocolException(P, "'" + field + "' is not valid base64: " + e.getMessage(), e);
    }
    return out.length == 0 ? null : out;
  }

  private static Alignment wsAlignment(JsonParser p, JsonToken v, String field) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      throw new ProtocolException(P, "'" + field + "' is not an object");
    }
    List<String> chars = List.of();
    double[] starts = NO_NUMBERS;
    double[] durations = null;
    double[] durationsOld = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken e = p.nextToken();
      switch (name) {
        case "chars" -> chars = chars(p, e, field, ".chars");
        case "charStartTimesMs" -> starts = numbers(p, e, field, ".charStartTimesMs");
        case "charDurationsMs" ->
            durations = e == JsonToken.VALUE_NULL ? null : numbers(p, e, field, ".charDurationsMs");
        case "charsDurationsMs" -> durationsOld = numbers(p, e, field, ".charDurationsMs");
        default -> p.skipChildren();
      }
    }
    endOfObject(t);
    if (durations == null) {
      durations = durationsOld != null ? durationsOld : NO_NUMBERS;
    }
    return alignment(field, chars, starts, durations);
  }

  private static Alignment secondsAlignment(JsonParser p, JsonToken v, String field)
      throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      throw new ProtocolException(P, "'" + field + "' is not an object");
    }
    List<String> chars = List.of();
    double[] starts = NO_NUMBERS;
    double[] ends = NO_NUMBERS;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken e = p.nextToken();
      switch (name) {
        case "characters" -> chars = chars(p, e, field, ".characters");
        case "character_start_times_seconds" ->
            starts = numbers(p, e, field, ".character_start_times_seconds");
        case "character_end_times_seconds" ->
            ends = numbers(p, e, field, ".character_end_times_seconds");
        default -> p.skipChildren();
      }
    }
    endOfObject(t);
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

  private static final double[] NO_NUMBERS = new double[0];

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

  private static List<String> chars(JsonParser p, JsonToken v, String field, String member)
      throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (v != JsonToken.START_ARRAY) {
      p.skipChildren();
      throw new ProtocolException(P, "'" + field + member + "' is not an array");
    }
    List<String> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_STRING) {
        throw new ProtocolException(P, "'" + field + member + "' holds a non-string");
      }
      out.add(p.getText());
    }
    return out;
  }

  private static double[] numbers(JsonParser p, JsonToken v, String field, String member)
      throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return NO_NUMBERS;
    }
    if (v != JsonToken.START_ARRAY) {
      p.skipChildren();
      throw new ProtocolException(P, "'" + field + member + "' is not an array");
    }
    double[] out = new double[16];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw new ProtocolException(P, "'" + field + member + "' holds a non-number");
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = p.getDoubleValue();
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** Serves a String with the characters {@code [cutFrom, cutTo)} left out, to the parser. */
  private static final class SplicedReader extends Reader {
    private final String s;
    private final int cutFrom;
    private final int cutTo;
    private int pos;

    SplicedReader(String s, int cutFrom, int cutTo) {
      this.s = s;
      this.cutFrom = cutFrom;
      this.cutTo = cutTo;
    }

    @Override
    public int read(char[] buf, int off, int len) {
      if (pos == cutFrom) {
        pos = cutTo;
      }
      int n = s.length();
      if (pos >= n) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int limit = pos < cutFrom ? cutFrom : n;
      int k = Math.min(len, limit - pos);
      s.getChars(pos, pos + k, buf, off);
      pos += k;
      return k;
    }

    @Override
    public void close() {}
  }

  /** Serves {@code bytes[from, to)} with {@code [cutFrom, cutTo)} left out, to the parser. */
  private static final class SplicedStream extends InputStream {
    private final byte[] b;
    private final int cutFrom;
    private final int cutTo;
    private final int to;
    private int pos;

    SplicedStream(byte[] b, int from, int cutFrom, int cutTo, int to) {
      this.b = b;
      this.pos = from;
      this.cutFrom = cutFrom;
      this.cutTo = cutTo;
      this.to = to;
    }

    @Override
    public int read() {
      if (pos == cutFrom) {
        pos = cutTo;
      }
      return pos < to ? b[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
      if (pos == cutFrom) {
        pos = cutTo;
      }
      if (pos >= to) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int limit = pos < cutFrom ? cutFrom : to;
      int k = Math.min(len, limit - pos);
      System.arraycopy(b, pos, buf, off, k);
      pos += k;
      return k;
    }
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

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    return t.length() <= 200 ? t : t.substring(0, 200) + "...";
  }
}
