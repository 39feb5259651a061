package dev.voicebridge.spring.boot;

import dev.voicebridge.StreamingSynthesizer;

/**
 * Wraps each provider's synthesizer that {@link VoicebridgeSynthesizers} creates, before it is
 * observed: the phrase cache ({@link VoicebridgeCacheConfiguration}). A type of its own, free of
 * the cache's classes, so that the auto-configuration can ask for it when the cache is not on the
 * class path.
 */
@FunctionalInterface
interface SynthesizerWrapper {
  /** Wraps nothing. */
  SynthesizerWrapper NONE = (name, vendor) -> vendor;

  /**
   * {@return {@code vendor}, wrapped}
   *
   * @param name the synthesizer's name: {@value VoicebridgeSynthesizers#DEFAULT}, a key of {@code
   *     voicebridge.synthesizers}, or a provider's name in {@code voicebridge.fallback.chain}
   * @param vendor the provider's synthesizer
   */
  StreamingSynthesizer wrap(String name, StreamingSynthesizer vendor);
}
