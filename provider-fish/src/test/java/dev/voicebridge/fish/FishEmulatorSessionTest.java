package dev.voicebridge.fish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.fish.internal.FishSynthesizer;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sessions over WebSocket and HTTP against the independent Fish emulator. */
class FishEmulatorSessionTest {
  private static final String KEY = "test-key";
  private static final String TEXT = "Hello from Fish. This is the second sentence of the test.";

  private FishEmulator emulator;
  private StreamingSynthesizer synth;

  private void start(FishEmulator.Options options) {
    emulator =
        options == null
            ? FishEmulator.start(EmulatorConfig.builder().build())
            : FishEmulator.start(EmulatorConfig.builder().build(), options);
    synth = synthesizer(KEY);
  }

  private StreamingSynthesizer synthesizer(String key) {
    return new FishProvider()
        .create(
            ProviderContext.of(
                "fish",
                VoicebridgeConfig.of(
                    Map.of(
                        "voicebridge.fish.api-key",
                        key,
                        "voicebridge.fish.base-url",
                        emulator.baseUrl().toString(),
                        "voicebridge.fish.response-timeout",
                        "3s"))));
  }

  @AfterEach
  void stop() {
    if (synth != null) {
      synth.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private ServerControl control() {
    return emulator.control();
  }

  private static SynthesisOptions ws() {
    return SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).build();
  }

  private static SynthesisOptions http(String unit) {
    return SynthesisOptions.builder()
        .format(AudioFormat.pcm(16_000))
        .set(FishOptions.TRANSPORT, FishOptions.HTTP)
        .set(FishOptions.HTTP_REQUEST_UNIT, unit)
        .build();
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private record Result(byte[] audio, SynthesisReport report) {}

  private Result speak(SynthesisOptions o, String... tokens) {
    SynthesisSession s = synth.open(o);
    SynthesisStream stream = s.stream();
    for (String t : tokens) {
      s.sendText(t);
    }
    s.finish();
    byte[] audio = stream.readAllAudio();
    return new Result(audio, stream.report());
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  // ------------------------------------------------------------------ WebSocket

  @Test
  void webSocketSessionDeliversEveryByteInOrder() {
    start(null);
    SynthesisSession s = synth.open(ws());
    SynthesisStream stream = s.stream();
    for (String t : TEXT.split("(?<= )")) {
      s.sendText(t);
    }
    s.flush();
    s.sendText(" And a last one.");
    s.finish();
    byte[] audio = stream.readAllAudio();
    SynthesisReport report = stream.report();

    assertThat(audio).isNotEmpty();
    assertThat(control().sessions()).hasSize(1);
    ServerRecord r = control().sessions().get(0);
    assertThat(squash(r.text())).isEqualTo(squash(TEXT + " And a last one."));
    assertThat(r.flushes()).isEqualTo(1);
    assertThat(r.finished()).isTrue();
    assertThat(r.completed()).isTrue();
    assertThat(r.audioBytesSent()).isEqualTo(audio.length);
    assertThat(sha256(audio)).isEqualTo(r.audioSha256());
    assertThat(r.headers().get("model")).containsExactly(FishProvider.DEFAULT_MODEL);
    assertThat(r.headers().get("authorization")).containsExactly("Bearer " + KEY);
    assertThat(report.attributes()).containsEntry("transport", "websocket");
    assertThat(report.connectionReused()).isFalse();
    assertThat(report.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
  }

  @Test
  void aLongTextGoesOutSentenceBySentenceSoTheServerCanStartOnTheFirst() {
    start(null);
    String sentence =
        "Long answers are read aloud one sentence at a time, and the first must come. ";
    String longText = sentence.repeat(20).strip(); // about 1.5 KB
    Result r = speak(ws(), longText);
    assertThat(r.report().outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    ServerRecord rec = control().lastSession();
    assertThat(rec.text()).isEqualTo(longText); // what the server buffers is unchanged
    List<String> texts =
        rec.frames().stream().filter(f -> f.startsWith("{\"event\":\"text\"")).toList();
    // the first text event is the first three sentences (231 characters), not the whole text
    assertThat(texts.get(0)).contains(sentence.repeat(3) + "\"").doesNotContain(sentence.repeat(4));
    assertThat(texts).hasSizeGreaterThan(5);
  }

  @Test
  void realisticPacingWithSlowFirstAudioNeitherTimesOutNorTripsTheProbe() {
    emulator = FishEmulator.start(EmulatorConfig.builder().profile(FishEmulator.REALISTIC).build());
    synth = synthesizer(KEY);
    Result r = speak(ws(), "A paced session. ", "It streams in real time.");
    assertThat(r.report().outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    assertThat(sha256(r.audio())).isEqualTo(control().lastSession().audioSha256());
    Result h = speak(http(FishOptions.PER_SENTENCE), "A paced request. ", "And another one.");
    assertThat(h.report().outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
  }

  @Test
  void emptySessionCompletesWithoutAudio() {
    start(null);
    Result r = speak(ws());
    assertThat(r.audio()).isEmpty();
    assertThat(r.report().outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
  }

  @Test
  void threeSessionsInARowShareOneSocketWhenTheServerKeepsItOpen() {
    start(null);
    for (int i = 0; i < 3; i++) {
      Result r = speak(ws(), "Session number " + i + " speaks.");
      ServerRecord rec = control().sessions().get(i);
      assertThat(sha256(r.audio())).as("session %d", i).isEqualTo(rec.audioSha256());
      assertThat(r.report().connectionReused()).as("session %d reused", i).isEqualTo(i > 0);
    }
    assertThat(control().connectionsAccepted()).isEqualTo(1);
    assertThat(((FishSynthesizer) synth).idleConnections()).isEqualTo(1);
    List<ServerRecord> all = control().sessions();
    assertThat(all).extracting(ServerRecord::connection).containsOnly(all.get(0).connection());
  }

  @Test
  void threeSessionsInARowOpenThreeSocketsWhenTheServerClosesAfterFinish() {
    start(FishEmulator.Options.builder().closeAfterFinish(true).build());
    for (int i = 0; i < 3; i++) {
      Result r = speak(ws(), "Session number " + i + " speaks.");
      ServerRecord rec = control().sessions().get(control().sessions().size() - 1);
      assertThat(squash(rec.text())).isEqualTo("Session number " + i + " speaks.");
      assertThat(sha256(r.audio())).as("session %d", i).isEqualTo(rec.audioSha256());
      assertThat(r.report().outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    }
    assertThat(control().connectionsAccepted()).isEqualTo(3);
    // the socket the server closed leaves the pool by itself
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ((FishSynthesizer) synth).idleConnections() == 0);
  }

  @Test
  void aPooledSocketClosedByTheServerIsReplacedWithoutLoss() throws Exception {
    // the server closes after finish; we start the next session at once, so it may pick the
    // socket before the close arrives: the session must be replayed on a fresh socket
    start(FishEmulator.Options.builder().closeAfterFinish(true).build());
    for (int i = 0; i < 5; i++) {
      Result r = speak(ws(), "Quick session " + i + ".");
      ServerRecord rec = control().lastSession();
      assertThat(squash(rec.text())).isEqualTo("Quick session " + i + ".");
      assertThat(sha256(r.audio())).isEqualTo(rec.audioSha256());
    }
    assertThat(control().sessions()).hasSizeGreaterThanOrEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aReusedSocketThatClosesBeforeAnyEventIsReplacedAndTheSessionReplayed(boolean abrupt) {
    start(null);
    speak(ws(), "Warm up the pool.");
    control().inject(new Fault.Disconnect(0, abrupt));
    Result r = speak(ws(), "Replayed ", "session.");
    assertThat(r.report().outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    assertThat(r.report().connectionReused()).isTrue();
    assertThat(r.report().attributes()).containsEntry("connection.replaced", "true");
    ServerRecord last = control().lastSession();
    assertThat(squash(last.text())).isEqualTo("Replayed session.");
    assertThat(last.completed()).isTrue();
    assertThat(sha256(r.audio())).isEqualTo(last.audioSha256());
    assertThat(last.connection()).isNotEqualTo(control().sessions().get(0).connection());
    assertThat(control().connectionsAccepted()).isEqualTo(2);
  }

  @Test
  void aFreshSocketThatClosesBeforeAnyEventIsAnError() {
    start(null);
    control().inject(new Fault.Disconnect(0, false));
    assertThat(catchThrowable(() -> speak(ws(), TEXT))).isInstanceOf(TransportException.class);
  }

  @Test
  void modelIsSentAsHeaderAndPooledPerModel() {
    start(null);
    speak(SynthesisOptions.builder().model("s1").build(), "One.");
    speak(SynthesisOptions.builder().model("s2.1-pro").build(), "Two.");
    speak(SynthesisOptions.builder().model("s1").build(), "Three.");
    List<ServerRecord> all = control().sessions();
    assertThat(all.get(0).headers().get("model")).containsExactly("s1");
    assertThat(all.get(1).headers().get("model")).containsExactly("s2.1-pro");
    assertThat(all.get(2).connection()).isEqualTo(all.get(0).connection());
    assertThat(all.get(1).connection()).isNotEqualTo(all.get(0).connection());
    assertThat(control().connectionsAccepted()).isEqualTo(2);
  }

  @Test
  void cancelMidStreamClosesTheSocket() throws Exception {
    start(null);
    SynthesisSession s = synth.open(ws());
    SynthesisStream stream = s.stream();
    s.sendText(TEXT + " " + TEXT + " " + TEXT);
    s.flush();
    assertThat(stream.poll(Duration.ofSeconds(10))).isNotNull();
    s.cancel();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> control().openConnections() == 0);
    // the synthesizer still works, on a new socket
    Result next = speak(ws(), "After the cancel.");
    assertThat(sha256(next.audio())).isEqualTo(control().lastSession().audioSha256());
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 402, 403, 404, 429, 500, 503})
  void handshakeStatusesBecomeTypedErrors(int status) {
    start(null);
    control()
        .inject(new Fault.HandshakeStatus(status, status == 429 ? Duration.ofSeconds(3) : null));
    assertTyped(status, catchThrowable(() -> speak(ws(), TEXT)));
    // and the next session works
    assertThat(speak(ws(), "Works again.").audio()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 402, 403, 404, 429, 500, 503})
  void httpStatusesBecomeTypedErrors(int status) {
    start(null);
    control()
        .inject(new Fault.HandshakeStatus(status, status == 429 ? Duration.ofSeconds(3) : null));
    assertTyped(status, catchThrowable(() -> speak(http(FishOptions.PER_FLUSH), TEXT)));
  }

  private static void assertTyped(int status, Throwable t) {
    Class<? extends ProviderException> type =
        switch (status) {
          case 401 -> AuthenticationException.class;
          case 402 -> QuotaExceededException.class;
          case 403 -> PermissionDeniedException.class;
          case 404 -> InvalidRequestException.class;
          case 429 -> RateLimitedException.class;
          default -> ProviderUnavailableException.class;
        };
    assertThat(t).isInstanceOf(type).hasMessageContaining("[fish]").hasMessageNotContaining(KEY);
    ProviderException e = (ProviderException) t;
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.isRetryable()).isEqualTo(status == 429 || status >= 500);
    if (status == 429) {
      assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(3));
    }
  }

  @Test
  void errorFrameAfterAudioKeepsTheAudioAndCarriesTheMessage() {
    start(null);
    control().inject(new Fault.ErrorFrame(1, Fault.ErrorKind.SERVER));
    SynthesisSession s = synth.open(ws());
    SynthesisStream stream = s.stream();
    s.sendText(TEXT);
    s.finish();
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    Throwable t =
        catchThrowable(
            () -> {
              while (stream.hasNext()) {
                if (stream.next() instanceof dev.voicebridge.AudioChunk c) {
                  byte[] b = new byte[c.size()];
                  c.data().get(b);
                  got.writeBytes(b);
                }
              }
            });
    assertThat(t).isInstanceOf(ProviderException.class).hasMessageContaining(Fault.MESSAGE);
    assertThat(sha256(got.toByteArray())).isEqualTo(control().lastSession().audioSha256());
  }

  @Test
  void malformedFrameIsAProtocolError() {
    start(null);
    control().inject(new Fault.MalformedFrame(1));
    assertThat(catchThrowable(() -> speak(ws(), TEXT))).isInstanceOf(ProtocolException.class);
    assertThat(speak(ws(), "Works again.").audio()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void closeWithoutFinishIsATransportErrorNeverSuccess(boolean abrupt) {
    start(null);
    control().inject(new Fault.Disconnect(1, abrupt));
    Throwable t = catchThrowable(() -> speak(ws(), TEXT));
    assertThat(t).isInstanceOf(TransportException.class);
    assertThat(((VoicebridgeException) t).isRetryable()).isTrue();
  }

  @Test
  void badKeyIsAnAuthenticationErrorWithoutTheKey() {
    start(null);
    synth.close();
    String wrong = "wrong-key-abcdef";
    synth = synthesizer(wrong);
    Throwable t = catchThrowable(() -> speak(ws(), TEXT));
    assertThat(t).isInstanceOf(AuthenticationException.class).hasMessageNotContaining(wrong);
    Throwable h = catchThrowable(() -> speak(http(FishOptions.PER_FLUSH), TEXT));
    assertThat(h).isInstanceOf(AuthenticationException.class).hasMessageNotContaining(wrong);
  }

  // ------------------------------------------------------------------ HTTP

  @Test
  void httpPerSentenceSendsOneRequestPerSegmentInOrder() {
    start(null);
    Result r =
        speak(
            http(FishOptions.PER_SENTENCE),
            "Hello from Fish. ",
            "This is the ",
            "second sentence.");
    List<ServerRecord> all = control().sessions();
    assertThat(all)
        .extracting(x -> squash(x.text()))
        .containsExactly("Hello from Fish.", "This is the second sentence.");
    // the audio is the two responses back to back, each intact
    int offset = 0;
    for (ServerRecord rec : all) {
      byte[] part = Arrays.copyOfRange(r.audio(), offset, offset + (int) rec.audioBytesSent());
      assertThat(sha256(part)).isEqualTo(rec.audioSha256());
      offset += (int) rec.audioBytesSent();
    }
    assertThat(offset).isEqualTo(r.audio().length);
    assertThat(r.report().attributes()).containsEntry("transport", "http");
    assertThat(r.report().attributes()).containsEntry("http.requests", "2");
    assertThat(all.get(0).headers().get("model")).containsExactly(FishProvider.DEFAULT_MODEL);
  }

  @Test
  void httpPerFlushSendsOneRequestPerTurn() {
    start(null);
    SynthesisSession s = synth.open(http(FishOptions.PER_FLUSH));
    SynthesisStream stream = s.stream();
    s.sendText("First turn. ");
    s.sendText("Still the first turn.");
    s.flush();
    s.sendText("Second turn.");
    s.finish();
    byte[] audio = stream.readAllAudio();
    List<ServerRecord> all = control().sessions();
    assertThat(all)
        .extracting(x -> squash(x.text()))
        .containsExactly("First turn. Still the first turn.", "Second turn.");
    long total = all.stream().mapToLong(ServerRecord::audioBytesSent).sum();
    assertThat(audio.length).isEqualTo(total);
  }

  @Test
  void httpWavKeepsOneHeaderAcrossSegments() {
    start(null);
    Result r =
        speak(
            SynthesisOptions.builder()
                .format(AudioFormat.wav(16_000))
                .set(FishOptions.TRANSPORT, FishOptions.HTTP)
                .build(),
            "First sentence here. ",
            "Second sentence here.");
    List<ServerRecord> all = control().sessions();
    assertThat(all).hasSize(2);
    dev.voicebridge.audio.WavInfo info = dev.voicebridge.audio.Wav.read(r.audio());
    long secondHeader =
        all.get(1).audioBytesSent()
            - (r.audio().length - all.get(0).audioBytesSent()); // bytes dropped from the second
    assertThat(info.sampleRate()).isEqualTo(16_000);
    assertThat(secondHeader).isEqualTo(info.dataOffset());
  }
}
