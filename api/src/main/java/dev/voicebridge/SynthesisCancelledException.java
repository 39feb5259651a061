package dev.voicebridge;

/** The terminal signal of a session the application cancelled. Not retryable. */
public class SynthesisCancelledException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param provider the provider's name
   */
  public SynthesisCancelledException(String provider) {
    super(provider, "synthesis was cancelled");
  }
}
