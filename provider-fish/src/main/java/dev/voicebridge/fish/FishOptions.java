package dev.voicebridge.fish;

import dev.voicebridge.SynthesisOption;
import dev.voicebridge.kit.Transports;
import java.util.List;

/**
 * Typed Fish Audio options for {@link dev.voicebridge.SynthesisOptions.Builder#set}. Each value is
 * checked when it is set (an out-of-range value throws {@link IllegalArgumentException} naming the
 * key and the range), so nothing invalid reaches the network. Unset options are not sent and the
 * server's defaults apply, except {@link #LATENCY} (default {@code balanced}) and {@link
 * #TRANSPORT} (default {@code websocket}).
 *
 * <pre>{@code
 * SynthesisOptions options = SynthesisOptions.builder()
 *     .format(AudioFormat.pcm(24_000))
 *     .set(FishOptions.REFERENCE_ID, "802e3bc2b27e49c2995d23ef70e6ac89")
 *     .set(FishOptions.LATENCY, "low")
 *     .set(FishOptions.CHUNK_LENGTH, 100)
 *     .build();
 * }</pre>
 */
public final class FishOptions {
  private FishOptions() {}

  /** The provider name these keys belong to. */
  public static final String PROVIDER = "fish";

  /** The transport value for the WebSocket {@code /v1/tts/live} (the default). */
  public static final String WEBSOCKET = Transports.WEBSOCKET;

  /** The transport value for HTTP {@code POST /v1/tts}, one request per sentence. */
  public static final String HTTP = Transports.HTTP;

  /**
   * The voice: a Fish model id ({@code reference_id} on the wire). Takes precedence over {@link
   * dev.voicebridge.SynthesisOptions#voice()} and the configured {@code voice}; none of them set
   * means the model's default voice.
   */
  public static final SynthesisOption<String> REFERENCE_ID =
      SynthesisOption.checked(
          PROVIDER,
          "reference-id",
          String.class,
          "the voice model id (reference_id)",
          v -> v.isBlank() ? "must not be blank" : null);

  /**
   * Latency mode: {@code normal} (best quality), {@code balanced} (the default here), {@code low}.
   */
  public static final SynthesisOption<String> LATENCY =
      SynthesisOption.oneOf(
          PROVIDER, "latency", "latency mode (latency)", "normal", "balanced", "low");

  /**
   * Upper bound of text the server buffers before it generates, 100..300 ({@code chunk_length}).
   */
  public static final SynthesisOption<Integer> CHUNK_LENGTH =
      SynthesisOption.intRange(
          PROVIDER, "chunk-length", 100, 300, "text buffered before generation (chunk_length)");

  /** Minimum characters before the server splits a new chunk, 0..100 ({@code min_chunk_length}). */
  public static final SynthesisOption<Integer> MIN_CHUNK_LENGTH =
      SynthesisOption.intRange(
          PROVIDER,
          "min-chunk-length",
          0,
          100,
          "minimum characters before a new chunk (min_chunk_length)");

  /**
   * Speaking rate, 0.5..2.0 ({@code prosody.speed}). Takes precedence over {@link
   * dev.voicebridge.SynthesisOptions#speed()}.
   */
  public static final SynthesisOption<Double> SPEED =
      SynthesisOption.doubleRange(PROVIDER, "speed", 0.5, 2.0, "speaking rate (prosody.speed)");

  /** Volume change in dB, -20..20 ({@code prosody.volume}). */
  public static final SynthesisOption<Double> VOLUME =
      SynthesisOption.doubleRange(
          PROVIDER, "volume", -20.0, 20.0, "volume change in dB (prosody.volume)");

  /** Sampling temperature, 0..1 ({@code temperature}). */
  public static final SynthesisOption<Double> TEMPERATURE =
      SynthesisOption.doubleRange(PROVIDER, "temperature", 0.0, 1.0, "sampling temperature");

  /** Nucleus sampling, 0..1 ({@code top_p}). */
  public static final SynthesisOption<Double> TOP_P =
      SynthesisOption.doubleRange(PROVIDER, "top-p", 0.0, 1.0, "nucleus sampling (top_p)");

  /** Whether the server normalizes text (numbers, dates) before synthesis ({@code normalize}). */
  public static final SynthesisOption<Boolean> NORMALIZE =
      SynthesisOption.of(PROVIDER, "normalize", Boolean.class, "text normalization (normalize)");

  /** MP3 bitrate in kbps: 64, 128 or 192 ({@code mp3_bitrate}); used only with MP3 output. */
  public static final SynthesisOption<Integer> MP3_BITRATE =
      SynthesisOption.checked(
          PROVIDER,
          "mp3-bitrate",
          Integer.class,
          "MP3 bitrate in kbps (mp3_bitrate)",
          v -> List.of(64, 128, 192).contains(v) ? null : "must be one of [64, 128, 192] kbps");

  /**
   * Opus bitrate in bits per second: -1000 (automatic), 24000, 32000, 48000 or 64000 ({@code
   * opus_bitrate}); used only with Opus output.
   */
  public static final SynthesisOption<Integer> OPUS_BITRATE =
      SynthesisOption.checked(
          PROVIDER,
          "opus-bitrate",
          Integer.class,
          "Opus bitrate in bps, -1000 = auto (opus_bitrate)",
          v ->
              List.of(-1000, 24000, 32000, 48000, 64000).contains(v)
                  ? null
                  : "must be one of [-1000, 24000, 32000, 48000, 64000] bps");

  /**
   * The transport: {@link #WEBSOCKET} ({@code websocket}, the default: server-side text buffering,
   * pooled sockets) or {@link #HTTP} ({@code http}: one {@code POST /v1/tts} per sentence, run one
   * after another). Overrides the configured {@code voicebridge.fish.transport}.
   */
  public static final SynthesisOption<String> TRANSPORT =
      SynthesisOption.oneOf(PROVIDER, "transport", "websocket or http", WEBSOCKET, HTTP);

  /** HTTP request unit: one request per sentence from the segmenter (the default). */
  public static final String PER_SENTENCE = "sentence";

  /** HTTP request unit: one request per flush (and one for the rest at finish). */
  public static final String PER_FLUSH = "flush";

  /**
   * What one HTTP request carries when {@link #TRANSPORT} is {@code http}: {@code sentence} (the
   * default; each segment of the sentence segmenter is a request as soon as it is complete, for the
   * lowest latency on token input) or {@code flush} (all text up to a flush, or up to finish, in
   * one request: one server session per turn, better prosody across sentences, later first audio).
   * Ignored on the WebSocket, where the server buffers text itself.
   */
  public static final SynthesisOption<String> HTTP_REQUEST_UNIT =
      SynthesisOption.oneOf(
          PROVIDER, "http-request-unit", "sentence or flush", PER_SENTENCE, PER_FLUSH);

  /** {@return every key, for listings} */
  public static List<SynthesisOption<?>> all() {
    return List.of(
        REFERENCE_ID,
        LATENCY,
        CHUNK_LENGTH,
        MIN_CHUNK_LENGTH,
        SPEED,
        VOLUME,
        TEMPERATURE,
        TOP_P,
        NORMALIZE,
        MP3_BITRATE,
        OPUS_BITRATE,
        TRANSPORT,
        HTTP_REQUEST_UNIT);
  }
}
