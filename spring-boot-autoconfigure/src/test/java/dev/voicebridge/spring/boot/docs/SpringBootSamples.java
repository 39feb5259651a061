package dev.voicebridge.spring.boot.docs;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisStream;
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
}
