package dev.voicebridge.cartesia;

import dev.voicebridge.SynthesisOption;
import dev.voicebridge.kit.Transports;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed Cartesia options for {@link dev.voicebridge.SynthesisOptions.Builder#set}. Each value is
 * checked when it is set (an out-of-range value throws {@link IllegalArgumentException} naming the
 * key and the range), and the combination is checked in {@code open()}, so nothing invalid reaches
 * the network. Unset options are not sent and the server's defaults apply, except {@link
 * #WORD_TIMESTAMPS} (on by default where the transport carries timestamps).
 *
 * <pre>{@code
 * SynthesisOptions options = SynthesisOptions.builder()
 *     .format(AudioFormat.pcm(24_000))
 *     .voice("794f9389-aac1-45b6-b726-9d9369183238")
 *     .set(CartesiaOptions.LANGUAGE, "en")
 *     .set(CartesiaOptions.SPEED, 1.1)
 *     .set(CartesiaOptions.MAX_BUFFER_DELAY_MS, 0)
 *     .build();
 * }</pre>
 */
public final class CartesiaOptions {
  private CartesiaOptions() {}

  /** The provider name these keys belong to. */
  public static final String PROVIDER = "cartesia";

  /** The transport value for the multiplexed WebSocket {@code /tts/websocket} (the default). */
  public static final String WEBSOCKET = Transports.WEBSOCKET;

  /** The transport value for server-sent events, {@code POST /tts/sse}. */
  public static final String SSE = Transports.SSE;

  /** The transport value for raw audio bytes, {@code POST /tts/bytes}. */
  public static final String BYTES = Transports.BYTES;

  /** HTTP request unit: one request per sentence from the segmenter (the default). */
  public static final String PER_SENTENCE = "sentence";

  /** HTTP request unit: one request per flush (and one for the rest at the finish). */
  public static final String PER_FLUSH = "flush";

  /** The 44 language codes Cartesia's {@code language} field takes. */
  public static final Set<String> LANGUAGES =
      Set.of(
          "en", "fr", "de", "es", "pt", "zh", "ja", "hi", "it", "ko", "nl", "pl", "ru", "sv", "tr",
          "tl", "bg", "ro", "ar", "cs", "el", "fi", "hr", "ms", "sk", "da", "ta", "uk", "hu", "no",
          "vi", "bn", "th", "he", "ka", "id", "te", "gu", "kn", "ml", "mr", "pa", "or", "ur");

  private static final Pattern LOCALE_PATTERN =
      Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){1,3}");
  private static final Pattern EMOTION_PATTERN = Pattern.compile("[A-Za-z][A-Za-z /_-]{0,39}");

  /**
   * The transport: {@link #WEBSOCKET} ({@code websocket}, the default: one context per session on a
   * shared socket, server-side text buffering, word timestamps), {@link #SSE} ({@code sse}: one
   * request per sentence, word timestamps) or {@link #BYTES} ({@code bytes}: one request per
   * sentence, audio only). Overrides the configured {@code voicebridge.cartesia.transport}.
   */
  public static final SynthesisOption<String> TRANSPORT =
      SynthesisOption.oneOf(
          PROVIDER, "transport", "websocket, sse or bytes", WEBSOCKET, SSE, BYTES);

  /**
   * The language, one of {@link #LANGUAGES} ({@code language}). Takes precedence over {@link
   * dev.voicebridge.SynthesisOptions#language()}; may not be set together with {@link #LOCALE}.
   */
  public static final SynthesisOption<String> LANGUAGE =
      SynthesisOption.checked(
          PROVIDER,
          "language",
          String.class,
          "the language code (language)",
          v ->
              LANGUAGES.contains(v)
                  ? null
                  : "must be one of Cartesia's language codes " + sorted());

  /**
   * The locale, such as {@code en-GB} ({@code locale}; API version 2026-08-14 and later). May not
   * be set together with {@link #LANGUAGE}.
   */
  public static final SynthesisOption<String> LOCALE =
      SynthesisOption.checked(
          PROVIDER,
          "locale",
          String.class,
          "the locale, such as en-GB (locale; API version 2026-08-14 and later)",
          v -> LOCALE_PATTERN.matcher(v).matches() ? null : "must be a locale such as en-GB");

  /**
   * Speaking rate, 0.6..1.5 ({@code generation_config.speed}, sonic-3 models). Takes precedence
   * over {@link dev.voicebridge.SynthesisOptions#speed()}.
   */
  public static final SynthesisOption<Double> SPEED =
      SynthesisOption.doubleRange(
          PROVIDER, "speed", 0.6, 1.5, "speaking rate (generation_config.speed)");

  /** Volume, 0.5..2.0 ({@code generation_config.volume}, sonic-3 models). */
  public static final SynthesisOption<Double> VOLUME =
      SynthesisOption.doubleRange(
          PROVIDER, "volume", 0.5, 2.0, "volume (generation_config.volume)");

  /**
   * Emotion, such as {@code calm} or {@code happy} ({@code generation_config.emotion}, sonic-3
   * models); sent as given (the vendor's documents spell it in lower case, some integrations
   * capitalized).
   */
  public static final SynthesisOption<String> EMOTION =
      SynthesisOption.checked(
          PROVIDER,
          "emotion",
          String.class,
          "emotion (generation_config.emotion)",
          v ->
              EMOTION_PATTERN.matcher(v).matches()
                  ? null
                  : "must be an emotion name such as calm or happy (letters, at most 40)");

  /**
   * How long the server may hold text to build a longer phrase, 0..5000 ms ({@code
   * max_buffer_delay_ms}; server default 3000; 0 generates every message at once). WebSocket only.
   */
  public static final SynthesisOption<Integer> MAX_BUFFER_DELAY_MS =
      SynthesisOption.intRange(
          PROVIDER,
          "max-buffer-delay-ms",
          0,
          5000,
          "how long the server may buffer text, in ms (max_buffer_delay_ms)");

  /** A pronunciation dictionary id ({@code pronunciation_dict_id}, sonic-3 and newer). */
  public static final SynthesisOption<String> PRONUNCIATION_DICT_ID =
      SynthesisOption.checked(
          PROVIDER,
          "pronunciation-dict-id",
          String.class,
          "pronunciation dictionary id (pronunciation_dict_id)",
          v ->
              v.isBlank() || v.length() > 256 || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                  ? "must be 1..256 characters without control characters"
                  : null);

  /**
   * Word timestamps ({@code add_timestamps}), delivered as {@link dev.voicebridge.WordTiming}
   * events. On by default over the WebSocket and SSE; the bytes transport has none.
   */
  public static final SynthesisOption<Boolean> WORD_TIMESTAMPS =
      SynthesisOption.of(
          PROVIDER, "word-timestamps", Boolean.class, "word timestamps (add_timestamps)");

  /**
   * Whether word timestamps use the normalized text (numbers spelled out) rather than the text sent
   * ({@code use_normalized_timestamps}); sets {@link dev.voicebridge.WordTiming#normalized()}.
   */
  public static final SynthesisOption<Boolean> NORMALIZED_TIMESTAMPS =
      SynthesisOption.of(
          PROVIDER,
          "normalized-timestamps",
          Boolean.class,
          "timestamps of the normalized text (use_normalized_timestamps)");

  /**
   * Phoneme timestamps ({@code add_phoneme_timestamps}), handed to this listener. Not available
   * over the bytes transport.
   */
  public static final SynthesisOption<PhonemeListener> PHONEME_TIMINGS =
      SynthesisOption.of(
          PROVIDER,
          "phoneme-timings",
          PhonemeListener.class,
          "a listener of phoneme timestamps (add_phoneme_timestamps)");

  /**
   * What one HTTP request carries over {@link #SSE} and {@link #BYTES}: {@code sentence} (the
   * default; each segment of the sentence segmenter is a request as soon as it is complete) or
   * {@code flush} (all text up to a flush, or up to the finish, in one request: better prosody
   * across sentences, later first audio). Ignored on the WebSocket, where the server buffers text.
   */
  public static final SynthesisOption<String> HTTP_REQUEST_UNIT =
      SynthesisOption.oneOf(
          PROVIDER, "http-request-unit", "sentence or flush", PER_SENTENCE, PER_FLUSH);

  /**
   * The encoding asked of Cartesia for PCM and WAV output: {@code pcm_s16le} (the default,
   * delivered as received) or {@code pcm_f32le} (32-bit float, converted to 16-bit locally).
   */
  public static final SynthesisOption<String> WIRE_ENCODING =
      SynthesisOption.oneOf(
          PROVIDER,
          "wire-encoding",
          "pcm_s16le or pcm_f32le (converted to 16-bit)",
          "pcm_s16le",
          "pcm_f32le");

  /** Every key, for listings. */
  public static List<SynthesisOption<?>> all() {
    return List.of(
        TRANSPORT,
        LANGUAGE,
        LOCALE,
        SPEED,
        VOLUME,
        EMOTION,
        MAX_BUFFER_DELAY_MS,
        PRONUNCIATION_DICT_ID,
        WORD_TIMESTAMPS,
        NORMALIZED_TIMESTAMPS,
        PHONEME_TIMINGS,
        HTTP_REQUEST_UNIT,
        WIRE_ENCODING);
  }

  private static String sorted() {
    return new java.util.TreeSet<>(LANGUAGES).toString();
  }

  /**
   * One phoneme on the session's audio timeline (the same timeline as the session's word timings).
   *
   * @param phoneme the phoneme as Cartesia reports it
   * @param start when it starts, from the beginning of the session's audio
   * @param end when it ends, never before {@code start}
   */
  public record PhonemeTiming(String phoneme, Duration start, Duration end) {
    /** Compact constructor: validates the values. */
    public PhonemeTiming {
      Objects.requireNonNull(phoneme, "phoneme");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      if (start.isNegative() || end.compareTo(start) < 0) {
        throw new IllegalArgumentException("bad phoneme timing " + phoneme);
      }
    }
  }

  /**
   * Receives the phoneme timestamps of a session ({@link #PHONEME_TIMINGS}). Called on a transport
   * thread as the server's frames arrive, in order, never after the session has ended; it must not
   * block. Phonemes are not ordered with the session's events: a phoneme may be heard before the
   * application has read the audio it belongs to.
   */
  @FunctionalInterface
  public interface PhonemeListener {
    /** One phoneme. */
    void onPhoneme(PhonemeTiming timing);
  }
}
