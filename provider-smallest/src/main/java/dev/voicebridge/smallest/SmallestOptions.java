package dev.voicebridge.smallest;

import dev.voicebridge.SynthesisOption;
import dev.voicebridge.kit.Transports;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Typed options that only Smallest AI understands, set with {@code
 * SynthesisOptions.builder().set(SmallestOptions.WORD_TIMESTAMPS, true)}. Values are range-checked
 * when they are set.
 *
 * <p>The neutral fields of {@link dev.voicebridge.SynthesisOptions} map as follows: {@code voice()}
 * to {@code voice_id} (default: the {@code voice} configuration key), {@code model()} to {@code
 * model} ({@code lightning_v3.1} or {@code lightning_v3.1_pro}), {@code speed()} to {@code speed}
 * (0.5 to 2.0, refused otherwise), {@code language()} to {@code language} (one of {@link
 * #LANGUAGES}; a region such as {@code en-US} is reduced to {@code en}), {@code format()} to {@code
 * sample_rate}.
 */
public final class SmallestOptions {

  /** The provider name these options belong to. */
  public static final String PROVIDER = "smallest";

  /** The transport value for the WebSocket {@code /waves/v1/tts/live} (the default). */
  public static final String WEBSOCKET = Transports.WEBSOCKET;

  /** The transport value for SSE on the same path, one request per sentence. */
  public static final String SSE = Transports.SSE;

  /** The language codes Smallest accepts for {@code language}. */
  public static final List<String> LANGUAGES =
      List.of(
          "auto", "en", "hi", "mr", "kn", "ta", "bn", "gu", "te", "ml", "pa", "or", "es", "de",
          "fr", "it", "nl", "sv", "pt", "ru", "el", "fi", "no", "pl", "ar", "zh", "id", "ja", "ko",
          "ms", "tr", "vi");

  /** The voices that emit word timestamps (English and Hindi base-queue voices). */
  public static final List<String> WORD_TIMESTAMP_VOICES =
      List.of("meher", "devansh", "kartik", "maithili", "liam", "avery");

  private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_\\-.]+");

  /**
   * The transport of a session: {@code websocket} (default; streaming input, word timestamps,
   * connection reuse) or {@code sse} (one HTTP request per sentence). Overrides the {@code
   * transport} configuration key.
   */
  public static final SynthesisOption<String> TRANSPORT =
      SynthesisOption.oneOf(
          PROVIDER,
          "transport",
          "websocket (streaming input, word timestamps) or sse (one request per sentence)",
          WEBSOCKET,
          SSE);

  /**
   * How text is cut into requests over SSE, which has no server-side text buffering: {@code
   * sentence} (default: one request per sentence, cut by the library's sentence segmenter, so the
   * first sentence is spoken while later text still arrives) or {@code flush} (one request per
   * flush and one for the finish, holding the text until then). Ignored over the WebSocket.
   */
  public static final SynthesisOption<String> SSE_SPLIT =
      SynthesisOption.oneOf(
          PROVIDER,
          "sse-split",
          "SSE requests per sentence (default) or per flush",
          "sentence",
          "flush");

  /**
   * {@code max_buffer_flush_ms} (0 to 1000): how long the server waits for more text before it
   * generates what it has; 0 (the server default) means it waits for a sentence end or a flush.
   * WebSocket only.
   */
  public static final SynthesisOption<Integer> MAX_BUFFER_FLUSH_MS =
      SynthesisOption.intRange(
          PROVIDER,
          "max-buffer-flush-ms",
          0,
          1000,
          "longest wait of the server for more text before it generates (WebSocket only)");

  /**
   * {@code complete_backoff_ms} (0 to 10000, server default 4000): how long the server waits after
   * the last audio before it sends {@code complete}. A session ends with that {@code complete}, so
   * a small value ends sessions sooner. WebSocket only.
   */
  public static final SynthesisOption<Integer> COMPLETE_BACKOFF_MS =
      SynthesisOption.intRange(
          PROVIDER,
          "complete-backoff-ms",
          0,
          10_000,
          "server wait after the last audio before 'complete' (WebSocket only; server default"
              + " 4000)");

  /**
   * {@code word_timestamps}: ask for per-word timings. Only the voices in {@link
   * #WORD_TIMESTAMP_VOICES} send them; with other voices the flag is accepted and no timing comes.
   * WebSocket only.
   */
  public static final SynthesisOption<Boolean> WORD_TIMESTAMPS =
      SynthesisOption.of(
          PROVIDER,
          "word-timestamps",
          Boolean.class,
          "per-word timings (WebSocket only; voices " + WORD_TIMESTAMP_VOICES + ")");

  /**
   * {@code request_id}: your correlation id, echoed by the server as {@code external_request_id}.
   * Letters, digits, {@code _ - .}; at most 128 characters.
   */
  public static final SynthesisOption<String> REQUEST_ID =
      SynthesisOption.checked(
          PROVIDER,
          "request-id",
          String.class,
          "correlation id echoed as external_request_id",
          SmallestOptions::idProblem);

  /**
   * {@code session_id}: your correlation id, echoed by the server as {@code external_session_id}.
   * Letters, digits, {@code _ - .}; at most 128 characters.
   */
  public static final SynthesisOption<String> SESSION_ID =
      SynthesisOption.checked(
          PROVIDER,
          "session-id",
          String.class,
          "correlation id echoed as external_session_id",
          SmallestOptions::idProblem);

  /**
   * {@code pronunciation_dicts}: ids of pronunciation dictionaries created in Smallest's console.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final SynthesisOption<List<String>> PRONUNCIATION_DICTS =
      (SynthesisOption<List<String>>)
          (SynthesisOption)
              SynthesisOption.checked(
                  PROVIDER,
                  "pronunciation-dicts",
                  List.class,
                  "ids of pronunciation dictionaries",
                  SmallestOptions::dictsProblem);

  /** {@code number_pronunciation_language}: the language numerals are read in. */
  public static final SynthesisOption<String> NUMBER_PRONUNCIATION_LANGUAGE =
      SynthesisOption.oneOf(
          PROVIDER,
          "number-pronunciation-language",
          "language numerals are read in",
          LANGUAGES.toArray(new String[0]));

  /** {@code math_notation}: read mathematical notation as mathematics. */
  public static final SynthesisOption<Boolean> MATH_NOTATION =
      SynthesisOption.of(
          PROVIDER, "math-notation", Boolean.class, "read mathematical notation as mathematics");

  /** Every option of this class, for listings. */
  public static final List<SynthesisOption<?>> ALL =
      List.of(
          TRANSPORT,
          SSE_SPLIT,
          MAX_BUFFER_FLUSH_MS,
          COMPLETE_BACKOFF_MS,
          WORD_TIMESTAMPS,
          REQUEST_ID,
          SESSION_ID,
          PRONUNCIATION_DICTS,
          NUMBER_PRONUNCIATION_LANGUAGE,
          MATH_NOTATION);

  private SmallestOptions() {}

  private static String idProblem(String v) {
    if (v.isEmpty() || v.length() > 128) {
      return "must be 1 to 128 characters, was " + v.length();
    }
    if (!ID.matcher(v).matches()) {
      return "must match ^[a-zA-Z0-9_\\-.]+$, was '" + v + "'";
    }
    return null;
  }

  private static String dictsProblem(List<?> v) {
    if (v.isEmpty()) {
      return "must name at least one dictionary";
    }
    for (Object o : v) {
      if (!(o instanceof String s) || s.isBlank()) {
        return "must hold non-blank strings, was " + v;
      }
    }
    return null;
  }
}
