package dev.voicebridge.fish.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.fish.FishOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one session sends: the {@code TTSRequest} map (without text), the model header, the
 * transport and the warnings for the report. Built by {@link #plan}, which validates everything
 * before any I/O.
 *
 * @param request the request fields in wire order, {@code text} first (empty)
 * @param model the {@code model} header
 * @param transport {@code websocket} or {@code http}
 * @param httpUnit {@code sentence} or {@code flush}: what one HTTP request carries
 * @param format the audio format
 * @param warnings options ignored, for the report
 */
public record FishRequest(
    Map<String, Object> request,
    String model,
    String transport,
    String httpUnit,
    AudioFormat format,
    List<String> warnings) {

  /** The default format: 16-bit PCM at 24 kHz. */
  public static final AudioFormat DEFAULT_FORMAT = AudioFormat.PCM_24K;

  /** The default latency mode sent when none is set. */
  public static final String DEFAULT_LATENCY = "balanced";

  static final Set<Integer> PCM_RATES = Set.of(8000, 16000, 24000, 32000, 44100);
  static final Set<Integer> MP3_RATES = Set.of(32000, 44100);

  /** Compact constructor: copies. */
  public FishRequest {
    request = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(request));
    warnings = List.copyOf(warnings);
  }

  /** Whether Fish can produce {@code format}. */
  public static boolean supports(AudioFormat f) {
    if (f.channels() != 1) {
      return false;
    }
    return switch (f.encoding()) {
      case PCM_S16LE, WAV -> PCM_RATES.contains(f.sampleRate());
      case MP3 -> MP3_RATES.contains(f.sampleRate());
      case OPUS -> f.sampleRate() == 48_000;
      case MULAW, ALAW -> false;
    };
  }

  /**
   * The Fish {@code format} value for {@code f}.
   *
   * @throws UnsupportedCapabilityException naming what Fish accepts
   */
  public static String wireFormat(AudioFormat f) {
    if (!supports(f)) {
      throw new UnsupportedCapabilityException(
          FishCodec.PROVIDER,
          "Fish cannot produce "
              + f
              + ": it speaks mono pcm and wav at 8000, 16000, 24000, 32000 or 44100 Hz,"
              + " mp3 at 32000 or 44100 Hz, and opus at 48000 Hz");
    }
    return switch (f.encoding()) {
      case PCM_S16LE -> "pcm";
      case WAV -> "wav";
      case MP3 -> "mp3";
      case OPUS -> "opus";
      default -> throw new AssertionError(f);
    };
  }

  /**
   * Validates {@code options} and builds the request.
   *
   * @throws UnsupportedCapabilityException for a format or value Fish cannot honour
   */
  public static FishRequest plan(SynthesisOptions options, FishSettings settings) {
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<SynthesisOption<?>, Object> e : options.vendorOptions().entrySet()) {
      SynthesisOption<?> key = e.getKey();
      if (!key.provider().equals(FishCodec.PROVIDER)) {
        warnings.add("option " + key + " ignored: it belongs to provider '" + key.provider() + "'");
        continue;
      }
      String problem = key.problem(e.getValue());
      if (problem != null) {
        throw new UnsupportedCapabilityException(FishCodec.PROVIDER, problem);
      }
    }
    AudioFormat format = options.format().orElse(DEFAULT_FORMAT);
    String wire = wireFormat(format);

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("text", "");
    String voice =
        options
            .get(FishOptions.REFERENCE_ID)
            .or(() -> options.voice().filter(v -> !v.isBlank()))
            .orElse(settings.voice());
    if (voice != null && !voice.isBlank()) {
      r.put("reference_id", voice);
    }
    r.put("format", wire);
    r.put("sample_rate", format.sampleRate());
    r.put("latency", options.get(FishOptions.LATENCY, DEFAULT_LATENCY));
    options.get(FishOptions.CHUNK_LENGTH).ifPresent(v -> r.put("chunk_length", v));
    options.get(FishOptions.MIN_CHUNK_LENGTH).ifPresent(v -> r.put("min_chunk_length", v));
    options.get(FishOptions.NORMALIZE).ifPresent(v -> r.put("normalize", v));

    Double speed = options.get(FishOptions.SPEED).orElse(null);
    if (speed == null && options.speed().isPresent()) {
      speed = options.speed().get();
      if (speed < 0.5 || speed > 2.0) {
        throw new UnsupportedCapabilityException(
            FishCodec.PROVIDER,
            "speed " + speed + " is outside what Fish accepts (prosody.speed 0.5..2.0)");
      }
    }
    Double volume = options.get(FishOptions.VOLUME).orElse(null);
    if (speed != null || volume != null) {
      Map<String, Object> prosody = new LinkedHashMap<>();
      prosody.put("speed", speed != null ? speed : 1.0);
      prosody.put("volume", volume != null ? volume : 0.0);
      r.put("prosody", prosody);
    }
    options.get(FishOptions.TEMPERATURE).ifPresent(v -> r.put("temperature", v));
    options.get(FishOptions.TOP_P).ifPresent(v -> r.put("top_p", v));
    options
        .get(FishOptions.MP3_BITRATE)
        .ifPresent(
            v -> {
              if (format.encoding() == AudioFormat.Encoding.MP3) {
                r.put("mp3_bitrate", v);
              } else {
                warnings.add("fish.mp3-bitrate ignored: the format is " + format);
              }
            });
    options
        .get(FishOptions.OPUS_BITRATE)
        .ifPresent(
            v -> {
              if (format.encoding() == AudioFormat.Encoding.OPUS) {
                r.put("opus_bitrate", v);
              } else {
                warnings.add("fish.opus-bitrate ignored: the format is " + format);
              }
            });
    options
        .language()
        .ifPresent(
            l ->
                warnings.add(
                    "language '" + l + "' ignored: Fish detects the language from the text"));
    String model = options.model().filter(m -> !m.isBlank()).map(String::trim).orElse(null);
    if (model == null) {
      model = settings.model();
    }
    if (model.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new UnsupportedCapabilityException(
          FishCodec.PROVIDER, "the model must not contain control characters (it is a header)");
    }
    String transport = options.get(FishOptions.TRANSPORT, settings.transport());
    String unit = options.get(FishOptions.HTTP_REQUEST_UNIT, FishOptions.PER_SENTENCE);
    return new FishRequest(r, model, transport, unit, format, warnings);
  }

  /** The request map with {@code text} set (for HTTP). */
  public Map<String, Object> withText(String text) {
    Map<String, Object> m = new LinkedHashMap<>(request);
    m.put("text", text);
    return m;
  }
}
