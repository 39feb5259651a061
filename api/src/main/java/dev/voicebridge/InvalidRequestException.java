package dev.voicebridge;

/**
 * The vendor refused the request as invalid (400, 404 for an unknown voice or model, 422
 * validation). Not retryable.
 */
public class InvalidRequestException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /** See {@link ProviderException#ProviderException(String, int, String, String, Throwable)}. */
  public InvalidRequestException(
      String provider, int status, String vendorCode, String message, Throwable cause) {
    super(provider, status, vendorCode, message, cause);
  }

  /** Same, without a cause. */
  public InvalidRequestException(String provider, int status, String vendorCode, String message) {
    this(provider, status, vendorCode, message, null);
  }
}
