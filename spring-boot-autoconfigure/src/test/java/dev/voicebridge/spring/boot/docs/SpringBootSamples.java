package dev.voicebridge.spring.boot.docs;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.cache.PhraseCache;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/** The code samples of docs/spring-boot.md, compiled (DocsSamplesTest). */
final class SpringBootSamples {
  private SpringBootSamples() {}

  // tag::inject[]
  @Service
  public static class Announcer {
    private final StreamingSynthesizer tts; // the default: voicebridge.provider or the chain
    private final StreamingSynthesizer backup; // voicebridge.synthesizers.backup

    public Announcer(StreamingSynthesizer tts, @Qualifier("backup") StreamingSynthesizer backup) {
      this.tts = tts;
      this.backup = backup;
    }

    public byte[] announce(String text) {
      try (SynthesisStream s = tts.synthesize(text)) {
        return s.readAllAudio();
      }
    }
  }

  // end::inject[]

  // tag::cache[]
  @Service
  public static class Greeter {
    static final String GREETING = "Hello! How can I help you today?"; // in voicebridge.cache.warm
    private final StreamingSynthesizer tts; // behind the phrase cache
    private final PhraseCache phrases; // shared by every synthesizer

    public Greeter(StreamingSynthesizer tts, PhraseCache phrases) {
      this.tts = tts;
      this.phrases = phrases;
    }

    public byte[] greet() {
      try (SynthesisStream s = tts.synthesize(GREETING)) {
        return s.readAllAudio(); // spoken at start-up: replayed at once, no vendor call
      }
    }

    public double hitRate() {
      return phrases.stats().hitRate(); // the warm-up was a miss, each greeting a hit
    }
  }
  // end::cache[]
}
