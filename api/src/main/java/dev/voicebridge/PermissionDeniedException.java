package dev.voicebridge;

/**
 * The key is valid but not allowed to do this (HTTP 403): plan, workspace or voice access. Not
 * retryable.
 */
public class PermissionDeniedException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /** See {@link ProviderException#ProviderException(String, int, String, String, Throwable)}. */
  public PermissionDeniedException(
      String provider, int status, String vendorCode, String message, Throwable cause) {
    super(provider, status, vendorCode, message, cause);
  }

  /** Same, without a cause. */
  public PermissionDeniedException(String provider, int status, String vendorCode, String message) {
    this(provider, status, vendorCode, message, null);
  }
}
