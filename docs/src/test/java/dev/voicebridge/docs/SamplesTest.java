package dev.voicebridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.latency.ComparisonResult;
import dev.voicebridge.latency.RunResult;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docs' samples run and do what their pages say. */
class SamplesTest {
  @TempDir Path dir;

  @Test
  void configurationLayersAFileOverTheStandardSources() throws Exception {
    Files.writeString(
        dir.resolve("voicebridge.properties"),
        "voicebridge.provider=smallest\nvoicebridge.smallest.speed=1.2\n");
    List<VoicebridgeConfig> c = ConfigurationSamples.sources(dir);
    // surefire sets -Dvoicebridge.provider=local: the standard sources see it, the file wins over
    // it
    assertThat(c.get(0).get("voicebridge.provider")).contains("local");
    assertThat(c.get(1).get("voicebridge.provider")).contains("fish");
    assertThat(c.get(2).get("voicebridge.provider")).contains("smallest");
    assertThat(c.get(2).get("voicebridge.smallest.speed")).contains("1.2");
  }

  @Test
  void theElevenLabsEmulatorSampleInjectsAQuotaError() throws Exception {
    ServerRecord[] record = new ServerRecord[1];
    String printed = QuickStartTest.capturingStdout(() -> record[0] = EmulatorSamples.elevenLabs());
    assertThat(printed).contains("as injected: ");
    assertThat(record[0].text().strip()).isEqualTo("Two chunks, then the quota runs out.");
    assertThat(record[0].audioFramesSent()).isEqualTo(2);
    assertThat(record[0].completed()).isFalse();
  }

  @Test
  void theElevenLabsEmulatorTakesOptions() {
    assertThat(EmulatorSamples.elevenLabsWithOptions(EmulatorConfig.defaults())).isEqualTo(5);
  }

  @Test
  void theSmallestEmulatorSampleInjectsAServerError() throws Exception {
    ServerRecord[] record = new ServerRecord[1];
    String printed = QuickStartTest.capturingStdout(() -> record[0] = EmulatorSamples.smallest());
    assertThat(printed)
        .contains("Smallest emulator at http://127.0.0.1:")
        .contains("as injected: ");
    assertThat(record[0].text()).isEqualTo("Two chunks, then a server error.");
    assertThat(record[0].audioFramesSent()).isEqualTo(2);
  }

  @Test
  void theFailoverChainSpeaksOnFishWhenSmallestRefuses() throws Exception {
    try (VendorEmulator smallest = Emulators.start("smallest", EmulatorConfig.defaults());
        VendorEmulator fish = Emulators.start("fish", EmulatorConfig.defaults());
        StreamingSynthesizer tts = FailoverSamples.chain(Samples.config(List.of(smallest, fish)))) {
      smallest.control().inject(new Fault.HandshakeStatus(503, null));
      smallest.control().inject(new Fault.HandshakeStatus(503, null));
      SynthesisSession session = FailoverSamples.open(tts);
      session.sendText("Spoken by the second vendor.");
      session.finish();
      byte[] audio = session.stream().readAllAudio(); // a session completes once its audio is read
      SynthesisReport report = session.completion().toCompletableFuture().get();
      assertThat(audio).hasSize((int) report.bytesReceived());
      assertThat(report.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
      assertThat(report.bytesReceived()).isPositive();
      assertThat(tts.provider()).isEqualTo("fallback(smallest,fish)");
      assertThat(fish.control().lastSession().text()).isEqualTo("Spoken by the second vendor.");
      assertThat(String.join("\n", fish.control().lastSession().frames()))
          .contains("my-fish-voice-id");
    }
  }

  @Test
  void theComparisonSampleWritesBothReports() throws Exception {
    try (VendorEmulator fish = Emulators.start("fish", EmulatorConfig.defaults());
        VendorEmulator elevenlabs = Emulators.start("elevenlabs", EmulatorConfig.defaults())) {
      ComparisonResult r =
          LatencySamples.compare(Samples.config(List.of(fish, elevenlabs)), 1, dir);
      assertThat(r.runs())
          .hasSize(4)
          .allSatisfy(x -> assertThat(x.outcome()).isEqualTo("COMPLETED"));
      assertThat(r.runs()).extracting(RunResult::completionMs).doesNotContainNull();
      assertThat(Files.readString(dir.resolve("report.json"))).contains("\"completion_ms\"");
      assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg");
    }
  }

  @Test
  void theLocalSampleSpeaksTwoSentences() throws Exception {
    LocalSamples.hello(dir);
    // 16 kHz 16-bit mono: well over a second for two sentences
    assertThat(Files.size(dir.resolve("hello.pcm"))).isGreaterThan(32_000);
  }
}
