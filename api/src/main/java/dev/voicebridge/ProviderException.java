package dev.voicebridge;

/**
 * The vendor answered with an error: an HTTP status, a handshake refusal or an error frame. Carries
 * the vendor's status and code where it gave them.
 */
public class ProviderException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status or close code, or -1. */
  private final int status;

  /** The vendor's error code, or null. */
  private final String vendorCode;

  /**
   * Creates the exception.
   *
   * @param provider the provider
   * @param status the HTTP status or WebSocket close code, or -1
   * @param vendorCode the vendor's own error code (for example {@code quota_exceeded}), or null
   * @param message the vendor's message, prefixed with what the library was doing
   * @param cause the cause, or null
   */
  public ProviderException(
      String provider, int status, String vendorCode, String message, Throwable cause) {
    super(provider, message, cause);
    this.status = status;
    this.vendorCode = vendorCode;
  }

  /** {@return the HTTP status or close code the vendor sent, or -1} */
  public int status() {
    return status;
  }

  /** {@return the vendor's own error code, or null} */
  public String vendorCode() {
    return vendorCode;
  }
}
