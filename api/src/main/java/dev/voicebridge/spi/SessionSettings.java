package dev.voicebridge.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How the library runs a session for a provider.
 *
 * @param ticker the clock
 * @param responseTimeout how long the vendor may stay silent while output is owed (after a flush or
 *     {@code finish()}, with the application ready to read) before the session fails with {@link
 *     dev.voicebridge.SynthesisTimeoutException}
 * @param prefetchEvents how many undelivered events may queue before the transport is paused
 * @param maxBufferedBytes undelivered audio beyond which the session fails (a server or backend
 *     that ignores back pressure)
 * @param maxTextChars characters of text between two flushes beyond which the session fails with a
 *     {@link dev.voicebridge.LimitExceededException}
 */
public record SessionSettings(
    Ticker ticker,
    Duration responseTimeout,
    int prefetchEvents,
    long maxBufferedBytes,
    long maxTextChars) {

  /** Default response timeout. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Compact constructor: validates.
   *
   * @param ticker the clock
   * @param responseTimeout how long the vendor may stay silent while output is owed (after a flush
   *     or {@code finish()}, with the application ready to read) before the session fails with
   *     {@link dev.voicebridge.SynthesisTimeoutException}
   * @param prefetchEvents how many undelivered events may queue before the transport is paused
   * @param maxBufferedBytes undelivered audio beyond which the session fails (a server or backend
   *     that ignores back pressure)
   * @param maxTextChars characters of text between two flushes beyond which the session fails with
   *     a {@link dev.voicebridge.LimitExceededException}
   */
  public SessionSettings {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    if (responseTimeout.isNegative() || responseTimeout.isZero()) {
      throw new IllegalArgumentException("responseTimeout must be positive");
    }
    if (prefetchEvents < 1) {
      throw new IllegalArgumentException("prefetchEvents must be at least 1");
    }
    if (maxBufferedBytes < 1) {
      throw new IllegalArgumentException("maxBufferedBytes must be positive");
    }
    if (maxTextChars < 1) {
      throw new IllegalArgumentException("maxTextChars must be positive");
    }
  }

  /**
   * {@return the defaults: system clock, 20 s response timeout, 32 events, the {@link Limits}
   * defaults (64 MiB of undelivered audio, 100,000 characters between flushes)}
   */
  public static SessionSettings defaults() {
    return new SessionSettings(
        Ticker.system(),
        DEFAULT_RESPONSE_TIMEOUT,
        32,
        Limits.DEFAULT_MAX_BUFFERED_AUDIO_BYTES,
        Limits.DEFAULT_MAX_TEXT_CHARS);
  }

  /**
   * {@return a copy with another clock}
   *
   * @param t the clock
   */
  public SessionSettings withTicker(Ticker t) {
    return new SessionSettings(t, responseTimeout, prefetchEvents, maxBufferedBytes, maxTextChars);
  }

  /**
   * {@return a copy with another response timeout}
   *
   * @param d the timeout
   */
  public SessionSettings withResponseTimeout(Duration d) {
    return new SessionSettings(ticker, d, prefetchEvents, maxBufferedBytes, maxTextChars);
  }

  /**
   * {@return a copy with another limit of undelivered audio}
   *
   * @param bytes the limit, in bytes
   */
  public SessionSettings withMaxBufferedBytes(long bytes) {
    return new SessionSettings(ticker, responseTimeout, prefetchEvents, bytes, maxTextChars);
  }

  /**
   * {@return a copy with another limit of characters between flushes}
   *
   * @param chars the limit, in characters
   */
  public SessionSettings withMaxTextChars(long chars) {
    return new SessionSettings(ticker, responseTimeout, prefetchEvents, maxBufferedBytes, chars);
  }
}
