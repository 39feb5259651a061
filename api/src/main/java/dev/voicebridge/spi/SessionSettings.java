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
 * @param redactor masks the provider's secrets in every exception message, warning and report
 *     attribute of the session (a server may echo a key back)
 * @param audioBudget how much audio the session may receive for its text (the runaway guard)
 */
public record SessionSettings(
    Ticker ticker,
    Duration responseTimeout,
    int prefetchEvents,
    long maxBufferedBytes,
    long maxTextChars,
    Redactor redactor,
    AudioBudget audioBudget) {

  /** Default response timeout. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(20);

  /**
   * How much audio a session may receive for the text it sent: {@code floor + perCharacter *
   * characters}, beyond which the server is taken to be runaway (streaming forever) and the session
   * ends with a {@link dev.voicebridge.ProtocolException}. For compressed formats the duration is
   * estimated generously (at 16 kbit/s). {@link #unbounded()} turns the guard off, for providers
   * whose output is not bound to their text.
   *
   * @param floor audio allowed whatever the text
   * @param perCharacter audio allowed per character of text sent; zero turns the guard off
   */
  public record AudioBudget(Duration floor, Duration perCharacter) {
    /**
     * Compact constructor: validates.
     *
     * @param floor the floor
     * @param perCharacter the per character
     */
    public AudioBudget {
      Objects.requireNonNull(floor, "floor");
      Objects.requireNonNull(perCharacter, "perCharacter");
      if (floor.isNegative() || perCharacter.isNegative()) {
        throw new IllegalArgumentException("an audio budget is not negative");
      }
    }

    /** {@return no limit} */
    public static AudioBudget unbounded() {
      return new AudioBudget(Duration.ZERO, Duration.ZERO);
    }

    /** {@return whether the guard is on} */
    public boolean isBounded() {
      return !perCharacter.isZero();
    }

    /**
     * {@return the audio allowed for {@code characters} of text}
     *
     * @param characters the characters
     */
    public Duration allowance(long characters) {
      return floor.plus(perCharacter.multipliedBy(Math.max(0, characters)));
    }
  }

  /**
   * Compact constructor: validates.
   *
   * @param ticker the clock
   * @param responseTimeout the response timeout
   * @param prefetchEvents the prefetch events
   * @param maxBufferedBytes the max buffered bytes
   * @param maxTextChars the max text chars
   * @param redactor the redactor
   * @param audioBudget the audio budget
   */
  public SessionSettings {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(redactor, "redactor");
    Objects.requireNonNull(audioBudget, "audioBudget");
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
   * Defaults: system clock, 20 s response timeout, 32 events, the {@link Limits} defaults (64 MiB
   * of undelivered audio, 100,000 characters between flushes, an audio budget of 60 s plus 1 s per
   * character), no secrets to redact.
   *
   * @return the default settings
   */
  public static SessionSettings defaults() {
    return new SessionSettings(
        Ticker.system(),
        DEFAULT_RESPONSE_TIMEOUT,
        32,
        Limits.DEFAULT_MAX_BUFFERED_AUDIO_BYTES,
        Limits.DEFAULT_MAX_TEXT_CHARS,
        Redactor.none(),
        new AudioBudget(Limits.DEFAULT_AUDIO_BUDGET_FLOOR, Limits.DEFAULT_AUDIO_PER_CHAR));
  }

  /**
   * {@return a copy with another clock}
   *
   * @param t the clock
   */
  public SessionSettings withTicker(Ticker t) {
    return new SessionSettings(
        t, responseTimeout, prefetchEvents, maxBufferedBytes, maxTextChars, redactor, audioBudget);
  }

  /**
   * {@return a copy with another response timeout}
   *
   * @param d the timeout
   */
  public SessionSettings withResponseTimeout(Duration d) {
    return new SessionSettings(
        ticker, d, prefetchEvents, maxBufferedBytes, maxTextChars, redactor, audioBudget);
  }

  /**
   * {@return a copy with another limit of undelivered audio}
   *
   * @param bytes the limit, in bytes
   */
  public SessionSettings withMaxBufferedBytes(long bytes) {
    return new SessionSettings(
        ticker, responseTimeout, prefetchEvents, bytes, maxTextChars, redactor, audioBudget);
  }

  /**
   * {@return a copy with another limit of characters between flushes}
   *
   * @param chars the limit, in characters
   */
  public SessionSettings withMaxTextChars(long chars) {
    return new SessionSettings(
        ticker, responseTimeout, prefetchEvents, maxBufferedBytes, chars, redactor, audioBudget);
  }

  /**
   * {@return a copy that masks {@code r}'s secrets in everything a session reports}
   *
   * @param r the redactor
   */
  public SessionSettings withRedactor(Redactor r) {
    return new SessionSettings(
        ticker, responseTimeout, prefetchEvents, maxBufferedBytes, maxTextChars, r, audioBudget);
  }

  /**
   * {@return a copy with another audio budget ({@link AudioBudget#unbounded()} turns the guard
   * off)}
   *
   * @param b the byte
   */
  public SessionSettings withAudioBudget(AudioBudget b) {
    return new SessionSettings(
        ticker, responseTimeout, prefetchEvents, maxBufferedBytes, maxTextChars, redactor, b);
  }
}
