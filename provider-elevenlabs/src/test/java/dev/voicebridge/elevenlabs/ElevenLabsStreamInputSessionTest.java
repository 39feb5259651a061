package dev.voicebridge.elevenlabs;

import static dev.voicebridge.elevenlabs.SessionTestSupport.TIMEOUT;
import static dev.voicebridge.elevenlabs.SessionTestSupport.assertCompleted;
import static dev.voicebridge.elevenlabs.SessionTestSupport.assertMonotonic;
import static dev.voicebridge.elevenlabs.SessionTestSupport.awaitError;
import static dev.voicebridge.elevenlabs.SessionTestSupport.json;
import static dev.voicebridge.elevenlabs.SessionTestSupport.squash;
import static dev.voicebridge.elevenlabs.SessionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions over {@code stream-input} against the ElevenLabs emulator. */
class ElevenLabsStreamInputSessionTest {
  private EmulatorFixture fixture;

  private EmulatorFixture start(Map<String, String> config) {
    fixture =
        new EmulatorFixture(
            ElevenLabsEmulator.Options.builder()
                .enforceSchedule(true)
                .noQuotaKey("no-credit-key")
                .unknownVoiceId("ghost")
                .build(),
            config,
            SynthesisOptions.builder().format(AudioFormat.PCM_24K).build());
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private SynthesisSession open(SynthesisOptions.Builder b) {
    return fixture.synthesizer().open(b.format(AudioFormat.PCM_24K).build());
  }

  @Test
  void theClientSendsWholeWordsAFlushAndTheEndOfInput() throws Exception {
    start(Map.of());
    SynthesisSession s = open(SynthesisOptions.builder().set(ElevenLabsOptions.STABILITY, 0.4));
    RecordingSubscriber rec = subscribe(s);
    for (String t : List.of("Hel", "lo", " wor", "ld. ", "How are", " you?")) {
      s.sendText(t);
    }
    s.flush();
    s.sendText("Fine");
    s.finish();
    assertCompleted(rec);
    ServerRecord r = fixture.emulator.control().lastSession();
    assertThat(json(r.frames()))
        .containsExactlyElementsOf(
            json(
                List.of(
                    "{\"text\":\" \",\"voice_settings\":{\"stability\":0.4}}",
                    "{\"text\":\"Hello \"}",
                    "{\"text\":\"world. \"}",
                    "{\"text\":\"How \"}",
                    "{\"text\":\"are \"}",
                    "{\"text\":\"you? \",\"flush\":true}",
                    "{\"text\":\"Fine \"}",
                    "{\"text\":\"\"}")));
    assertThat(squash(r.text())).isEqualTo("Hello world. How are you? Fine");
    assertThat(r.flushes()).isEqualTo(1);
    assertThat(r.finished()).isTrue();
    assertThat(r.completed()).isTrue();
    assertThat(r.headers().get("xi-api-key")).containsExactly(EmulatorFixture.KEY);
    assertThat(rec.audioSha256()).isEqualTo(r.audioSha256());
    assertThat(s.report().attributes()).containsEntry("transport", "websocket");
  }

  @Test
  void aLongTextGoesOutSentenceBySentenceSoTheServerCanStartOnTheFirst() throws Exception {
    start(Map.of());
    String sentence =
        "Long answers are read aloud one sentence at a time, and the first must come. ";
    String longText = sentence.repeat(40).strip(); // about 3 KB
    SynthesisSession s = open(SynthesisOptions.builder());
    RecordingSubscriber rec = subscribe(s);
    s.sendText(longText);
    s.finish();
    assertCompleted(rec);
    List<String> frames = fixture.emulator.control().lastSession().frames();
    // the init message, then the first three sentences (231 characters), not the whole text
    assertThat(json(frames.get(1)).get("text").asText()).isEqualTo(sentence.repeat(3));
    assertThat(frames).hasSizeGreaterThan(10);
    StringBuilder assembled = new StringBuilder();
    for (String f : frames.subList(1, frames.size() - 1)) {
      String text = json(f).get("text").asText();
      assertThat(text.length()).isLessThanOrEqualTo(250);
      assembled.append(text);
    }
    assertThat(assembled.toString()).isEqualTo(longText + " "); // one space after the last word
    assertThat(json(frames.get(frames.size() - 1)).get("text").asText()).isEmpty();
  }

  @Test
  void withTheDefaultScheduleTheFirstAudioWaitsFor120Characters() throws Exception {
    start(Map.of());
    SynthesisSession s = open(SynthesisOptions.builder());
    RecordingSubscriber rec = subscribe(s);
    String first = "One two three four five six seven eight nine ten eleven twelve. "; // 64
    s.sendText(first);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                fixture.emulator.control().lastSession() != null
                    && squash(fixture.emulator.control().lastSession().text())
                        .equals(squash(first)));
    assertThat(fixture.emulator.control().lastSession().audioFramesSent()).isZero();
    assertThat(rec.hasAudio()).isFalse();
    s.sendText("Thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty. "); // 70
    assertThat(rec.awaitFirstAudio(TIMEOUT)).as("audio once 120 characters are buffered").isTrue();
    s.finish();
    assertCompleted(rec);
  }

  @Test
  void aFlushGivesAudioBelowTheSchedule() throws Exception {
    start(Map.of());
    SynthesisSession s = open(SynthesisOptions.builder());
    RecordingSubscriber rec = subscribe(s);
    s.sendText("Short. ");
    s.flush();
    assertThat(rec.awaitFirstAudio(TIMEOUT)).isTrue();
    s.finish();
    assertCompleted(rec);
  }

