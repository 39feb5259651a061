package dev.voicebridge.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.deepgram.DeepgramEmulator;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sample of docs/providers/deepgram.md, run against the Deepgram emulator. */
class DeepgramSamplesTest {

  @Test
  void telephonyTurnsOverTheWebSocket() throws Exception {
    String apiKey = "dg-sample-key-0042";
    try (DeepgramEmulator emulator =
        DeepgramEmulator.start(EmulatorConfig.builder().apiKey(apiKey).build())) {
      String baseUrl = emulator.baseUrl().toString();
      RecordingSubscriber player = new RecordingSubscriber();
      // tag::telephony[]
      StreamingSynthesizer synth =
          StreamingSynthesizers.create(
              "deepgram",
              VoicebridgeConfig.of(
                  Map.of(
                      "voicebridge.deepgram.api-key", apiKey, // or DEEPGRAM_API_KEY
                      "voicebridge.deepgram.base-url", baseUrl))); // default api.deepgram.com
      SynthesisSession session =
          synth.open(
              SynthesisOptions.builder()
                  .format(AudioFormat.mulaw(8_000)) // encoding=mulaw&sample_rate=8000
                  .voice("aura-2-andromeda-en") // the model
                  .set(DeepgramOptions.MIP_OPT_OUT, true)
                  .build());
      session.events().subscribe(player);
      session.sendText("Your table is booked ");
      session.sendText("for seven tonight.");
      session.flush(); // a Flush: this turn's audio, then its Flushed
      session.sendText(" Anything else?");
      session.finish(); // the last Flush; Close once every Flushed has come
      SynthesisReport report = session.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
      String requestId = report.attributes().get("request-id"); // from Deepgram's Metadata
      // end::telephony[]
      synth.close();

      assertThat(player.awaitTerminal(Duration.ofSeconds(10))).isTrue();
      assertThat(player.completed()).isTrue();
      assertThat(player.audio()).isNotEmpty();
      assertThat(requestId).isEqualTo(emulator.control().sessionNotes().get(0).get("request_id"));
      assertThat(report.attributes()).containsEntry("flushes", "2");
      // the server records the Close when it reads it, which may be just after the completion
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> emulator.control().lastSession().finished());
      ServerRecord r = emulator.control().lastSession();
      assertThat(r.text()).isEqualTo("Your table is booked for seven tonight. Anything else?");
      assertThat(r.flushes()).isEqualTo(2);
      assertThat(emulator.control().sessionNotes().get(0))
          .containsEntry("model", "aura-2-andromeda-en")
          .containsEntry("encoding", "mulaw");
    }
  }
}
