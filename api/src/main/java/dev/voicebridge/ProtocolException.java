package dev.voicebridge;

/**
 * The server sent something that breaks its own protocol: a malformed or oversize frame, a frame of
 * the wrong type, bad base64. Not retryable: the same server will likely do it again.
 */
public class ProtocolException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param provider the provider's name
   * @param message what went wrong, without secrets
   * @param cause the underlying error, or null
   */
  public ProtocolException(String provider, String message, Throwable cause) {
    super(provider, message, cause);
  }

  /**
   * Same, without a cause.
   *
   * @param provider the provider's name
   * @param message what went wrong, without secrets
   */
  public ProtocolException(String provider, String message) {
    this(provider, message, null);
  }
}
