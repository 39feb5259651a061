package dev.voicebridge;

/**
 * The connection failed: it could not be opened, it was reset, or it closed before the vendor's
 * completion frame. Retryable.
 */
public class TransportException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public TransportException(String provider, String message, Throwable cause) {
    super(provider, message, cause);
  }

  /** Same, without a cause. */
  public TransportException(String provider, String message) {
    this(provider, message, null);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
