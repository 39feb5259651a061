package dev.voicebridge.elevenlabs;

import dev.voicebridge.SynthesisOption;
import dev.voicebridge.kit.Transports;
import java.util.List;
import java.util.Objects;

/**
 * Typed ElevenLabs options for {@link dev.voicebridge.SynthesisOptions.Builder#set}. Each key is
 * checked when it is set (ranges, list items); combinations and the voice id are checked when a
 * session is opened, before any network I/O.
 *
 * <pre>{@code
 * SynthesisOptions options = SynthesisOptions.builder()
 *     .voice("JBFqnCBsd6RMkjVDRZzb")
 *     .format(AudioFormat.PCM_24K)
 *     .set(ElevenLabsOptions.STABILITY, 0.4)
 *     .set(ElevenLabsOptions.CHUNK_LENGTH_SCHEDULE, List.of(50, 120, 160, 250))
 *     .set(ElevenLabsOptions.TRANSPORT, ElevenLabsOptions.MULTI_CONTEXT)
 *     .build();
 * }</pre>
 */
public final class ElevenLabsOptions {
  private static final String P = ElevenLabsProvider.NAME;

  private ElevenLabsOptions() {}

  /** {@link #TRANSPORT} value: the {@code stream-input} WebSocket, one socket per session. */
  public static final String WEBSOCKET = Transports.WEBSOCKET;

  /**
   * {@link #TRANSPORT} value: the {@code multi-stream-input} WebSocket; sessions of one synthesizer
   * share sockets as contexts (at most 5 live contexts per socket).
   */
  public static final String MULTI_CONTEXT = Transports.MULTI_CONTEXT;

  /** {@link #TRANSPORT} value: HTTP {@code /stream}, one request per sentence, no word timings. */
  public static final String HTTP = Transports.HTTP;

  /** {@link #TRANSPORT} value: HTTP {@code /stream/with-timestamps}, with word timings. */
  public static final String HTTP_TIMESTAMPS = Transports.HTTP_TIMESTAMPS;

  /**
   * How sessions reach ElevenLabs: {@code websocket} (default, or the {@code transport} config
   * key), {@code multi-context}, {@code http} or {@code http-timestamps}.
   */
  public static final SynthesisOption<String> TRANSPORT =
      SynthesisOption.oneOf(
          P,
          "transport",
          "websocket (stream-input), multi-context (multi-stream-input), http (/stream) or"
              + " http-timestamps (/stream/with-timestamps)",
          WEBSOCKET,
          MULTI_CONTEXT,
          HTTP,
          HTTP_TIMESTAMPS);

  /** {@code voice_settings.stability}, 0..1 (vendor default 0.5). */
  public static final SynthesisOption<Double> STABILITY =
      SynthesisOption.doubleRange(P, "stability", 0, 1, "voice_settings.stability, 0..1");

  /** {@code voice_settings.similarity_boost}, 0..1 (vendor default 0.75). */
  public static final SynthesisOption<Double> SIMILARITY_BOOST =
      SynthesisOption.doubleRange(
          P, "similarity-boost", 0, 1, "voice_settings.similarity_boost, 0..1");

  /** {@code voice_settings.style}, 0..1 (vendor default 0). */
  public static final SynthesisOption<Double> STYLE =
      SynthesisOption.doubleRange(P, "style", 0, 1, "voice_settings.style, 0..1");

  /** {@code voice_settings.use_speaker_boost} (vendor default true). */
  public static final SynthesisOption<Boolean> USE_SPEAKER_BOOST =
      SynthesisOption.of(P, "use-speaker-boost", Boolean.class, "voice_settings.use_speaker_boost");

  /**
   * {@code voice_settings.speed}, 0.7..1.2 (vendor default 1.0). {@link
   * dev.voicebridge.SynthesisOptions#speed()} maps to the same field; this key wins when both are
   * set.
   */
  public static final SynthesisOption<Double> SPEED =
      SynthesisOption.doubleRange(P, "speed", 0.7, 1.2, "voice_settings.speed, 0.7..1.2");

