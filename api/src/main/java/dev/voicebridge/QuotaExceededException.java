package dev.voicebridge;

/**
 * The account has no credit or quota left (Fish 402, ElevenLabs `quota_exceeded`). Not retryable.
 */
public class QuotaExceededException extends ProviderException {
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
  public QuotaExceededException(
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
  public QuotaExceededException(String provider, int status, String vendorCode, String message) {
    this(provider, status, vendorCode, message, null);
  }
}
