package dev.voicebridge;

/**
 * The connection failed: it could not be opened, it was reset, or it closed before the vendor's
 * completion frame. Retryable.
 */
public class TransportException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param provider the provider's name
   * @param message what went wrong, without secrets
   * @param cause the underlying error, or null
   */
  public TransportException(String provider, String message, Throwable cause) {
    super(provider, message, cause);
  }

  /**
   * Same, without a cause.
   *
   * @param provider the provider's name
   * @param message what went wrong, without secrets
   */
  public TransportException(String provider, String message) {
    this(provider, message, null);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
