package dev.voicebridge.elevenlabs;

import static dev.voicebridge.elevenlabs.SessionTestSupport.TIMEOUT;
import static dev.voicebridge.elevenlabs.SessionTestSupport.assertCompleted;
import static dev.voicebridge.elevenlabs.SessionTestSupport.awaitError;
import static dev.voicebridge.elevenlabs.SessionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.spi.conformance.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The frame cap ({@code max-frame-bytes}) on the shared {@code multi-stream-input} socket and on
 * {@code stream-input}, against the emulator: a normal audio frame is larger than the smallest cap.
 */
class MultiSocketTest {
  private EmulatorFixture fixture;

  private void start(String transport, String maxFrameBytes) {
    fixture =
        new EmulatorFixture(
            ElevenLabsEmulator.Options.builder().maxContexts(5).build(),
            Map.of(
                "voicebridge.elevenlabs.transport",
                transport,
                "voicebridge.elevenlabs.max-frame-bytes",
                maxFrameBytes),
            SynthesisOptions.builder().format(AudioFormat.PCM_24K).build());
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static void assertFrameCapError(Throwable t) {
    assertThat(t)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("max-frame-bytes (1024)");
    assertThat(((ProtocolException) t).isRetryable()).isFalse();
  }

  private void awaitNoOpenConnection() {
    Awaitility.await("the socket is closed")
        .atMost(TIMEOUT)
        .until(() -> fixture.emulator.control().openConnections() == 0);
  }

  @Test
  void anOversizeFrameEndsEveryContextOfTheSocket() throws Exception {
    start("multi-context", "1024");
    List<RecordingSubscriber> recs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      SynthesisSession s = fixture.synthesizer().open(fixture.options());
      recs.add(subscribe(s));
      s.sendText("Context number " + i + " says something long enough for a frame.");
      s.finish();
    }
    for (RecordingSubscriber rec : recs) {
      assertFrameCapError(awaitError(rec));
      assertThat(rec.hasAudio()).isFalse();
      assertThat(rec.terminalSignals()).isEqualTo(1);
    }
    assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(1);
    awaitNoOpenConnection();
  }

  @Test
  void anOversizeFrameEndsAStreamInputSession() throws Exception {
    start("websocket", "1024");
    SynthesisSession s = fixture.synthesizer().open(fixture.options());
    RecordingSubscriber rec = subscribe(s);
    s.sendText("A single session says something long enough for a frame.");
    s.finish();
    assertFrameCapError(awaitError(rec));
    assertThat(rec.hasAudio()).isFalse();
    awaitNoOpenConnection();
  }

  @Test
  void theDefaultCapLetsTheSameFramesThrough() throws Exception {
    start("multi-context", String.valueOf(16 << 20));
    SynthesisSession s = fixture.synthesizer().open(fixture.options());
    RecordingSubscriber rec = subscribe(s);
    s.sendText("Context number one says something long enough for a frame.");
    s.finish();
    assertCompleted(rec);
    assertThat(rec.hasAudio()).isTrue();
  }

  @Test
  void aSocketThatStallsAfterACancelIsDroppedAndTheNextSessionMovesToAFreshOne() throws Exception {
    start("multi-context", String.valueOf(16 << 20));
    fixture.emulator.control().inject(new Fault.Stall(0)); // the first socket never answers
    SynthesisSession first = fixture.synthesizer().open(fixture.options());
    RecordingSubscriber firstRec = subscribe(first);
    first.sendText("Nobody will hear this sentence.");
    first.flush();
    Awaitility.await("the server has the text")
        .atMost(TIMEOUT)
        .until(
            () ->
                fixture.emulator.control().sessions().stream()
                    .anyMatch(r -> r.text().contains("Nobody")));
    first.cancel();
    assertThat(firstRec.awaitTerminal(TIMEOUT)).isTrue();
    // placed on the stalled socket (it is open and has room); without the watchdog it would wait
    // there until its response timeout
    SynthesisSession next = fixture.synthesizer().open(fixture.options());
    RecordingSubscriber rec = subscribe(next);
    next.sendText("The next session works.");
    next.finish();
    assertCompleted(rec);
    assertThat(rec.hasAudio()).isTrue();
    assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(2);
  }
}
