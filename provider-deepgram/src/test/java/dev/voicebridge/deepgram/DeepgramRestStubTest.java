package dev.voicebridge.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.conformance.RecordingSubscriber;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** REST {@code POST /v1/speak} against a scripted loopback server. */
class DeepgramRestStubTest {
  private static final Map<String, String> AUDIO = Map.of("Content-Type", "audio/l16;rate=24000");

  private StubServer server;
  private StreamingSynthesizer synth;

  @AfterEach
  void stop() {
    if (synth != null) {
      synth.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private RecordingSubscriber run(SynthesisOptions options, String... turns) throws Exception {
    SynthesisSession s = synth.open(options);
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    for (int i = 0; i < turns.length; i++) {
      s.sendText(turns[i]);
      if (i < turns.length - 1) {
        s.flush();
      }
    }
    s.finish();
    assertThat(rec.awaitTerminal(Duration.ofSeconds(10))).isTrue();
    return rec;
  }

  private static SynthesisReport report(SynthesisSession s) throws Exception {
    return s.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static VoicebridgeException failure(SynthesisSession s) throws Exception {
    try {
      s.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (VoicebridgeException) e.getCause();
    }
    throw new AssertionError("the session did not fail");
  }

  @Test
  void oneRequestPerSentenceStreamedInOrderWithTheirIdsInTheReport() throws Exception {
    // the requests are pipelined, so the server may see them in either order: each answer is
    // named after its text, not after its arrival
    server =
        new StubServer(
            (ex, r) -> {
              int n = r.body().contains("First") ? 0 : 1;
              StubServer.stream(
                  ex,
                  Map.of(
                      "Content-Type",
                      "audio/l16;rate=24000",
                      "dg-request-id",
                      "req-" + n,
                      "dg-char-count",
                      Integer.toString(r.body().length() - 11)),
                  new byte[] {(byte) n, 1},
                  new byte[] {(byte) n, 2, 3},
                  new byte[] {4});
            });
    synth = server.synthesizer("http");
    SynthesisSession s = synth.open(SynthesisOptions.defaults());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText("First sentence here. Second one");
    s.sendText(" follows.");
    s.finish();
    SynthesisReport report = report(s);
    assertThat(server.requests).hasSize(2);
    assertThat(server.requests)
        .allSatisfy(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.query())
                  .isEqualTo(
                      "model=aura-2-thalia-en&encoding=linear16&sample_rate=24000&container=none");
              assertThat(r.headers())
                  .containsEntry("authorization", "Token " + StubServer.KEY)
                  .containsEntry("content-type", "application/json");
            });
    assertThat(server.requests.stream().map(StubServer.Request::body))
        .containsExactlyInAnyOrder(
            "{\"text\":\"First sentence here.\"}", "{\"text\":\"Second one follows.\"}");
    // bodies in the order of the text, whatever order the server answered in
    assertThat(rec.audio()).containsExactly(0, 1, 0, 2, 3, 4, 1, 1, 1, 2, 3, 4);
    assertThat(report.attributes())
        .containsEntry("transport", "http")
        .containsEntry("request-id", "req-0,req-1")
        .containsEntry("char-count", Integer.toString(20 + 19))
        .containsEntry("http.requests", "2");
  }

  @Test
  void theNextRequestGoesOutWhileThePreviousBodyIsStillOpen() throws Exception {
    CountDownLatch second = new CountDownLatch(1);
    AtomicBoolean overlapped = new AtomicBoolean();
    server =
        new StubServer(
            (ex, r) -> {
              if (r.index() == 0) {
                // hold the first response until the second request arrived (or give up)
                overlapped.set(second.await(5, TimeUnit.SECONDS));
              } else {
                second.countDown();
              }
              StubServer.stream(
                  ex, AUDIO, new byte[] {(byte) (r.body().contains("One") ? 0 : 1), 0});
            });
    synth = server.synthesizer("http");
    RecordingSubscriber rec =
        run(SynthesisOptions.defaults(), "One sentence first. And then a second one.");
    assertThat(rec.completed()).isTrue();
    assertThat(overlapped).isTrue();
    assertThat(rec.audio()).containsExactly(0, 0, 1, 0);
  }

  @Test
  void perFlushRequestsAndTheirLimit() throws Exception {
    server = new StubServer((ex, r) -> StubServer.stream(ex, AUDIO, new byte[] {7, 7}));
    synth = server.synthesizer("http");
    SynthesisOptions perFlush =
        SynthesisOptions.builder()
            .set(DeepgramOptions.HTTP_REQUEST_UNIT, DeepgramOptions.PER_FLUSH)
            .build();
    RecordingSubscriber rec = run(perFlush, "One. Two.", "Three.");
    assertThat(rec.completed()).isTrue();
    assertThat(server.requests.stream().map(StubServer.Request::body))
        .containsExactlyInAnyOrder("{\"text\":\"One. Two.\"}", "{\"text\":\"Three.\"}");

    int before = server.requests.size();
    RecordingSubscriber tooLong = run(perFlush, "word ".repeat(500));
    assertThat(tooLong.error())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("2000");
    assertThat(server.requests).hasSize(before);
  }

  @Test
  void wavOverSeveralRequestsIsOneStreamWithOneHeader() throws Exception {
    server = new StubServer((ex, r) -> StubServer.stream(ex, AUDIO, new byte[] {1, 0, 2, 0}));
    synth = server.synthesizer("http");
    RecordingSubscriber rec =
        run(SynthesisOptions.builder().format(AudioFormat.wav(24_000)).build(), "One. Two.");
    byte[] wav = rec.audio();
    assertThat(Wav.read(wav).sampleRate()).isEqualTo(24_000);
    assertThat(Arrays.copyOfRange(wav, Wav.HEADER_BYTES, wav.length))
        .containsExactly(1, 0, 2, 0, 1, 0, 2, 0);
  }

  @Test
  void mp3AndOpusAreAskedForAsDeepgramSpellsThem() throws Exception {
    server =
        new StubServer(
            (ex, r) -> StubServer.stream(ex, Map.of("Content-Type", "audio/mpeg"), new byte[] {9}));
    synth = server.synthesizer("http");
    run(
        SynthesisOptions.builder()
            .format(AudioFormat.mp3(22_050))
            .set(DeepgramOptions.BIT_RATE, 32_000)
            .build(),
        "Hi.");
    run(SynthesisOptions.builder().format(AudioFormat.opus()).build(), "Hi.");
    assertThat(server.requests.get(0).query())
        .isEqualTo("model=aura-2-thalia-en&encoding=mp3&bit_rate=32000");
    assertThat(server.requests.get(1).query()).isEqualTo("model=aura-2-thalia-en&encoding=opus");
  }

  @Test
  void errorBodiesAreMappedAndTheKeyNeverShown() throws Exception {
    server =
        new StubServer(
            (ex, r) ->
                StubServer.respond(
                    ex,
                    401,
                    Map.of("Content-Type", "application/json", "dg-request-id", "req-401"),
                    "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\","
                        + "\"request_id\":\"req-401\"}"));
    synth = server.synthesizer("http");
    SynthesisSession s = synth.open(SynthesisOptions.defaults());
    s.events().subscribe(new RecordingSubscriber());
    s.sendText("Hello.");
    s.finish();
    VoicebridgeException e = failure(s);
    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("Invalid credentials.")
        .contains("INVALID_AUTH")
        .contains("req-401")
        .doesNotContain(StubServer.KEY);
  }

  @Test
  void a429IsRetryableWithItsDelayAndNotRetriedSilently() throws Exception {
    server =
        new StubServer(
            (ex, r) ->
                StubServer.respond(
                    ex,
                    429,
                    Map.of("Content-Type", "application/json", "Retry-After", "3"),
                    "{\"err_code\":\"Too Many Requests\",\"err_msg\":\"Please try again later.\"}"));
    synth = server.synthesizer("http");
    SynthesisSession s = synth.open(SynthesisOptions.defaults());
    s.events().subscribe(new RecordingSubscriber());
    s.sendText("Hello.");
    s.finish();
    VoicebridgeException e = failure(s);
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void anHtmlPageIsNotAudio() throws Exception {
    server =
        new StubServer(
            (ex, r) ->
                StubServer.respond(
                    ex, 200, Map.of("Content-Type", "text/html"), "<html>captive portal</html>"));
    synth = server.synthesizer("http");
    RecordingSubscriber rec = run(SynthesisOptions.defaults(), "Hello.");
    assertThat(rec.error()).isInstanceOf(ProtocolException.class).hasMessageContaining("not audio");
    assertThat(rec.audio()).isEmpty();
  }
}
