package dev.voicebridge.deepgram;

import dev.voicebridge.SynthesisOption;
import dev.voicebridge.kit.Transports;
import java.util.List;

/**
 * Typed Deepgram options for {@link dev.voicebridge.SynthesisOptions.Builder#set}. Each value is
 * checked when it is set (an out-of-range value throws {@link IllegalArgumentException} naming the
 * key and the range), and again against the session's format and transport when the session opens,
 * so nothing invalid reaches the network.
 *
 * <p>The voice is the Deepgram model ({@code aura-2-thalia-en}): {@link
 * dev.voicebridge.SynthesisOptions#voice()} or {@link dev.voicebridge.SynthesisOptions#model()}
 * names it, else the configured {@code voicebridge.deepgram.model}. The audio format ({@link
 * dev.voicebridge.SynthesisOptions#format()}) decides {@code encoding}, {@code sample_rate} and
 * {@code container}; there is no second way to set them.
 *
 * <pre>{@code
 * SynthesisOptions options = SynthesisOptions.builder()
 *     .format(AudioFormat.mulaw(8_000))
 *     .voice("aura-2-andromeda-en")
 *     .set(DeepgramOptions.SPEED, 1.1)
 *     .set(DeepgramOptions.MIP_OPT_OUT, true)
 *     .build();
 * }</pre>
 */
public final class DeepgramOptions {
  private DeepgramOptions() {}

  /** The provider name these keys belong to. */
  public static final String PROVIDER = "deepgram";

  /** The transport value for the speak WebSocket {@code /v1/speak} (the default). */
  public static final String WEBSOCKET = Transports.WEBSOCKET;

  /** The transport value for REST {@code POST /v1/speak}, one request per sentence. */
  public static final String HTTP = Transports.HTTP;

  /**
   * The transport: {@link #WEBSOCKET} ({@code websocket}, the default: the server buffers text
   * until a flush; one socket per session) or {@link #HTTP} ({@code http}: one {@code POST
   * /v1/speak} per sentence, two in flight). Overrides the configured {@code
   * voicebridge.deepgram.transport}.
   */
  public static final SynthesisOption<String> TRANSPORT =
      SynthesisOption.oneOf(PROVIDER, "transport", "websocket or http", WEBSOCKET, HTTP);

  /**
   * Speaking rate, 0.7..1.5 ({@code speed}; documented for Aura-2 English and Spanish voices).
   * Takes precedence over {@link dev.voicebridge.SynthesisOptions#speed()}.
   */
  public static final SynthesisOption<Double> SPEED =
      SynthesisOption.doubleRange(PROVIDER, "speed", 0.7, 1.5, "speaking rate (speed)");

  /** Opts out of the Deepgram Model Improvement Program ({@code mip_opt_out}). */
  public static final SynthesisOption<Boolean> MIP_OPT_OUT =
      SynthesisOption.of(
          PROVIDER, "mip-opt-out", Boolean.class, "opt out of model improvement (mip_opt_out)");

  /**
   * Bit rate of compressed REST output in bits per second ({@code bit_rate}): MP3 32000 or 48000
   * (the default), Opus 4000..650000 (default 12000). Only with {@link #HTTP} and MP3 or Opus.
   */
  public static final SynthesisOption<Integer> BIT_RATE =
      SynthesisOption.intRange(
          PROVIDER, "bit-rate", 4_000, 650_000, "bit rate of mp3 or opus output (bit_rate)");

  /**
   * A label for usage reports ({@code tag}, REST only; at most 128 characters). Ignored with a
   * warning on the WebSocket, which does not take it.
   */
  public static final SynthesisOption<String> TAG =
      SynthesisOption.checked(
          PROVIDER,
          "tag",
          String.class,
          "a usage-report label (tag), REST only",
          v ->
              v.isBlank()
                  ? "must not be blank"
                  : v.length() > 128 ? "must be at most 128 characters" : null);

  /** HTTP request unit: one request per sentence from the segmenter (the default). */
  public static final String PER_SENTENCE = "sentence";

  /** HTTP request unit: one request per flush (and one for the rest at finish). */
  public static final String PER_FLUSH = "flush";

  /**
   * What one REST request carries when {@link #TRANSPORT} is {@code http}: {@code sentence} (the
   * default; each sentence is a request as soon as it is complete) or {@code flush} (all text up to
   * a flush, or up to the finish, in one request of at most 2,000 characters). Ignored on the
   * WebSocket, where the server buffers text itself.
   */
  public static final SynthesisOption<String> HTTP_REQUEST_UNIT =
      SynthesisOption.oneOf(
          PROVIDER, "http-request-unit", "sentence or flush", PER_SENTENCE, PER_FLUSH);

  /** Every key, for listings. */
  public static List<SynthesisOption<?>> all() {
    return List.of(TRANSPORT, SPEED, MIP_OPT_OUT, BIT_RATE, TAG, HTTP_REQUEST_UNIT);
  }
}
