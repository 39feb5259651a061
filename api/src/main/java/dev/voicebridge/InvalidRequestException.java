package dev.voicebridge;

/**
 * The vendor refused the request as invalid (400, 404 for an unknown voice or model, 422
 * validation). Not retryable.
 */
public class InvalidRequestException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ProviderException#ProviderException(String, int, String, String, Throwable)}.
   *
   * @param provider the provider's name
   * @param status the HTTP status or WebSocket close code the vendor sent, or -1
   * @param vendorCode the vendor's own error code (for example {@code quota_exceeded}), or null
   * @param message what went wrong, without secrets
   * @param cause the underlying error, or null
   */
  public InvalidRequestException(
      String provider, int status, String vendorCode, String message, Throwable cause) {
    super(provider, status, vendorCode, message, cause);
  }

  /**
   * Same, without a cause.
   *
   * @param provider the provider's name
   * @param status the HTTP status or WebSocket close code the vendor sent, or -1
   * @param vendorCode the vendor's own error code (for example {@code quota_exceeded}), or null
   * @param message what went wrong, without secrets
   */
  public InvalidRequestException(String provider, int status, String vendorCode, String message) {
    this(provider, status, vendorCode, message, null);
  }
}