  /**
   * {@code generation_config.chunk_length_schedule} (WebSockets): how many buffered characters
   * trigger each generation, each item 50..500; the vendor default is {@code [120, 160, 250, 290]}.
   */
  public static final SynthesisOption<List<Integer>> CHUNK_LENGTH_SCHEDULE =
      SynthesisOption.checked(
          P,
          "chunk-length-schedule",
          integerListType(),
          "generation_config.chunk_length_schedule: characters per generation, each 50..500",
          ElevenLabsOptions::checkSchedule);

  /**
   * {@code auto_mode} (WebSockets): the server disables its chunk schedule and buffers and
   * generates per message. Recommended for whole sentences.
   */
  public static final SynthesisOption<Boolean> AUTO_MODE =
      SynthesisOption.of(P, "auto-mode", Boolean.class, "auto_mode query parameter (WebSockets)");

  /**
   * {@code inactivity_timeout} in seconds (WebSockets), 1..180, vendor default 20. The adapter
   * sends a keep-alive before it expires while the application has not finished.
   */
  public static final SynthesisOption<Integer> INACTIVITY_TIMEOUT =
      SynthesisOption.intRange(
          P, "inactivity-timeout", 1, 180, "inactivity_timeout in seconds (WebSockets), 1..180");

  /** {@code apply_text_normalization}: {@code auto} (vendor default), {@code on} or {@code off}. */
  public static final SynthesisOption<String> APPLY_TEXT_NORMALIZATION =
      SynthesisOption.oneOf(
          P, "apply-text-normalization", "apply_text_normalization", "auto", "on", "off");

  /**
   * {@code language_code} (ISO 639-1, for models that take one: flash/turbo v2.5). Overrides {@link
   * dev.voicebridge.SynthesisOptions#language()}.
   */
  public static final SynthesisOption<String> LANGUAGE_CODE =
      SynthesisOption.checked(
          P,
          "language-code",
          String.class,
          "language_code, ISO 639-1 such as en or ja",
          v -> v.matches("[A-Za-z]{2,3}") ? null : "must be an ISO 639 code such as en, was " + v);

  /** {@code seed} for best-effort determinism, 0..4294967295. */
  public static final SynthesisOption<Long> SEED =
      SynthesisOption.checked(
          P,
          "seed",
          Long.class,
          "seed, 0..4294967295",
          v -> v < 0 || v > 4_294_967_295L ? "must be in 0..4294967295, was " + v : null);

  /**
   * {@code pronunciation_dictionary_locators}: at most 3 dictionaries, sent in the first message
   * (WebSockets) or in each request (HTTP).
   */
  public static final SynthesisOption<List<PronunciationDictionary>> PRONUNCIATION_DICTIONARIES =
      SynthesisOption.checked(
          P,
          "pronunciation-dictionaries",
          dictionaryListType(),
          "pronunciation_dictionary_locators, at most 3",
          ElevenLabsOptions::checkDictionaries);

  /**
   * Word timings from {@code normalizedAlignment} (the text as the vendor normalized it, for
   * example "one hundred dollars" for "$100") instead of {@code alignment} (the text as sent).
   * Default false. Such timings have {@link dev.voicebridge.WordTiming#normalized()} set.
   */
  public static final SynthesisOption<Boolean> NORMALIZED_ALIGNMENT =
      SynthesisOption.of(
          P,
          "normalized-alignment",
          Boolean.class,
          "word timings from normalizedAlignment instead of alignment");

  /**
   * {@code sync_alignment} (WebSockets): alignment with every audio chunk. Default true, since the
   * adapter turns alignment into word timings.
   */
  public static final SynthesisOption<Boolean> SYNC_ALIGNMENT =
      SynthesisOption.of(
          P, "sync-alignment", Boolean.class, "sync_alignment query parameter (WebSockets)");

  /** {@code enable_logging}; false is the vendor's zero-retention mode (enterprise only). */
  public static final SynthesisOption<Boolean> ENABLE_LOGGING =
      SynthesisOption.of(P, "enable-logging", Boolean.class, "enable_logging query parameter");

