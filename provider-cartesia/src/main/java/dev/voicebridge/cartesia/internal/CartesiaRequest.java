package dev.voicebridge.cartesia.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.cartesia.CartesiaOptions;
import dev.voicebridge.kit.Transports;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one session sends, validated when the session is opened ({@link #plan}), before any I/O:
 * transport, formats, the fields of every generation request, and the warnings for the report.
 * Immutable.
 *
 * @param transport {@code websocket}, {@code sse} or {@code bytes}
 * @param format the format delivered to the application
 * @param wireEncoding the {@code output_format.encoding} asked of Cartesia
 * @param version the {@code Cartesia-Version}
 * @param model {@code model_id}
 * @param voice the voice id
 * @param language {@code language}, or null
 * @param locale {@code locale}, or null (never both)
 * @param speed {@code generation_config.speed}, or null
 * @param volume {@code generation_config.volume}, or null
 * @param emotion {@code generation_config.emotion}, or null
 * @param maxBufferDelayMs {@code max_buffer_delay_ms} (WebSocket), or null
 * @param pronunciationDictId {@code pronunciation_dict_id}, or null
 * @param wordTimestamps whether {@code add_timestamps} is sent
 * @param normalizedTimestamps {@code use_normalized_timestamps}, or null
 * @param phonemes the listener of phoneme timestamps, or null ({@code add_phoneme_timestamps})
 * @param httpUnit {@code sentence} or {@code flush}: what one HTTP request carries
 * @param warnings options ignored, for the report
 */
public record CartesiaRequest(
    String transport,
    AudioFormat format,
    String wireEncoding,
    String version,
    String model,
    String voice,
    String language,
    String locale,
    Double speed,
    Double volume,
    String emotion,
    Integer maxBufferDelayMs,
    String pronunciationDictId,
    boolean wordTimestamps,
    Boolean normalizedTimestamps,
    CartesiaOptions.PhonemeListener phonemes,
    String httpUnit,
    List<String> warnings) {

  /** The default format: 16-bit PCM at 24 kHz. */
  public static final AudioFormat DEFAULT_FORMAT = AudioFormat.PCM_24K;

  /** The sample rates Cartesia produces. */
  public static final Set<Integer> RATES = Set.of(8000, 16000, 22050, 24000, 44100, 48000);

  /** The first version with structured JSON errors. */
  static final String STRUCTURED_ERRORS = "2026-03-01";

  /** The first version where a voice is a plain id and {@code locale} exists. */
  static final String PLAIN_VOICE = "2026-08-14";

  private static final String P = CartesiaOptions.PROVIDER;

  /** Compact constructor: copies. */
  public CartesiaRequest {
    warnings = List.copyOf(warnings);
  }

  /** Whether Cartesia can produce {@code f} (locally converted formats included). */
  public static boolean supports(AudioFormat f) {
    if (f.channels() != 1 || !RATES.contains(f.sampleRate())) {
      return false;
    }
    return switch (f.encoding()) {
      case PCM_S16LE, WAV, MULAW, ALAW -> true;
      case MP3, OPUS -> false;
    };
  }

  /** Whether {@code version} is {@code since} or later (dates compare as text). */
  static boolean atLeast(String version, String since) {
    return version.compareTo(since) >= 0;
  }

  /** Whether this session runs on the WebSocket. */
  boolean isWebSocket() {
    return Transports.WEBSOCKET.equals(transport);
  }

  /** Whether the voice goes as a plain id (2026-08-14) rather than {@code {"mode":"id"}}. */
  boolean plainVoice() {
    return atLeast(version, PLAIN_VOICE);
  }

  /** Whether timestamps of any kind are asked for. */
  boolean anyTimestamps() {
    return wordTimestamps || phonemes != null;
  }

  /**
   * Validates {@code options} against {@code settings} and builds the plan.
   *
   * @throws UnsupportedCapabilityException for a format Cartesia cannot produce
   * @throws ConfigurationException listing every invalid value or combination
   */
  public static CartesiaRequest plan(SynthesisOptions options, CartesiaSettings settings) {
    List<String> warnings = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<SynthesisOption<?>, Object> e : options.vendorOptions().entrySet()) {
      SynthesisOption<?> key = e.getKey();
      if (!key.provider().equals(P)) {
        warnings.add("option " + key + " ignored: it belongs to provider '" + key.provider() + "'");
        continue;
      }
      String problem = key.problem(e.getValue());
      if (problem != null) {
        problems.add(problem);
      }
    }
    String transport = options.get(CartesiaOptions.TRANSPORT).orElse(settings.transport());
    boolean ws = Transports.WEBSOCKET.equals(transport);
    boolean bytes = Transports.BYTES.equals(transport);

    AudioFormat format = options.format().orElse(DEFAULT_FORMAT);
    if (!supports(format)) {
      throw new UnsupportedCapabilityException(
          P,
          "Cartesia cannot produce "
              + format
              + ": it streams mono raw audio at 8000, 16000, 22050, 24000, 44100 or 48000 Hz,"
              + " delivered here as pcm, wav (wrapped locally), mulaw or alaw");
    }
    String wire =
        switch (format.encoding()) {
          case MULAW -> "pcm_mulaw";
          case ALAW -> "pcm_alaw";
          default -> options.get(CartesiaOptions.WIRE_ENCODING, "pcm_s16le");
        };
    if (options.get(CartesiaOptions.WIRE_ENCODING).isPresent()
        && (format.encoding() == AudioFormat.Encoding.MULAW
            || format.encoding() == AudioFormat.Encoding.ALAW)) {
      warnings.add(
          CartesiaOptions.WIRE_ENCODING + " ignored: G.711 output is asked of Cartesia as is");
    }

    String version = settings.version();
    String model = options.model().map(String::trim).filter(m -> !m.isEmpty()).orElse(null);
    if (model == null) {
      model = settings.model();
    } else if (idProblem(model) != null) {
      problems.add("model " + idProblem(model));
    }
    String voice = options.voice().map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    if (voice == null) {
      voice = settings.voice();
    } else if (idProblem(voice) != null) {
      problems.add("voice " + idProblem(voice));
    }

    String language = options.get(CartesiaOptions.LANGUAGE).orElse(null);
    String locale = options.get(CartesiaOptions.LOCALE).orElse(null);
    if (language != null && locale != null) {
      problems.add(
          CartesiaOptions.LANGUAGE
              + " and "
              + CartesiaOptions.LOCALE
              + " are exclusive: Cartesia takes a language or a locale, never both");
    }
    if (locale != null && !atLeast(version, PLAIN_VOICE)) {
      problems.add(
          CartesiaOptions.LOCALE
              + " needs Cartesia-Version "
              + PLAIN_VOICE
              + " or later (configured: "
              + version
              + "); use "
              + CartesiaOptions.LANGUAGE);
    }
    if (language == null && locale == null && options.language().isPresent()) {
      String l = options.language().get().trim();
      int dash = Math.max(l.indexOf('-'), l.indexOf('_'));
      String primary = (dash > 0 ? l.substring(0, dash) : l).toLowerCase(Locale.ROOT);
      if (CartesiaOptions.LANGUAGES.contains(primary)) {
        language = primary;
      } else {
        problems.add(
            "language '" + l + "' is not one Cartesia speaks (" + CartesiaOptions.LANGUAGE + ")");
      }
    }

    Double speed = options.get(CartesiaOptions.SPEED).orElse(null);
    if (speed == null && options.speed().isPresent()) {
      speed = options.speed().get();
      if (speed.isNaN() || speed < 0.6 || speed > 1.5) {
        problems.add(
            "speed "
                + speed
                + " is outside what Cartesia takes (generation_config.speed 0.6..1.5)");
      }
    }
    Double volume = options.get(CartesiaOptions.VOLUME).orElse(null);
    String emotion = options.get(CartesiaOptions.EMOTION).orElse(null);
    if ((speed != null || volume != null || emotion != null) && !isSonic3(model)) {
      warnings.add(
          "generation_config (speed, volume, emotion) is documented for sonic-3 models only;"
              + " model "
              + model
              + " may ignore it");
    }

    Integer maxBufferDelay = options.get(CartesiaOptions.MAX_BUFFER_DELAY_MS).orElse(null);
    if (maxBufferDelay != null && !ws) {
      warnings.add(
          CartesiaOptions.MAX_BUFFER_DELAY_MS
              + " ignored: it applies to the WebSocket only, the transport is "
              + transport);
      maxBufferDelay = null;
    }
    String unit = options.get(CartesiaOptions.HTTP_REQUEST_UNIT, CartesiaOptions.PER_SENTENCE);
    if (ws && options.get(CartesiaOptions.HTTP_REQUEST_UNIT).isPresent()) {
      warnings.add(
          CartesiaOptions.HTTP_REQUEST_UNIT + " ignored: the WebSocket buffers text on the server");
    }

    boolean words = options.get(CartesiaOptions.WORD_TIMESTAMPS, !bytes);
    Boolean normalized = options.get(CartesiaOptions.NORMALIZED_TIMESTAMPS).orElse(null);
    CartesiaOptions.PhonemeListener phonemes =
        options.get(CartesiaOptions.PHONEME_TIMINGS).orElse(null);
    if (bytes) {
      if (words) {
        warnings.add(
            CartesiaOptions.WORD_TIMESTAMPS
                + " ignored: the bytes transport carries audio only (use sse or websocket)");
        words = false;
      }
      if (phonemes != null) {
        problems.add(
            CartesiaOptions.PHONEME_TIMINGS
                + " needs timestamps, which the bytes transport does not carry (use sse or"
                + " websocket)");
      }
      if (normalized != null) {
        warnings.add(CartesiaOptions.NORMALIZED_TIMESTAMPS + " ignored: bytes has no timestamps");
        normalized = null;
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(P, problems);
    }
    return new CartesiaRequest(
        transport,
        format,
        wire,
        version,
        model,
        voice,
        language,
        locale,
        speed,
        volume,
        emotion,
        maxBufferDelay,
        options.get(CartesiaOptions.PRONUNCIATION_DICT_ID).orElse(null),
        words,
        normalized,
        phonemes,
        unit,
        warnings);
  }

  private static boolean isSonic3(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return m.startsWith("sonic-3") || m.equals("sonic-latest");
  }

  private static String idProblem(String v) {
    if (v.length() > 256) {
      return "must be at most 256 characters";
    }
    return v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
        ? "must not contain control characters"
        : null;
  }
}