  @Test
  void autoModeDoesNotWaitForTheSchedule() throws Exception {
    start(Map.of());
    SynthesisSession s = open(SynthesisOptions.builder().set(ElevenLabsOptions.AUTO_MODE, true));
    RecordingSubscriber rec = subscribe(s);
    s.sendText("Short sentence. ");
    assertThat(rec.awaitFirstAudio(TIMEOUT)).as("audio without a flush").isTrue();
    s.finish();
    assertCompleted(rec);
  }

  @Test
  void wordTimingsFollowTheTextMonotonicallyWithinTheAudio() throws Exception {
    start(Map.of());
    String text = "Hello there, general Kenobi. You are a bold one! ";
    SynthesisSession s = open(SynthesisOptions.builder());
    RecordingSubscriber rec = subscribe(s);
    for (String t : text.split("(?<= )")) {
      s.sendText(t);
    }
    s.flush();
    s.sendText("Second part after the flush.");
    s.finish();
    assertCompleted(rec);
    List<WordTiming> timings = rec.timings();
    assertThat(timings)
        .extracting(WordTiming::word)
        .containsExactly(
            "Hello", "there,", "general", "Kenobi.", "You", "are", "a", "bold", "one!", "Second",
            "part", "after", "the", "flush.");
    assertMonotonic(timings);
    assertThat(timings).noneMatch(WordTiming::normalized);
    var duration = AudioFormat.PCM_24K.durationOf(rec.audio().length);
    assertThat(timings.get(timings.size() - 1).end()).isLessThanOrEqualTo(duration);
  }

  @Test
  void normalizedAlignmentIsAnOption() throws Exception {
    start(Map.of());
    SynthesisSession s =
        open(SynthesisOptions.builder().set(ElevenLabsOptions.NORMALIZED_ALIGNMENT, true));
    RecordingSubscriber rec = subscribe(s);
    s.sendText("Hello world.");
    s.finish();
    assertCompleted(rec);
    assertThat(rec.timings()).isNotEmpty().allMatch(WordTiming::normalized);
    assertMonotonic(rec.timings());
  }

  @Test
  void aKeepAliveKeepsAThinkingApplicationPastTheInactivityTimeout() throws Exception {
    start(Map.of());
    SynthesisSession s =
        open(SynthesisOptions.builder().set(ElevenLabsOptions.INACTIVITY_TIMEOUT, 1));
    RecordingSubscriber rec = subscribe(s);
    s.sendText("Hello ");
    // the application thinks: wait until the adapter has sent two keep-alives (over 1.5 s)
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              ServerRecord r = fixture.emulator.control().lastSession();
              return r != null
                  && r.frames().stream()
                          .skip(1)
                          .map(SessionTestSupport::json)
                          .filter(j -> j.equals(json("{\"text\":\" \"}")))
                          .count()
                      >= 2;
            });
    assertThat(rec.terminalSignals()).as("still alive").isZero();
    s.sendText("world.");
    s.finish();
    assertCompleted(rec);
  }

  @Test
  void aWrongKeyIsAnAuthenticationErrorWithTheVendorsMessage() throws Exception {
    start(Map.of("voicebridge.elevenlabs.api-key", "wrong-key"));
    RecordingSubscriber rec = run("Hi.", SynthesisOptions.builder());
    Throwable e = awaitError(rec);
    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.getMessage()).contains("invalid_api_key").doesNotContain("wrong-key");
  }

  @Test
  void noQuotaIsAQuotaError() throws Exception {
    start(Map.of("voicebridge.elevenlabs.api-key", "no-credit-key"));
    RecordingSubscriber rec = run("Hi.", SynthesisOptions.builder());
    assertThat(awaitError(rec)).isInstanceOf(QuotaExceededException.class);
  }

  /**
   * The server refuses the first message while the application is still sending text. Before the
   * emulator let its error frame stand (ErrorClose), Jetty dropped the connection with its Close,
   * the client's next write met a reset and the JDK discarded the unread error frame: about one
   * session in six ended in a TransportException instead (reliability K3).
   */
  @Test
  void aRefusalIsHeardWhileTheApplicationIsStillSending() throws Exception {
    start(Map.of("voicebridge.elevenlabs.api-key", "no-credit-key"));
    for (int i = 0; i < 30; i++) {
      SynthesisSession s = open(SynthesisOptions.builder());
      RecordingSubscriber rec = subscribe(s);
      for (String word : "one two three four five six seven eight nine ten.".split(" ")) {
        s.sendText(word + " ");
      }
      s.finish();
      assertThat(awaitError(rec)).as("session %d", i).isInstanceOf(QuotaExceededException.class);
    }
  }

  @Test
  void anUnknownVoiceIsAnInvalidRequest() throws Exception {
    start(Map.of());
    RecordingSubscriber rec = run("Hi.", SynthesisOptions.builder().voice("ghost"));
    assertThat(awaitError(rec)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void refusalsHappenBeforeAnyConnection() {
    start(Map.of());
    assertThatThrownBy(() -> open(SynthesisOptions.builder().model("eleven_v3")))
        .isInstanceOf(UnsupportedCapabilityException.class);
    assertThatThrownBy(() -> open(SynthesisOptions.builder().voice("../../v1/user")))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(
            () ->
                fixture
                    .synthesizer()
                    .open(SynthesisOptions.builder().format(AudioFormat.wav(24000)).build()))
        .isInstanceOf(UnsupportedCapabilityException.class);
    assertThat(fixture.emulator.control().connectionsAccepted()).isZero();
  }

  private RecordingSubscriber run(String text, SynthesisOptions.Builder b) {
    SynthesisSession s = open(b);
    RecordingSubscriber rec = subscribe(s);
    s.sendText(text);
    s.finish();
    return rec;
  }
}
