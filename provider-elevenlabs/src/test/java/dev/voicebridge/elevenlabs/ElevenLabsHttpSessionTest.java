package dev.voicebridge.elevenlabs;

import static dev.voicebridge.elevenlabs.SessionTestSupport.assertCompleted;
import static dev.voicebridge.elevenlabs.SessionTestSupport.assertMonotonic;
import static dev.voicebridge.elevenlabs.SessionTestSupport.awaitError;
import static dev.voicebridge.elevenlabs.SessionTestSupport.json;
import static dev.voicebridge.elevenlabs.SessionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.LimitExceededException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions over HTTP /stream and /stream/with-timestamps against the emulator. */
class ElevenLabsHttpSessionTest {
  private EmulatorFixture fixture;

  private void start(String transport, Map<String, String> extra) {
    Map<String, String> m = new java.util.HashMap<>(extra);
    m.put("voicebridge.elevenlabs.transport", transport);
    fixture =
        new EmulatorFixture(
            ElevenLabsEmulator.Options.builder()
                .noQuotaKey("no-credit-key")
                .unknownVoiceId("ghost")
                .maxConcurrentRequests(64)
                .build(),
            m,
            SynthesisOptions.builder().format(AudioFormat.PCM_16K).build());
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private RecordingSubscriber run(String text) {
    SynthesisSession s = fixture.synthesizer().open(fixture.options());
    RecordingSubscriber rec = subscribe(s);
    s.sendText(text);
    s.finish();
    return rec;
  }

  @Test
  void tokensBecomeOneRequestPerSentenceInOrder() throws Exception {
    start("http", Map.of());
    SynthesisSession s = fixture.synthesizer().open(fixture.options());
    RecordingSubscriber rec = subscribe(s);
    String text =
        "The first sentence is here. Then a second one follows! And is there a third one?";
    for (String t : text.split("(?<= )")) {
      s.sendText(t);
    }
    s.finish();
    assertCompleted(rec);
    List<ServerRecord> records = fixture.emulator.control().sessions();
    assertThat(records)
        .extracting(ServerRecord::text)
        .containsExactly(
            "The first sentence is here.",
            "Then a second one follows!",
            "And is there a third one?");
    assertThat(rec.audio().length)
        .isEqualTo(records.stream().mapToLong(ServerRecord::audioBytesSent).sum());
    assertThat(json(records.get(1).frames().get(0)).get("previous_text").asText())
        .isEqualTo("The first sentence is here.");
    assertThat(records.get(0).headers().get("xi-api-key")).containsExactly(EmulatorFixture.KEY);
    assertThat(s.report().attributes()).containsEntry("transport", "http");
    assertThat(rec.timings()).isEmpty();
  }

  @Test
  void aFlushSendsWhatWasGivenSoFar() throws Exception {
    start("http", Map.of());
    SynthesisSession s = fixture.synthesizer().open(fixture.options());
    RecordingSubscriber rec = subscribe(s);
    s.sendText("No sentence end yet");
    s.flush();
    assertThat(rec.awaitFirstAudio(SessionTestSupport.TIMEOUT)).isTrue();
    s.finish();
    assertCompleted(rec);
    assertThat(fixture.emulator.control().sessions())
        .extracting(ServerRecord::text)
        .containsExactly("No sentence end yet");
  }

  @Test
  void withTimestampsGivesMonotonicWordTimingsAcrossRequests() throws Exception {
    start("http-timestamps", Map.of());
    RecordingSubscriber rec = run("One sentence here. Another sentence there.");
    assertCompleted(rec);
    assertThat(fixture.emulator.control().sessions()).hasSize(2);
    List<WordTiming> t = rec.timings();
    assertThat(t)
        .extracting(WordTiming::word)
        .containsExactly("One", "sentence", "here.", "Another", "sentence", "there.");
    assertMonotonic(t);
    Duration firstRequestAudio =
        AudioFormat.PCM_16K.durationOf(
            fixture.emulator.control().sessions().get(0).audioBytesSent());
    assertThat(t.get(3).start()).isGreaterThanOrEqualTo(firstRequestAudio);
    assertThat(t.get(5).end())
        .isLessThanOrEqualTo(AudioFormat.PCM_16K.durationOf(rec.audio().length));
  }

  @Test
  void anErrorBeforeAudioIsAProviderErrorWithTheVendorsMessage() throws Exception {
    start("http", Map.of());
    fixture.emulator.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.SERVER));
    Throwable e = awaitError(run("Hello."));
    assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining(Fault.MESSAGE);
  }

  @Test
  void aBodyAbortedAfterAudioIsATransportFailureWithThePrefixIntact() throws Exception {
    start("http-timestamps", Map.of());
    fixture.emulator.control().inject(new Fault.ErrorFrame(1, Fault.ErrorKind.SERVER));
    RecordingSubscriber rec = run("Hello there, this is a longer sentence for several chunks.");
    Throwable e = awaitError(rec);
    assertThat(e).isInstanceOf(TransportException.class);
    assertThat(rec.audioSha256()).isEqualTo(fixture.emulator.control().lastSession().audioSha256());
  }

  @Test
  void statusesMapToTypedErrors() throws Exception {
    start("http", Map.of());
    fixture.emulator.control().inject(new Fault.HandshakeStatus(429, Duration.ofSeconds(3)));
    Throwable busy = awaitError(run("Hello."));
    assertThat(busy).isInstanceOf(RateLimitedException.class);
    assertThat(((RateLimitedException) busy).retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(((RateLimitedException) busy).isRetryable()).isTrue();

    SynthesisSession ghost =
        fixture.synthesizer().open(fixture.options().toBuilder().voice("ghost").build());
    RecordingSubscriber rg = subscribe(ghost);
    ghost.sendText("Hello.");
    ghost.finish();
    Throwable notFound = awaitError(rg);
    assertThat(notFound).isInstanceOf(InvalidRequestException.class);
    assertThat(((ProviderException) notFound).status()).isEqualTo(404);
  }

  @Test
  void aWrongKeyAndNoQuotaAreDistinct() throws Exception {
    start("http", Map.of("voicebridge.elevenlabs.api-key", "wrong-key"));
    Throwable auth = awaitError(run("Hello."));
    assertThat(auth)
        .isInstanceOf(AuthenticationException.class)
        .isNotInstanceOf(QuotaExceededException.class);
    assertThat(auth.getMessage()).doesNotContain("wrong-key");
    close();
    start("http", Map.of("voicebridge.elevenlabs.api-key", "no-credit-key"));
    Throwable quota = awaitError(run("Hello."));
    assertThat(quota).isInstanceOf(QuotaExceededException.class);
    assertThat(((ProviderException) quota).status()).isEqualTo(401);
  }

  @Test
  void maxTextCharsEndsTheSessionWithLimitExceeded() throws Exception {
    start("http", Map.of("voicebridge.elevenlabs.max-text-chars", "20"));
    Throwable e = awaitError(run("This sentence is longer than twenty characters."));
    assertThat(e).isInstanceOf(LimitExceededException.class).hasMessageContaining("max-text-chars");
  }

  @Test
  void aTimestampLineOverMaxFrameBytesIsAProtocolException() throws Exception {
    // one 100 ms frame of 16 kHz PCM is 3200 bytes, over 4 KiB as base64 in one line
    start("http-timestamps", Map.of("voicebridge.elevenlabs.max-frame-bytes", "1024"));
    Throwable e = awaitError(run("Hello there, this is a sentence long enough for audio."));
    assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("max-frame-bytes");
  }

  @Test
  void aTimestampLineWithinMaxFrameBytesIsRead() throws Exception {
    start("http-timestamps", Map.of("voicebridge.elevenlabs.max-frame-bytes", "65536"));
    RecordingSubscriber rec = run("Hello there, this is a sentence long enough for audio.");
    assertCompleted(rec);
    assertThat(rec.audio()).isNotEmpty();
  }
}
