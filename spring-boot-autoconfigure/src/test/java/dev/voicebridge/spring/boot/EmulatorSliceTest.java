package dev.voicebridge.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spring.boot.test.AutoConfigureVoicebridgeEmulator;
import dev.voicebridge.spring.boot.test.VoicebridgeEmulators;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

/** An application's own test, offline against the emulators, with a vendor fault injected. */
// tag::emulator-test[]
@SpringBootTest(classes = EmulatorSliceTest.App.class)
@AutoConfigureVoicebridgeEmulator(provider = "fish")
class EmulatorSliceTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @Autowired StreamingSynthesizer tts;
  @Autowired VoicebridgeEmulators emulators;

  @BeforeEach
  void reset() {
    emulators.reset();
  }

  @Test
  void theApplicationSpeaksThroughTheEmulator() {
    try (SynthesisStream s = tts.synthesize("Offline in a Spring test.")) {
      assertThat(s.readAllAudio()).isNotEmpty();
    }
    assertThat(tts.provider()).isEqualTo("fish");
    assertThat(emulators.baseUrl("fish").getHost()).isEqualTo("127.0.0.1");
    assertThat(emulators.control("fish").lastSession().text())
        .isEqualTo("Offline in a Spring test.");
  }

  @Test
  void aTestInjectsAVendorFault() {
    emulators.inject("fish", new Fault.HandshakeStatus(503, null));
    assertThatThrownBy(() -> tts.synthesize("Down.").readAllAudio())
        .isInstanceOf(ProviderUnavailableException.class);
  }
}
// end::emulator-test[]
