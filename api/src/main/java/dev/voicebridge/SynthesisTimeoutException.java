package dev.voicebridge;

/** The vendor did not answer within the configured time (connect, first audio, or a stall). */
public class SynthesisTimeoutException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param provider the provider's name
   * @param message what went wrong, without secrets
   */
  public SynthesisTimeoutException(String provider, String message) {
    super(provider, message);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
