package dev.voicebridge.spi;

import java.time.Duration;
import java.util.List;

/**
 * The configuration keys of the limits every network provider accepts, with safe defaults, so that
 * neither a hostile server nor a runaway caller can exhaust memory. A provider lists {@link
 * #keys()} among its {@link StreamingSynthesizerProvider#configKeys()}, passes the resolved values
 * to {@link #apply(ProviderConfig, SessionSettings)}, and enforces {@link #MAX_FRAME_BYTES} where
 * it reads server messages.
 *
 * <ul>
 *   <li>{@code max-frame-bytes}: the largest server message a transport accepts (a WebSocket
 *       message, an SSE event, an NDJSON line); a larger one ends the session with a {@link
 *       dev.voicebridge.ProtocolException} before it is buffered whole.
 *   <li>{@code max-buffered-audio-bytes}: undelivered audio a session holds when the server ignores
 *       back pressure; beyond it the session ends with a {@link dev.voicebridge.ProtocolException}.
 *   <li>{@code max-text-chars}: characters of text between two flushes (the text of one request);
 *       beyond it the session ends with a {@link dev.voicebridge.LimitExceededException}.
 *   <li>{@code max-audio-per-char} and {@code max-audio-floor}: the audio a session may receive,
 *       {@code floor + per-char * characters sent}; a server that streams audio without end (or
 *       trickles it) passes it and the session ends with a {@link
 *       dev.voicebridge.ProtocolException}.
 * </ul>
 */
public final class Limits {
  /** Default of {@code max-frame-bytes}: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;

  /** Default of {@code max-buffered-audio-bytes}: 64 MiB. */
  public static final int DEFAULT_MAX_BUFFERED_AUDIO_BYTES = 64 << 20;

  /** Default of {@code max-text-chars}: 100,000 characters. */
  public static final int DEFAULT_MAX_TEXT_CHARS = 100_000;

  /** Default of {@code max-audio-per-char}: one second of audio per character of text. */
  public static final Duration DEFAULT_AUDIO_PER_CHAR = Duration.ofSeconds(1);

  /** Default of {@code max-audio-floor}: 60 seconds of audio whatever the text. */
  public static final Duration DEFAULT_AUDIO_BUDGET_FLOOR = Duration.ofSeconds(60);

  /** The largest server message accepted, in bytes. */
  public static final ConfigKey<Integer> MAX_FRAME_BYTES =
      ConfigKey.integer(
              "max-frame-bytes",
              "largest server message (WebSocket message, SSE event, NDJSON line) accepted, in bytes;"
                  + " a larger one ends the session with a ProtocolException")
          .withRange(1024, 256 << 20)
          .withDefault(DEFAULT_MAX_FRAME_BYTES);

  /** Undelivered audio a session may hold, in bytes. */
  public static final ConfigKey<Integer> MAX_BUFFERED_AUDIO_BYTES =
      ConfigKey.integer(
              "max-buffered-audio-bytes",
              "undelivered audio a session may hold when the server ignores back pressure, in bytes;"
                  + " more ends the session with a ProtocolException")
          .withRange(64 << 10, 1 << 30)
          .withDefault(DEFAULT_MAX_BUFFERED_AUDIO_BYTES);

  /** Characters of text between two flushes. */
  public static final ConfigKey<Integer> MAX_TEXT_CHARS =
      ConfigKey.integer(
              "max-text-chars",
              "characters of text between two flushes (one request's text); more ends the session"
                  + " with a LimitExceededException")
          .withRange(1, 100_000_000)
          .withDefault(DEFAULT_MAX_TEXT_CHARS);

  /** Audio a session may receive per character of its text (the runaway-audio guard). */
  public static final ConfigKey<Duration> MAX_AUDIO_PER_CHAR =
      ConfigKey.duration(
              "max-audio-per-char",
              "audio a session may receive per character of text, on top of max-audio-floor; more"
                  + " (a server streaming without end) ends the session with a ProtocolException;"
                  + " 0s turns the guard off")
          .withCheck(d -> d.isNegative() ? "must not be negative" : null)
          .withDefault(DEFAULT_AUDIO_PER_CHAR);

  /** Audio a session may receive whatever its text. */
  public static final ConfigKey<Duration> MAX_AUDIO_FLOOR =
      ConfigKey.duration(
              "max-audio-floor",
              "audio a session may receive whatever its text (see max-audio-per-char)")
          .withCheck(d -> d.isNegative() ? "must not be negative" : null)
          .withDefault(DEFAULT_AUDIO_BUDGET_FLOOR);

  private Limits() {}

  /** {@return the keys, in documentation order} */
  public static List<ConfigKey<?>> keys() {
    return List.of(
        MAX_FRAME_BYTES,
        MAX_BUFFERED_AUDIO_BYTES,
        MAX_TEXT_CHARS,
        MAX_AUDIO_PER_CHAR,
        MAX_AUDIO_FLOOR);
  }

  /**
   * {@return {@code settings} with the session-level limits of {@code config} ({@code
   * max-buffered-audio-bytes}, {@code max-text-chars}, the audio budget) and a {@link Redactor} of
   * every secret {@code config} holds; {@code config} must have been resolved with {@link #keys()}}
   *
   * @param config the configuration
   * @param settings the session settings
   */
  public static SessionSettings apply(ProviderConfig config, SessionSettings settings) {
    return settings
        .withMaxBufferedBytes(config.get(MAX_BUFFERED_AUDIO_BYTES))
        .withMaxTextChars(config.get(MAX_TEXT_CHARS))
        .withAudioBudget(
            new SessionSettings.AudioBudget(
                config.get(MAX_AUDIO_FLOOR), config.get(MAX_AUDIO_PER_CHAR)))
        .withRedactor(Redactor.of(config.secrets()));
  }
}
