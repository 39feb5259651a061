package dev.voicebridge;

/**
 * The account has no credit or quota left (Fish 402, ElevenLabs `quota_exceeded`). Not retryable.
 */
public class QuotaExceededException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /** See {@link ProviderException#ProviderException(String, int, String, String, Throwable)}. */
  public QuotaExceededException(
      String provider, int status, String vendorCode, String message, Throwable cause) {
    super(provider, status, vendorCode, message, cause);
  }

  /** Same, without a cause. */
  public QuotaExceededException(String provider, int status, String vendorCode, String message) {
    this(provider, status, vendorCode, message, null);
  }
}
