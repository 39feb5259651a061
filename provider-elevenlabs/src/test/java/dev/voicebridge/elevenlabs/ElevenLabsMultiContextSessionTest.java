package dev.voicebridge.elevenlabs;

import static dev.voicebridge.elevenlabs.SessionTestSupport.TIMEOUT;
import static dev.voicebridge.elevenlabs.SessionTestSupport.assertCompleted;
import static dev.voicebridge.elevenlabs.SessionTestSupport.json;
import static dev.voicebridge.elevenlabs.SessionTestSupport.squash;
import static dev.voicebridge.elevenlabs.SessionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions as contexts of shared {@code multi-stream-input} sockets, against the emulator. */
class ElevenLabsMultiContextSessionTest {
  private EmulatorFixture fixture;

  private void start() {
    fixture =
        new EmulatorFixture(
            ElevenLabsEmulator.Options.builder().maxContexts(5).build(),
            Map.of("voicebridge.elevenlabs.transport", "multi-context"),
            SynthesisOptions.builder().format(AudioFormat.PCM_24K).build());
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private SynthesisSession open() {
    return fixture.synthesizer().open(fixture.options());
  }

  private ServerRecord recordFor(String text) {
    return fixture.emulator.control().sessions().stream()
        .filter(r -> squash(r.text()).equals(squash(text)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no server record for " + text));
  }

  @Test
  void sevenLiveSessionsShareTwoSocketsAndNeverOpenASixthContext() throws Exception {
    start();
    List<SynthesisSession> sessions = new ArrayList<>();
    List<RecordingSubscriber> recs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      SynthesisSession s = open();
      recs.add(subscribe(s));
      sessions.add(s);
      s.sendText("Context number " + i + " says hello.");
    }
    sessions.forEach(SynthesisSession::finish);
    for (int i = 0; i < 7; i++) {
      assertCompleted(recs.get(i));
      assertThat(recs.get(i).audioSha256())
          .isEqualTo(recordFor("Context number " + i + " says hello.").audioSha256());
    }
    assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(2);
  }

  /**
   * A binary or malformed frame on a reused socket, before the server said anything about the new
   * context, is the server breaking the protocol, not the socket being lost as it was reused: the
   * session fails with a ProtocolException instead of quietly moving to a fresh socket (which hid
   * the fault and failed [F1] once in eight runs).
   */
  @Test
  void aProtocolViolationOnAReusedSocketFailsTheSessionThere() throws Exception {
    start();
    SynthesisSession first = open();
    RecordingSubscriber firstRec = subscribe(first);
    first.sendText("The socket is open.");
    first.finish();
    assertCompleted(firstRec);
    for (Fault f : List.of(new Fault.WrongFrameType(0), new Fault.MalformedFrame(0))) {
      int accepted = fixture.emulator.control().connectionsAccepted();
      fixture.emulator.control().inject(f);
      SynthesisSession s = open();
      RecordingSubscriber rec = subscribe(s);
      s.sendText("This context meets the fault.");
      s.finish();
      assertThat(rec.awaitTerminal(TIMEOUT)).isTrue();
      assertThat(rec.error()).as("%s", f).isInstanceOf(ProtocolException.class);
      assertThat(fixture.emulator.control().peekFault()).as("the fault was used").isNull();
      // the socket is gone: open the next one for the next fault
      SynthesisSession next = open();
      RecordingSubscriber nextRec = subscribe(next);
      next.sendText("A fresh socket.");
      next.finish();
      assertCompleted(nextRec);
      assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(accepted + 1);
    }
  }

  @Test
  void sessionsInARowReuseTheSocket() throws Exception {
    start();
    for (int i = 0; i < 3; i++) {
      SynthesisSession s = open();
      RecordingSubscriber rec = subscribe(s);
      s.sendText("Turn " + i + ".");
      s.finish();
      assertCompleted(rec);
      assertThat(s.report().connectionReused()).isEqualTo(i > 0);
    }
    assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void cancellingOneContextLeavesTheOthersUntouched() throws Exception {
    start();
    SynthesisSession a = open();
    SynthesisSession b = open();
    SynthesisSession c = open();
    RecordingSubscriber ra = subscribe(a);
    RecordingSubscriber rb = subscribe(b);
    RecordingSubscriber rc = subscribe(c);
    a.sendText("Session A keeps talking for a while.");
    b.sendText("Session B gets interrupted by the user, it talks for quite a while.");
    c.sendText("Session C keeps talking too.");
    b.flush();
    assertThat(rb.awaitFirstAudio(TIMEOUT)).isTrue();
    b.cancel();
    assertThat(rb.awaitTerminal(TIMEOUT)).isTrue();
    assertThat(rb.error()).isInstanceOf(SynthesisCancelledException.class);
    a.finish();
    c.finish();
    assertCompleted(ra);
    assertCompleted(rc);
    assertThat(ra.audioSha256())
        .isEqualTo(recordFor("Session A keeps talking for a while.").audioSha256());
    assertThat(rc.audioSha256()).isEqualTo(recordFor("Session C keeps talking too.").audioSha256());
    String bId = b.report().attributes().get("context_id");
    ServerRecord rbServer =
        recordFor("Session B gets interrupted by the user, it talks for quite a while.");
    assertThat(json(rbServer.frames()))
        .contains(json("{\"context_id\":\"" + bId + "\",\"close_context\":true}"));
    assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(1);
  }

  /**
   * ElevenLabs keeps speaking a flushing context after its close_context: a 100 KB text cancelled
   * at its first audio left minutes of unwanted audio on the socket ahead of the next session,
   * which timed out behind it (the long-text benchmark). Such a context retires its socket; an
   * ordinary barge-in does not.
   */
  @Test
  void aLongTextCancelledEarlyRetiresItsSocketAnOrdinaryOneDoesNot() throws Exception {
    start();
    String sentence = "This sentence is one of many in a very long answer. ";
    String longText = sentence.repeat(2_000 / sentence.length() + 1);
    String[] texts = {"A short answer the user interrupts, as users do.", longText};
    for (int i = 0; i < texts.length; i++) {
      SynthesisSession s = open();
      RecordingSubscriber rec = subscribe(s);
      s.sendText(texts[i]);
      s.finish();
      assertThat(rec.awaitFirstAudio(TIMEOUT)).isTrue();
      s.cancel();
      assertThat(rec.awaitTerminal(TIMEOUT)).isTrue();
      int accepted = fixture.emulator.control().connectionsAccepted();
      SynthesisSession next = open();
      RecordingSubscriber nextRec = subscribe(next);
      next.sendText("The next turn.");
      next.finish();
      assertCompleted(nextRec);
      assertThat(next.report().connectionReused())
          .as("after cancelling %d characters", texts[i].length())
          .isEqualTo(i == 0);
      assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(accepted + i);
    }
  }

  @Test
  void aContextKeepAliveKeepsAThinkingApplicationPastTheInactivityTimeout() throws Exception {
    start();
    SynthesisSession s =
        fixture
            .synthesizer()
            .open(
                fixture.options().toBuilder().set(ElevenLabsOptions.INACTIVITY_TIMEOUT, 1).build());
    RecordingSubscriber rec = subscribe(s);
    s.sendText("Hello ");
    String id = s.report().attributes().get("context_id");
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(
            () ->
                fixture.emulator.control().sessions().stream()
                        .flatMap(r -> r.frames().stream())
                        .map(SessionTestSupport::json)
                        .filter(
                            j -> j.equals(json("{\"text\":\"\",\"context_id\":\"" + id + "\"}")))
                        .count()
                    >= 2);
    assertThat(rec.terminalSignals()).as("still alive").isZero();
    s.sendText("world.");
    s.finish();
    assertCompleted(rec);
  }

  @Test
  void eachContextSendsItsOwnGoldenFrames() throws Exception {
    start();
    SynthesisSession s = open();
    RecordingSubscriber rec = subscribe(s);
    s.sendText("Hello wor");
    s.sendText("ld.");
    s.flush();
    s.sendText("Bye");
    s.finish();
    assertCompleted(rec);
    String id = s.report().attributes().get("context_id");
    assertThat(json(recordFor("Hello world. Bye").frames()))
        .containsExactlyElementsOf(
            json(
                List.of(
                    "{\"text\":\" \",\"context_id\":\"" + id + "\"}",
                    "{\"text\":\"Hello \",\"context_id\":\"" + id + "\"}",
                    "{\"text\":\"world. \",\"context_id\":\"" + id + "\",\"flush\":true}",
                    "{\"text\":\"Bye \",\"context_id\":\"" + id + "\",\"flush\":true}",
                    "{\"context_id\":\"" + id + "\",\"close_context\":true}")));
    assertThat(rec.timings()).isNotEmpty();
    SessionTestSupport.assertMonotonic(rec.timings());
  }
}
