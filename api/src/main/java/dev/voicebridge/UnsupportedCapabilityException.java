package dev.voicebridge;

/**
 * The provider cannot do what was asked (a format, an option, a transport), known before any
 * network I/O. Not retryable.
 */
public class UnsupportedCapabilityException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param provider the provider's name
   * @param message what went wrong, without secrets
   */
  public UnsupportedCapabilityException(String provider, String message) {
    super(provider, message);
  }
}
