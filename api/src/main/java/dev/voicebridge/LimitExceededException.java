package dev.voicebridge;

/**
 * The application went past one of the library's configured limits, for example more text between
 * two flushes than {@code max-text-chars} allows. Not retryable: the same input would fail again;
 * split it, or raise the limit.
 */
public class LimitExceededException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /** The configuration key of the limit. */
  private final String key;

  /** The limit's value. */
  private final long limit;

  /**
   * Creates the exception.
   *
   * @param provider the provider's name, or null
   * @param key the configuration key of the limit, e.g. {@code max-text-chars}
   * @param limit the limit's value
   * @param message what went past it
   */
  public LimitExceededException(String provider, String key, long limit, String message) {
    super(provider, message + " (limit " + key + " = " + limit + ")");
    this.key = key;
    this.limit = limit;
  }

  /** {@return the configuration key of the limit (without the provider prefix)} */
  public String key() {
    return key;
  }

  /** {@return the limit's value} */
  public long limit() {
    return limit;
  }
}
