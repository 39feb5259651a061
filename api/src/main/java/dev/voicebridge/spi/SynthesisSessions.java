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
   */
  public static SynthesisSession open(
      String provider, AudioFormat format, SessionSettings settings, SessionBackend backend) {
    return DefaultSynthesisSession.start(provider, format, settings, backend);
  }
}
