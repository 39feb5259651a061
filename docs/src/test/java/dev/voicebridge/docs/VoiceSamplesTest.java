package dev.voicebridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.Voice;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The samples of docs/voices.md against the ElevenLabs and Fish emulators. */
class VoiceSamplesTest {
  @Test
  void listsTheFrenchVoicesAndSpeaksInOne() throws Exception {
    try (VendorEmulator emulator = Emulators.start("elevenlabs", EmulatorConfig.defaults());
        StreamingSynthesizer tts = Samples.againstEmulator(emulator)) {
      String[] printed = new String[1];
      List<Voice>[] french = new List[1];
      printed[0] = QuickStartTest.capturingStdout(() -> french[0] = VoiceSamples.french(tts));
      assertThat(french[0]).extracting(Voice::name).containsExactly("Amelie", "Louis");
      assertThat(printed[0]).contains("Amelie [fr] female");
      SynthesisSession s = VoiceSamples.speakIn(tts, french[0]);
      s.sendText("Bonjour.");
      s.finish();
      assertThat(s.stream().readAllAudio()).isNotEmpty();
    }
  }

  @Test
  void aPrewarmedSessionReusesTheConnection() throws Exception {
    try (VendorEmulator emulator = Emulators.start("fish", EmulatorConfig.defaults());
        StreamingSynthesizer tts = Samples.againstEmulator(emulator)) {
      SynthesisOptions options = SynthesisOptions.builder().format(AudioFormat.PCM_16K).build();
      tts.prewarm(options).toCompletableFuture().get(10, TimeUnit.SECONDS);
      SynthesisSession s = VoiceSamples.prewarmed(tts, options);
      s.sendText("Ready before it is needed.");
      s.finish();
      s.stream().readAllAudio();
      SynthesisReport r = s.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(r.connectionReused()).isTrue();
    }
  }
}
