package dev.voicebridge.spi;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.internal.DefaultSynthesisSession;

/** Builds the library's session around a provider's {@link SessionBackend}. */
public final class SynthesisSessions {
  private SynthesisSessions() {}

  /**
   * Creates a session and starts {@code backend}. If {@link SessionBackend#start} throws, the
   * exception propagates and no session exists.
   *
   * @param provider the provider's name
   * @param format the format of the audio the backend hands over
   * @param settings timeouts, limits and clock
   * @param backend the provider's backend for this session
   * @return the session, started
   */
  public static SynthesisSession open(
      String provider, AudioFormat format, SessionSettings settings, SessionBackend backend) {
    return DefaultSynthesisSession.start(provider, format, settings, backend);
  }
}
