package dev.voicebridge.deepgram.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.deepgram.DeepgramOptions;
import dev.voicebridge.kit.Endpoints;
import dev.voicebridge.spi.ConfigKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one session asks Deepgram for: the model, the transport, the wire encoding, sample rate and
 * container the requested format maps to, the other query parameters, how the audio is turned into
 * the requested format locally, and the warnings for the report. Built by {@link #plan}, which
 * validates everything before any I/O.
 *
 * @param model the model (voice), {@code model} on the wire
 * @param transport {@code websocket} or {@code http}
 * @param httpUnit {@code sentence} or {@code flush}: what one REST request carries
 * @param format the format the application asked for
 * @param encoding {@code encoding} on the wire: linear16, mulaw, alaw, mp3 or opus
 * @param sampleRate {@code sample_rate} on the wire, or null where the encoding fixes it (mp3,
 *     opus)
 * @param container {@code container} (REST only): {@code none} for raw audio, or null for the
 *     encoding's own (mp3 frames, Ogg for opus)
 * @param bitRate {@code bit_rate} (REST mp3 and opus), or null
 * @param speed {@code speed}, or null
 * @param mipOptOut {@code mip_opt_out}, or null
 * @param tag {@code tag} (REST only), or null
 * @param output how the received audio becomes the requested format
 * @param warnings options ignored, for the report
 */
public record DeepgramRequest(
    String model,
    String transport,
    String httpUnit,
    AudioFormat format,
    String encoding,
    Integer sampleRate,
    String container,
    Integer bitRate,
    Double speed,
    Boolean mipOptOut,
    String tag,
    AudioOutput.Kind output,
    List<String> warnings) {

  /** The format when the options name none: 16-bit PCM at 24 kHz (the WebSocket's default). */
  public static final AudioFormat DEFAULT_FORMAT = AudioFormat.PCM_24K;

  /** The path of both endpoints. */
  public static final String PATH = "/v1/speak";

  /** The rates of linear16 (WebSocket and REST). */
  static final Set<Integer> LINEAR16_RATES = Set.of(8_000, 16_000, 24_000, 32_000, 48_000);

  /** The rates Deepgram produces mu-law and A-law at; other rates are converted here. */
  static final Set<Integer> G711_RATES = Set.of(8_000, 16_000);

  /** The one MP3 rate Deepgram produces. */
  static final int MP3_RATE = 22_050;

  /** Compact constructor: copies. */
  public DeepgramRequest {
    warnings = List.copyOf(warnings);
  }

  // ------------------------------------------------------------------ formats

  /** Whether the WebSocket can deliver {@code f} (raw linear16, mu-law or A-law). */
  public static boolean supportsWebSocket(AudioFormat f) {
    if (f.channels() != 1) {
      return false;
    }
    return switch (f.encoding()) {
      case PCM_S16LE, WAV, MULAW, ALAW -> LINEAR16_RATES.contains(f.sampleRate());
      case MP3, OPUS -> false;
    };
  }

  /** Whether REST can deliver {@code f}: what the WebSocket can, plus MP3 22.05 kHz and Opus. */
  public static boolean supportsHttp(AudioFormat f) {
    if (f.channels() != 1) {
      return false;
    }
    return switch (f.encoding()) {
      case PCM_S16LE, WAV, MULAW, ALAW -> LINEAR16_RATES.contains(f.sampleRate());
      case MP3 -> f.sampleRate() == MP3_RATE;
      case OPUS -> f.sampleRate() == 48_000;
    };
  }

  private static String formatsOf(String transport) {
    String raw =
        "mono pcm, wav, mulaw and alaw at 8000, 16000, 24000, 32000 or 48000 Hz (mulaw and alaw"
            + " above 16000 Hz converted locally from linear16)";
    return transport.equals(DeepgramOptions.HTTP)
        ? raw + ", mp3 at 22050 Hz and opus at 48000 Hz"
        : raw + "; mp3 and opus only over transport http";
  }

  // ------------------------------------------------------------------ the plan

  /**
   * Validates {@code options} against what Deepgram accepts and builds the session's plan.
   *
   * @throws UnsupportedCapabilityException for a format, model or value Deepgram cannot honour
   */
  public static DeepgramRequest plan(SynthesisOptions options, DeepgramSettings settings) {
    String p = DeepgramCodec.PROVIDER;
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<SynthesisOption<?>, Object> e : options.vendorOptions().entrySet()) {
      SynthesisOption<?> key = e.getKey();
      if (!key.provider().equals(p)) {
        warnings.add("option " + key + " ignored: it belongs to provider '" + key.provider() + "'");
        continue;
      }
      if (!DeepgramOptions.all().contains(key)) {
        warnings.add("option " + key + " is not a Deepgram option; ignored");
        continue;
      }
      String problem = key.problem(e.getValue());
      if (problem != null) {
        throw new UnsupportedCapabilityException(p, key + " " + problem);
      }
    }
    String transport = options.get(DeepgramOptions.TRANSPORT, settings.transport());
    boolean http = transport.equals(DeepgramOptions.HTTP);
    String model = model(options, settings);

    AudioFormat format = options.format().orElse(DEFAULT_FORMAT);
    if (!(http ? supportsHttp(format) : supportsWebSocket(format))) {
      throw new UnsupportedCapabilityException(
          p,
          "Deepgram cannot deliver "
              + format
              + " over transport "
              + transport
              + ": it speaks "
              + formatsOf(transport));
    }
    String encoding;
    Integer rate = format.sampleRate();
    String container = http ? "none" : null;
    AudioOutput.Kind output;
    switch (format.encoding()) {
      case PCM_S16LE -> {
        encoding = "linear16";
        output = AudioOutput.Kind.PCM;
      }
      case WAV -> {
        encoding = "linear16"; // the WAV header is written here, once for the session
        output = AudioOutput.Kind.WAV;
      }
      case MULAW, ALAW -> {
        boolean mu = format.encoding() == AudioFormat.Encoding.MULAW;
        if (G711_RATES.contains(format.sampleRate())) {
          encoding = mu ? "mulaw" : "alaw";
          output = AudioOutput.Kind.PASS;
        } else {
          encoding = "linear16";
          output = mu ? AudioOutput.Kind.TO_MULAW : AudioOutput.Kind.TO_ALAW;
        }
      }
      case MP3 -> {
        encoding = "mp3";
        rate = null; // fixed at 22050
        container = null;
        output = AudioOutput.Kind.PASS;
      }
      case OPUS -> {
        encoding = "opus";
        rate = null; // fixed at 48000, in Ogg
        container = null;
        output = AudioOutput.Kind.PASS;
      }
      default -> throw new AssertionError(format);
    }

    Double speed = options.get(DeepgramOptions.SPEED).orElse(null);
    if (speed == null && options.speed().isPresent()) {
      speed = options.speed().get();
      if (speed.isNaN() || speed < 0.7 || speed > 1.5) {
        throw new UnsupportedCapabilityException(
            p, "speed " + speed + " is outside what Deepgram accepts (speed 0.7..1.5)");
      }
    }
    if (speed != null && !model.startsWith("aura-2-")) {
      warnings.add(
          "speed is documented for Aura-2 voices only; model '"
              + model
              + "' may ignore or refuse it");
    }

    Integer bitRate = options.get(DeepgramOptions.BIT_RATE).orElse(null);
    if (bitRate != null) {
      if (!http
          || (format.encoding() != AudioFormat.Encoding.MP3
              && format.encoding() != AudioFormat.Encoding.OPUS)) {
        warnings.add(
            "deepgram.bit-rate ignored: it applies to mp3 and opus over transport http only");
        bitRate = null;
      } else if (format.encoding() == AudioFormat.Encoding.MP3
          && bitRate != 32_000
          && bitRate != 48_000) {
        throw new UnsupportedCapabilityException(
            p, "deepgram.bit-rate for mp3 must be 32000 or 48000, was " + bitRate);
      }
    }
    String tag = options.get(DeepgramOptions.TAG).orElse(null);
    if (tag != null && !http) {
      warnings.add("deepgram.tag ignored: the WebSocket does not take a tag (REST only)");
      tag = null;
    }
    String unit = options.get(DeepgramOptions.HTTP_REQUEST_UNIT, DeepgramOptions.PER_SENTENCE);
    if (!http && options.get(DeepgramOptions.HTTP_REQUEST_UNIT).isPresent()) {
      warnings.add("deepgram.http-request-unit ignored: it applies to transport http only");
    }
    options
        .language()
        .ifPresent(
            l ->
                warnings.add(
                    "language '"
                        + ConfigKey.printable(l)
                        + "' ignored: the Deepgram model ("
                        + model
                        + ") fixes the language"));
    return new DeepgramRequest(
        model,
        transport,
        unit,
        format,
        encoding,
        rate,
        container,
        bitRate,
        speed,
        options.get(DeepgramOptions.MIP_OPT_OUT).orElse(null),
        tag,
        output,
        warnings);
  }

  /** The model: the options' voice or model (which must agree), else the configured one. */
  private static String model(SynthesisOptions options, DeepgramSettings settings) {
    String voice = options.voice().map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    String model = options.model().map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    if (voice != null && model != null && !voice.equals(model)) {
      throw new UnsupportedCapabilityException(
          DeepgramCodec.PROVIDER,
          "voice '"
              + ConfigKey.printable(voice)
              + "' and model '"
              + ConfigKey.printable(model)
              + "' both name the Deepgram model (the voice) and differ: set one of them");
    }
    String m = voice != null ? voice : model != null ? model : settings.model();
    String problem = modelProblem(m);
    if (problem != null) {
      throw new UnsupportedCapabilityException(
          DeepgramCodec.PROVIDER, "the model (voice) '" + ConfigKey.printable(m) + "' " + problem);
    }
    return m;
  }

  /**
   * Why {@code model} cannot be a Deepgram model name, or null: letters, digits, {@code -}, {@code
   * _} and {@code .} only, at most 100 characters.
   */
  public static String modelProblem(String model) {
    String m = model.trim();
    if (m.isEmpty()) {
      return "must not be blank";
    }
    if (m.length() > 100) {
      return "must be at most 100 characters";
    }
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!ok) {
        return "must contain only letters, digits, '-', '_' and '.' (a model name such as"
            + " aura-2-thalia-en)";
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ the wire

  /**
   * The WebSocket's query: {@code model}, {@code encoding}, {@code sample_rate}, then {@code speed}
   * and {@code mip_opt_out} when set (booleans lower case).
   */
  public Map<String, Object> webSocketQuery() {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("model", model);
    q.put("encoding", encoding);
    q.put("sample_rate", sampleRate);
    q.put("speed", speed == null ? null : number(speed));
    q.put("mip_opt_out", mipOptOut == null ? null : mipOptOut.toString());
    return q;
  }

  /**
   * The REST query: {@code model}, {@code encoding}, {@code sample_rate} and {@code container} (raw
   * encodings), {@code bit_rate}, {@code speed}, {@code mip_opt_out}, {@code tag}, the unset ones
   * left out.
   */
  public Map<String, Object> restQuery() {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("model", model);
    q.put("encoding", encoding);
    q.put("sample_rate", sampleRate);
    q.put("container", container);
    q.put("bit_rate", bitRate);
    q.put("speed", speed == null ? null : number(speed));
    q.put("mip_opt_out", mipOptOut == null ? null : mipOptOut.toString());
    q.put("tag", tag);
    return q;
  }

  /** {@code /v1/speak?...} of the WebSocket. */
  public String webSocketPath() {
    return PATH + "?" + Endpoints.query(webSocketQuery());
  }

  /** {@code /v1/speak?...} of a REST request. */
  public String restPath() {
    return PATH + "?" + Endpoints.query(restQuery());
  }

  /** A decimal without a trailing {@code .0} for whole numbers ({@code 1}, {@code 1.25}). */
  static String number(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString((long) d);
    }
    return Double.toString(d).toLowerCase(Locale.ROOT);
  }
}
