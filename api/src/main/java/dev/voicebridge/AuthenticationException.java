package dev.voicebridge;

/** The API key is missing, wrong or revoked (HTTP 401). Not retryable. */
public class AuthenticationException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /** See {@link ProviderException#ProviderException(String, int, String, String, Throwable)}. */
  public AuthenticationException(
      String provider, int status, String vendorCode, String message, Throwable cause) {
    super(provider, status, vendorCode, message, cause);
  }

  /** Same, without a cause. */
  public AuthenticationException(String provider, int status, String vendorCode, String message) {
    this(provider, status, vendorCode, message, null);
  }
}
