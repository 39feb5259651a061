package dev.voicebridge.smallest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sessions against the Smallest emulator (written independently from the same protocol notes). */
class SmallestEmulatorTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private SmallestFixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private SmallestFixture start(String transport, SmallestEmulator.Options options) {
    fixture = new SmallestFixture(transport, options);
    return fixture;
  }

  private SmallestFixture start(
      String transport, SmallestEmulator.Options options, Map<String, String> config) {
    fixture = new SmallestFixture(transport, options, config);
    return fixture;
  }

  private static SmallestEmulator.Options.Builder emulator() {
    return SmallestEmulator.Options.builder().maxConcurrentRequests(64);
  }

  private record Run(SynthesisSession session, RecordingSubscriber rec) {
    SynthesisReport report() throws Exception {
      return session.completion().toCompletableFuture().get();
    }
  }

  private Run run(SynthesisOptions options, String... pieces) throws InterruptedException {
    SynthesisSession s = fixture.synthesizer.open(options);
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    for (String p : pieces) {
      if (p == null) {
        s.flush();
      } else {
        s.sendText(p);
      }
    }
    s.finish();
    assertThat(rec.awaitTerminal(WAIT)).as("terminal signal").isTrue();
    return new Run(s, rec);
  }

  private static void assertSucceeded(Run r) {
    if (r.rec.error() != null) {
      throw new AssertionError("the session failed: " + r.rec.error(), r.rec.error());
    }
    assertThat(r.rec.completed()).isTrue();
  }

  @Test
  void severalSessionsInARowShareOneSocketWithTheirRequestsKeptApart() throws Exception {
    start("websocket", emulator().build());
    for (int i = 0; i < 3; i++) {
      Run r =
          run(
              fixture.options().toBuilder().set(SmallestOptions.REQUEST_ID, "req-" + i).build(),
              "Session ",
              "number " + i,
              " says hello. ",
              "And goodbye.");
      assertSucceeded(r);
      assertThat(r.rec.audio()).isNotEmpty();
      assertThat(r.report().connectionReused()).isEqualTo(i > 0);
    }
    var control = fixture.emulator.control();
    assertThat(control.connectionsAccepted()).isEqualTo(1);
    // the emulator may record 'completed' just after the frame went out: wait for it
    await().atMost(WAIT).until(() -> control.sessions().stream().allMatch(r -> r.completed()));
    List<ServerRecord> records = control.sessions();
    assertThat(records).hasSize(3);
    for (int i = 0; i < 3; i++) {
      ServerRecord rec = records.get(i);
      assertThat(rec.connection()).isEqualTo(records.get(0).connection());
      assertThat(rec.text().replaceAll("\\s+", " ").strip())
          .isEqualTo("Session number " + i + " says hello. And goodbye.");
      for (String frame : rec.frames()) {
        assertThat(frame).contains("\"request_id\":\"req-" + i + "\"");
      }
    }
  }

  @Test
  void audioOfEachSessionIsIntactByDigest() throws Exception {
    start("websocket", emulator().build());
    List<RecordingSubscriber> recs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Run r = run(fixture.options(), "Digest check number " + i + ". ", null, "Second part.");
      assertSucceeded(r);
      recs.add(r.rec);
    }
    List<ServerRecord> records = fixture.emulator.control().sessions();
    assertThat(records).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(recs.get(i).audio().length).isEqualTo(records.get(i).audioBytesSent());
      assertThat(recs.get(i).audioSha256()).isEqualTo(records.get(i).audioSha256());
    }
  }

  @Test
  void aPooledSocketIdleLongerThanTheKeepAliveIsNotReused() throws Exception {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    fixture =
        new SmallestFixture(
            "websocket",
            emulator().build(),
            Map.of("voicebridge.smallest.keep-alive", "30s"),
            now::get);
    assertSucceeded(run(fixture.options(), "First."));
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    Run second = run(fixture.options(), "Second.");
    assertSucceeded(second);
    assertThat(second.report().connectionReused()).isTrue();
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    Run third = run(fixture.options(), "Third.");
    assertSucceeded(third);
    assertThat(third.report().connectionReused()).isFalse();
    assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(2);
    await().atMost(WAIT).until(() -> fixture.emulator.control().openConnections() == 1);
  }

  @Test
  void aNewSocketReplacesOneTheServerClosedAfterComplete() throws Exception {
    start("websocket", emulator().closeAfterComplete(true).build());
    for (int i = 0; i < 3; i++) {
      Run r = run(fixture.options(), "Closed after complete, round " + i + ".");
      assertSucceeded(r);
      assertThat(r.rec.audioSha256())
          .isEqualTo(fixture.emulator.control().lastSession().audioSha256());
    }
    assertThat(fixture.emulator.control().connectionsAccepted()).isEqualTo(3);
  }

  @Test
  void legacyCompleteShapeEndsSessions() throws Exception {
    start("websocket", emulator().legacyComplete(true).build());
    for (int i = 0; i < 2; i++) {
      Run r = run(fixture.options(), "Legacy complete number " + i + ".");
      assertSucceeded(r);
      assertThat(r.rec.audioSha256())
          .isEqualTo(fixture.emulator.control().lastSession().audioSha256());
    }
  }

  @Test
  void wordTimestampsForASupportingVoiceAreOnTheSessionTimeline() throws Exception {
    start("websocket", emulator().build());
    Run r =
        run(
            fixture.options().toBuilder().voice("liam").build(),
            "The quick brown fox jumps. ",
            null,
            "Then the lazy dog sleeps.");
    assertSucceeded(r);
    List<WordTiming> timings = r.rec.timings();
    assertThat(timings).extracting(WordTiming::word).isNotEmpty();
    String spoken = String.join(" ", timings.stream().map(WordTiming::word).toList());
    assertThat(spoken.replaceAll("[^A-Za-z ]", ""))
        .isEqualTo("The quick brown fox jumps Then the lazy dog sleeps");
    Duration prev = Duration.ZERO;
    for (WordTiming t : timings) {
      assertThat(t.start()).isGreaterThanOrEqualTo(prev);
      assertThat(t.end()).isGreaterThanOrEqualTo(t.start());
      prev = t.start();
    }
    Duration audio = r.report().audioDuration();
    assertThat(timings.get(timings.size() - 1).end()).isLessThanOrEqualTo(audio.plusMillis(50));
    // the second request's times restart on the server; here they continue after the first's
    WordTiming then =
        timings.stream().filter(t -> t.word().startsWith("Then")).findFirst().orElseThrow();
    WordTiming jumps =
        timings.stream().filter(t -> t.word().startsWith("jumps")).findFirst().orElseThrow();
    assertThat(then.start()).isGreaterThanOrEqualTo(jumps.end());
  }

  @Test
  void noWordTimestampsWhenNotAsked() throws Exception {
    start("websocket", emulator().build());
    Run r =
        run(
            fixture.options().toBuilder().unset(SmallestOptions.WORD_TIMESTAMPS).build(),
            "No timings, please.");
    assertSucceeded(r);
    assertThat(r.rec.timings()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SmallestEmulator.ErrorShape.class)
  void errorFramesOfEveryShapeCarryTheVendorMessage(SmallestEmulator.ErrorShape shape)
      throws Exception {
    start("websocket", emulator().errorShape(shape).build());
    fixture.emulator.control().inject(new Fault.ErrorFrame(1, Fault.ErrorKind.SERVER));
    Run r = run(fixture.options(), "An error will interrupt this sentence.");
    assertThat(r.rec.error()).isInstanceOf(ProviderException.class);
    assertThat(r.rec.error().getMessage()).contains(Fault.MESSAGE).contains("smallest");
    assertThat(r.rec.audioSha256())
        .isEqualTo(fixture.emulator.control().lastSession().audioSha256());
    assertSucceeded(run(fixture.options(), "Then it works again."));
  }

  @ParameterizedTest
  @EnumSource(Fault.ErrorKind.class)
  void errorKindsMapToTheirExceptions(Fault.ErrorKind kind) throws Exception {
    // only the nested shape carries a code; a bare message is a generic server error
    start("websocket", emulator().errorShape(SmallestEmulator.ErrorShape.NESTED).build());
    fixture.emulator.control().inject(new Fault.ErrorFrame(0, kind));
    Run r = run(fixture.options(), "This will fail.");
    Class<? extends VoicebridgeException> expected =
        switch (kind) {
          case SERVER -> ProviderUnavailableException.class;
          case AUTHENTICATION -> AuthenticationException.class;
          case QUOTA -> QuotaExceededException.class;
          case RATE_LIMIT -> RateLimitedException.class;
          case INVALID_REQUEST -> InvalidRequestException.class;
        };
    assertThat(r.rec.error()).isInstanceOf(expected).hasMessageContaining(Fault.MESSAGE);
  }

  @Test
  void keepAliveHoldsAnIdleSessionOpenPastTheServerIdleTimeout() throws Exception {
    start(
        "websocket",
        emulator().defaultIdleTimeout(Duration.ofSeconds(1)).build(),
        Map.of("voicebridge.smallest.keep-alive", "100ms"));
    SynthesisSession s = fixture.synthesizer.open(fixture.options());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText("Waiting for the language model");
    s.sendText(" to think");
    // wait (on the server's record, not the clock) until several keep-alives went out: longer
    // than the server's idle timeout in total
    await()
        .atMost(WAIT)
        .until(
            () -> {
              ServerRecord last = fixture.emulator.control().lastSession();
              return last != null
                  && last.frames().stream().filter(f -> f.contains("\"text\":\" \"")).count() >= 14;
            });
    s.sendText(" a little.");
    s.finish();
    assertThat(rec.awaitTerminal(WAIT)).isTrue();
    assertThat(rec.error()).isNull();
    assertThat(rec.completed()).isTrue();
    assertThat(fixture.emulator.control().lastSession().text().replaceAll("\\s+", " ").strip())
        .isEqualTo("Waiting for the language model to think a little.");
  }

  @Test
  void sseSendsOneRequestPerSentenceInOrderWithAudioIntact() throws Exception {
    start("sse", emulator().build());
    SynthesisOptions options =
        fixture.options().toBuilder().set(SmallestOptions.SSE_SPLIT, "sentence").build();
    Run r =
        run(
            options,
            "First sentence here.",
            " Second one",
            " follows it! And",
            " the third ends the turn.");
    assertSucceeded(r);
    List<ServerRecord> records = fixture.emulator.control().sessions();
    assertThat(records)
        .extracting(rec -> rec.text().strip())
        .containsExactly(
            "First sentence here.", "Second one follows it!", "And the third ends the turn.");
    byte[] audio = r.rec.audio();
    int pos = 0;
    for (ServerRecord rec : records) {
      byte[] part = Arrays.copyOfRange(audio, pos, pos + (int) rec.audioBytesSent());
      pos += (int) rec.audioBytesSent();
      assertThat(RecordingSubscriber.sha256(part)).isEqualTo(rec.audioSha256());
    }
    assertThat(pos).isEqualTo(audio.length);
    assertThat(r.report().attributes())
        .containsEntry("transport", "sse")
        .containsEntry("http.requests", "3");
  }

  @Test
  void sseOddSizedChunksAreJoined() throws Exception {
    start("sse", emulator().sseChunkBytes(1001).build());
    Run r = run(fixture.options(), "Odd sized chunks are joined, never dropped.");
    assertSucceeded(r);
    assertThat(r.rec.audioSha256())
        .isEqualTo(fixture.emulator.control().lastSession().audioSha256());
    assertThat(r.rec.audio().length % 2).isZero();
    r.rec.chunks().forEach(c -> assertThat(c.size() % 2).isZero());
  }

  @Test
  void aRefusedUpgradeIsTypedAndNeverShowsTheKey() throws Exception {
    start("websocket", emulator().build());
    fixture.emulator.control().inject(new Fault.HandshakeStatus(401, null));
    Run r = run(fixture.options(), "Who am I?");
    assertThat(r.rec.error())
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("401")
        .hasMessageContaining(Fault.MESSAGE) // the vendor's body of the refused upgrade
        .hasMessageNotContaining(SmallestFixture.KEY);
  }

  @Test
  void wavMuLawAndALawAreConvertedFromThePcmOnTheWire() throws Exception {
    start("websocket", emulator().build());
    Run wav = run(fixture.options().toBuilder().format(AudioFormat.wav(16_000)).build(), "Wave.");
    assertSucceeded(wav);
    long pcmBytes = fixture.emulator.control().lastSession().audioBytesSent();
    byte[] w = wav.rec.audio();
    assertThat(Wav.read(w).sampleRate()).isEqualTo(16_000);
    assertThat(w.length).isEqualTo(Wav.HEADER_BYTES + pcmBytes);
    assertThat(fixture.emulator.control().lastSession().frames().get(0))
        .contains("\"sample_rate\":16000");
    for (AudioFormat f : List.of(AudioFormat.mulaw(8_000), AudioFormat.alaw(8_000))) {
      Run g = run(fixture.options().toBuilder().format(f).build(), "Telephony.");
      assertSucceeded(g);
      assertThat(g.rec.audio().length)
          .isEqualTo(fixture.emulator.control().lastSession().audioBytesSent() / 2);
      assertThat(g.rec.chunks()).allSatisfy(c -> assertThat(c.format()).isEqualTo(f));
    }
  }

  @Test
  void sseRateLimitCarriesRetryAfter() throws Exception {
    start("sse", emulator().build());
    fixture.emulator.control().inject(new Fault.HandshakeStatus(429, Duration.ofSeconds(3)));
    Run r = run(fixture.options(), "Too fast.");
    assertThat(r.rec.error()).isInstanceOf(RateLimitedException.class);
    assertThat(((RateLimitedException) r.rec.error()).retryAfter()).contains(Duration.ofSeconds(3));
  }
}
