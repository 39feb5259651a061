package dev.voicebridge;

/** The vendor failed or is overloaded (5xx, 503, a generic server error frame). Retryable. */
public class ProviderUnavailableException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /** See {@link ProviderException#ProviderException(String, int, String, String, Throwable)}. */
  public ProviderUnavailableException(
      String provider, int status, String vendorCode, String message, Throwable cause) {
    super(provider, status, vendorCode, message, cause);
  }

  /** Same, without a cause. */
  public ProviderUnavailableException(
      String provider, int status, String vendorCode, String message) {
    this(provider, status, vendorCode, message, null);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