  /** {@code enable_ssml_parsing} (WebSockets). */
  public static final SynthesisOption<Boolean> ENABLE_SSML_PARSING =
      SynthesisOption.of(
          P, "enable-ssml-parsing", Boolean.class, "enable_ssml_parsing query parameter");

  /**
   * The bit rate in kbit/s of MP3 and Opus output ({@code mp3_44100_128}, {@code opus_48000_64}):
   * MP3 at 44100 Hz takes 32, 64, 96, 128 (default) or 192; Opus takes 32, 64 (default), 96, 128 or
   * 192. MP3 at 22050 Hz is always 32 and at 24000 Hz always 48.
   */
  public static final SynthesisOption<Integer> BITRATE =
      SynthesisOption.checked(
          P,
          "bitrate",
          Integer.class,
          "kbit/s of mp3 or opus output: 32, 48, 64, 96, 128 or 192",
          v ->
              List.of(32, 48, 64, 96, 128, 192).contains(v)
                  ? null
                  : "must be 32, 48, 64, 96, 128 or 192, was " + v);

  /**
   * Over HTTP, whether token input is cut into sentences, one request each, so the first sentence
   * is spoken while later text is still arriving (default true). False: one request per flush and
   * one at finish, each with all the text given since the previous one.
   */
  public static final SynthesisOption<Boolean> HTTP_SENTENCES =
      SynthesisOption.of(
          P,
          "http-sentences",
          Boolean.class,
          "HTTP: one request per sentence (true, default) or per flush/finish (false)");

  /**
   * Every key of this provider.
   *
   * @return the keys, in declaration order
   */
  public static List<SynthesisOption<?>> all() {
    return List.of(
        TRANSPORT,
        STABILITY,
        SIMILARITY_BOOST,
        STYLE,
        USE_SPEAKER_BOOST,
        SPEED,
        CHUNK_LENGTH_SCHEDULE,
        AUTO_MODE,
        INACTIVITY_TIMEOUT,
        APPLY_TEXT_NORMALIZATION,
        LANGUAGE_CODE,
        SEED,
        PRONUNCIATION_DICTIONARIES,
        NORMALIZED_ALIGNMENT,
        SYNC_ALIGNMENT,
        ENABLE_LOGGING,
        ENABLE_SSML_PARSING,
        BITRATE,
        HTTP_SENTENCES);
  }

  /**
   * A pronunciation dictionary locator: {@code {pronunciation_dictionary_id, version_id}}.
   *
   * @param id the dictionary id
   * @param versionId the version id
   */
  public record PronunciationDictionary(String id, String versionId) {
    /**
     * Compact constructor: both parts must be non-blank.
     *
     * @param id the dictionary id
     * @param versionId the version id
     */
    public PronunciationDictionary {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(versionId, "versionId");
      if (id.isBlank() || versionId.isBlank()) {
        throw new IllegalArgumentException("a pronunciation dictionary needs an id and a version");
      }
    }
  }

  private static String checkSchedule(List<Integer> schedule) {
    if (schedule.isEmpty()) {
      return "must not be empty";
    }
    for (Object item : schedule) {
      if (!(item instanceof Integer i) || i < 50 || i > 500) {
        return "items must each be in 50..500, was " + schedule;
      }
    }
    return null;
  }

  private static String checkDictionaries(List<PronunciationDictionary> dictionaries) {
    if (dictionaries.size() > 3) {
      return "takes at most 3 dictionaries, was " + dictionaries.size();
    }
    for (Object item : dictionaries) {
      if (!(item instanceof PronunciationDictionary)) {
        return "items must be PronunciationDictionary, was " + item;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Class<List<Integer>> integerListType() {
    return (Class<List<Integer>>) (Class<?>) List.class;
  }

  @SuppressWarnings("unchecked")
  private static Class<List<PronunciationDictionary>> dictionaryListType() {
    return (Class<List<PronunciationDictionary>>) (Class<?>) List.class;
  }
}
