package dev.voicebridge.cartesia.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.TransportException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.cartesia.CartesiaOptions;
import dev.voicebridge.cartesia.internal.Harness.Link;
import dev.voicebridge.cartesia.internal.Harness.Session;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions as contexts of shared sockets, against scripted server sockets. */
class MultiContextBackendTest {
  private Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private String config(SynthesisOptions o) {
    return CartesiaCodec.config(CartesiaRequest.plan(o, h.settings));
  }

  private static String id(Session s) {
    return s.session().report().attributes().get("context_id");
  }

  static String chunk(String ctx, byte[] audio, Integer flushId) {
    return "{\"type\":\"chunk\",\"data\":\""
        + Base64.getEncoder().encodeToString(audio)
        + "\",\"done\":false,\"status_code\":206,\"step_time\":12.5,\"context_id\":\""
        + ctx
        + "\""
        + (flushId == null ? "" : ",\"flush_id\":" + flushId)
        + "}";
  }

  static String words(String ctx, int flushId, String words, String starts, String ends) {
    return "{\"type\":\"timestamps\",\"done\":false,\"status_code\":206,\"context_id\":\""
        + ctx
        + "\",\"flush_id\":"
        + flushId
        + ",\"word_timestamps\":{\"words\":["
        + words
        + "],\"start\":["
        + starts
        + "],\"end\":["
        + ends
        + "]}}";
  }

  static String flushDone(String ctx, int flushId) {
    return "{\"type\":\"flush_done\",\"done\":false,\"flush_done\":true,\"flush_id\":"
        + flushId
        + ",\"status_code\":206,\"context_id\":\""
        + ctx
        + "\"}";
  }

  static String done(String ctx) {
    return "{\"type\":\"done\",\"done\":true,\"status_code\":206,\"context_id\":\"" + ctx + "\"}";
  }

  static String error(String ctx, int status, String code, String title, String message) {
    return "{\"type\":\"error\",\"done\":true,\"status_code\":"
        + status
        + ",\"error_code\":\""
        + code
        + "\",\"title\":\""
        + title
        + "\",\"message\":\""
        + message
        + "\",\"request_id\":\"r-1\",\"context_id\":\""
        + ctx
        + "\"}";
  }

  private static SynthesisReport completed(Session s) throws Exception {
    return s.session().completion().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Throwable failure(Session s) throws Exception {
    try {
      s.session().completion().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the session did not fail");
  }

  @Test
  void textFlushAndFinishGoOutAsTheirOwnMessagesWithTheFullConfiguration() throws Exception {
    Session s = h.open();
    String ctx = id(s);
    String cfg = config(SynthesisOptions.defaults());
    s.session().sendText("Hello ");
    s.session().sendText("world.");
    s.session().flush();
    s.session().sendText(" Again.");
    s.session().finish();
    Link link = h.link(0);
    assertThat(link.sent())
        .containsExactly(
            CartesiaCodec.continuation(cfg, ctx, "Hello "),
            CartesiaCodec.continuation(cfg, ctx, "world."),
            CartesiaCodec.flush(cfg, ctx),
            CartesiaCodec.continuation(cfg, ctx, " Again."),
            CartesiaCodec.finish(cfg, ctx));
    link.server(chunk(ctx, new byte[] {1, 2}, 1));
    link.server(flushDone(ctx, 1));
    link.server(chunk(ctx, new byte[] {3, 4}, 2));
    assertThat(s.session().completion().toCompletableFuture()).isNotDone();
    link.server(done(ctx));
    SynthesisReport r = completed(s);
    assertThat(s.rec().audio()).containsExactly(1, 2, 3, 4);
    assertThat(r.attributes()).containsEntry("transport", "websocket");
    assertThat(r.connectionReused()).isFalse();
    // the key and the version in headers, nothing in the URL
    assertThat(link.uri).isEqualTo(URI.create("ws://127.0.0.1:1/tts/websocket"));
    assertThat(link.headers)
        .containsEntry("Authorization", "Bearer " + Harness.KEY)
        .containsEntry("Cartesia-Version", "2026-08-14");
  }

  @Test
  void sessionsShareOneSocketAndFramesGoToTheirContext() throws Exception {
    Session a = h.open();
    Session b = h.open();
    a.session().sendText("One.");
    b.session().sendText("Two.");
    a.session().finish();
    b.session().finish();
    assertThat(h.links).hasSize(1);
    Link link = h.link(0);
    String ca = id(a);
    String cb = id(b);
    assertThat(ca).isNotEqualTo(cb);
    link.server(chunk(cb, new byte[] {20, 20}, 1));
    link.server(chunk(ca, new byte[] {10, 10}, 1));
    link.server(chunk("someone-else", new byte[] {99, 99}, 1)); // a context that is not ours
    link.server(done(ca));
    link.server(chunk(cb, new byte[] {21, 21}, 1));
    link.server(done(cb));
    completed(a);
    completed(b);
    assertThat(a.rec().audio()).containsExactly(10, 10);
    assertThat(b.rec().audio()).containsExactly(20, 20, 21, 21);
    assertThat(completed(b).connectionReused()).isTrue();

    // the socket stays for the next session
    Session c = h.open();
    c.session().sendText("Three.");
    c.session().finish();
    assertThat(h.links).hasSize(1);
    link.server(done(id(c)));
    assertThat(completed(c).connectionReused()).isTrue();
  }

  @Test
  void moreSessionsThanTheCapOpenAnotherSocket() throws Exception {
    h.close();
    h = new Harness(Map.of("max-contexts-per-socket", "2"));
    Session a = h.open();
    Session b = h.open();
    Session c = h.open();
    assertThat(h.links).hasSize(2);
    for (Session s : List.of(a, b, c)) {
      s.session().finish();
      completed(s);
    }
  }

  @Test
  void cancelSendsCancelAndLeavesTheOtherContextsAlone() throws Exception {
    Session a = h.open();
    Session b = h.open();
    a.session().sendText("One.");
    b.session().sendText("Two.");
    b.session().finish();
    Link link = h.link(0);
    String ca = id(a);
    String cb = id(b);
    link.server(chunk(ca, new byte[] {1, 1}, 1));
    assertThat(a.rec().awaitFirstAudio(Duration.ofSeconds(5))).isTrue();
    a.session().cancel();
    a.rec().fence();
    assertThat(link.sent()).contains(CartesiaCodec.cancel(ca));
    assertThat(link.sent().get(link.sent().size() - 1)).isEqualTo(CartesiaCodec.cancel(ca));
    // what the server still sends for the cancelled context, an error among it, is nobody's
    link.server(chunk(ca, new byte[] {2, 2}, 1));
    link.server(error(ca, 500, "internal", "Oops", "late"));
    link.server(done(ca));
    link.server(chunk(cb, new byte[] {3, 3}, 1));
    link.server(done(cb));
    completed(b);
    assertThat(b.rec().audio()).containsExactly(3, 3);
    assertThat(a.rec().eventsAfterFence()).isZero();
    assertThat(failure(a)).isInstanceOf(SynthesisCancelledException.class);
    assertThat(a.rec().terminalSignals()).isEqualTo(1);
    // the socket survived
    Session c = h.open();
    assertThat(h.links).hasSize(1);
    c.session().finish();
    completed(c);
  }

  @Test
  void aLongTextCancelledRetiresItsSocketSoTheNextSessionIsNotBehindItsBacklog() throws Exception {
    Session a = h.open();
    String sentence = "This sentence is one of many in a very long answer. ";
    a.session().sendText(sentence.repeat(2_000 / sentence.length() + 1));
    a.session().finish();
    Link link = h.link(0);
    link.server(chunk(id(a), new byte[] {1, 1}, null));
    assertThat(a.rec().awaitFirstAudio(Duration.ofSeconds(5))).isTrue();
    a.session().cancel();
    assertThat(failure(a)).isInstanceOf(SynthesisCancelledException.class);
    assertThat(link.sent()).contains(CartesiaCodec.cancel(id(a)));
    Session c = h.open();
    assertThat(h.links).as("a fresh socket for the next session").hasSize(2);
    c.session().finish();
    completed(c);
  }

  @Test
  void aCancelBeforeAnyTextSendsNothing() throws Exception {
    Session a = h.open();
    a.session().cancel();
    assertThat(failure(a)).isInstanceOf(SynthesisCancelledException.class);
    assertThat(h.link(0).sent()).isEmpty();
  }

  @Test
  void anErrorFrameEndsOnlyItsContextAndTheSocketTakesNoNewOne() throws Exception {
    Session a = h.open();
    Session b = h.open();
    a.session().sendText("One.");
    b.session().sendText("Two.");
    a.session().finish();
    b.session().finish();
    Link link = h.link(0);
    link.server(
        error(
            id(a),
            429,
            "concurrency_limited",
            "Too many concurrent requests",
            "You have exceeded your plan's concurrency limit."));
    Throwable e = failure(a);
    assertThat(e)
        .isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("concurrency_limited")
        .hasMessageContaining("You have exceeded");
    assertThat(((RateLimitedException) e).isRetryable()).isTrue();
    // a's finish crossed its error on the wire: the server answers it with another error for a,
    // which must end nothing else (it did end b, before)
    link.server(
        error(
            id(a),
            400,
            "invalid_request",
            "Invalid request",
            "Context " + id(a) + " is no longer active: send new input on a new context_id."));
    link.server(chunk(id(b), new byte[] {5, 5}, 1));
    link.server(done(id(b)));
    completed(b);
    assertThat(b.rec().audio()).containsExactly(5, 5);
    Session c = h.open();
    assertThat(h.links).as("an erring socket is retired").hasSize(2);
    c.session().finish();
    completed(c);
  }

  @Test
  void theErrorFrameOfEarlierVersionsIsReadToo() throws Exception {
    h.close();
    h = new Harness(Map.of("version", "2024-11-13"));
    Session a = h.open();
    a.session().sendText("Hi.");
    a.session().finish();
    assertThat(h.link(0).headers).containsEntry("Cartesia-Version", "2024-11-13");
    h.link(0)
        .server(
            "{\"type\":\"error\",\"done\":true,\"error\":\"Invalid model: The model is not valid,"
                + " make sure it is a valid model ID.\",\"status_code\":400,\"context_id\":\""
                + id(a)
                + "\"}");
    assertThat(failure(a))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Invalid model: The model is not valid");
  }

  @Test
  void anErrorFrameWithoutAContextEndsEveryContext() throws Exception {
    Session a = h.open();
    Session b = h.open();
    a.session().sendText("One.");
    b.session().sendText("Two.");
    h.link(0).server("{\"type\":\"error\",\"done\":true,\"status_code\":500,\"message\":\"boom\"}");
    assertThat(failure(a)).isInstanceOf(ProviderUnavailableException.class);
    assertThat(failure(b)).isInstanceOf(ProviderUnavailableException.class);
  }

  @Test
  void aCloseMidContextFailsEveryContextOnTheSocket() throws Exception {
    Session a = h.open();
    Session b = h.open();
    a.session().sendText("One.");
    b.session().sendText("Two.");
    a.session().finish();
    Link link = h.link(0);
    link.server(chunk(id(a), new byte[] {1, 1}, 1));
    link.server(chunk(id(b), new byte[] {2, 2}, 1));
    link.socket.serverClose(1011, "going away");
    Throwable ea = failure(a);
    Throwable eb = failure(b);
    assertThat(ea).isInstanceOf(TransportException.class).hasMessageContaining("1011");
    assertThat(eb).isInstanceOf(TransportException.class);
    assertThat(((TransportException) ea).isRetryable()).isTrue();
    assertThat(a.rec().audio()).containsExactly(1, 1); // the prefix is kept
    assertThat(h.synth.webSockets()).isZero();
  }

  @Test
  void aResetMidContextFailsTheContext() throws Exception {
    Session a = h.open();
    a.session().sendText("One.");
    h.link(0).socket.fail(new java.io.IOException("Connection reset"));
    assertThat(failure(a)).isInstanceOf(TransportException.class);
  }

  @Test
  void anIdleSocketClosedByTheServerIsReplacedForTheNextSession() throws Exception {
    Session a = h.open();
    a.session().sendText("One.");
    a.session().finish();
    h.link(0).server(done(id(a)));
    completed(a);
    // the vendor closes sockets idle for 5 minutes
    h.link(0).socket.serverClose(1000, "idle timeout");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> h.synth.webSockets() == 0);
    Session b = h.open();
    b.session().sendText("Two.");
    b.session().finish();
    assertThat(h.links).hasSize(2);
    h.link(1).server(done(id(b)));
    assertThat(completed(b).connectionReused()).isFalse();
  }

  @Test
  void aSocketIdleForTheIdleTimeoutIsClosedByTheClient() throws Exception {
    h.close();
    h = new Harness(Map.of("idle-timeout", "50ms"));
    Session a = h.open();
    a.session().sendText("One.");
    a.session().finish();
    h.link(0).server(done(id(a)));
    completed(a);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> h.synth.webSockets() == 0 && !h.link(0).socket.sentCloses().isEmpty());
    Session b = h.open();
    assertThat(h.links).hasSize(2);
    b.session().finish();
    completed(b);
  }

  @Test
  void aReusedSocketClosedBeforeItAnsweredMovesTheSessionToAFreshOne() throws Exception {
    Session a = h.open();
    a.session().sendText("One.");
    a.session().finish();
    h.link(0).server(done(id(a)));
    completed(a);
    Session b = h.open();
    b.session().sendText("Two ");
    b.session().sendText("words.");
    List<String> sentOnFirst = new ArrayList<>(h.link(0).sent());
    h.link(0).socket.serverClose(1000, "idle timeout"); // crossed the new context on the wire
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> h.links.size() == 2);
    String cfg = config(SynthesisOptions.defaults());
    assertThat(h.link(1).sent())
        .containsExactly(
            CartesiaCodec.continuation(cfg, id(b), "Two "),
            CartesiaCodec.continuation(cfg, id(b), "words."));
    assertThat(sentOnFirst).endsWith(CartesiaCodec.continuation(cfg, id(b), "words."));
    b.session().finish();
    h.link(1).server(chunk(id(b), new byte[] {7, 7}, 1));
    h.link(1).server(done(id(b)));
    SynthesisReport r = completed(b);
    assertThat(r.attributes()).containsEntry("connection.replaced", "true");
    assertThat(b.rec().audio()).containsExactly(7, 7);
  }

  @Test
  void aDoneBeforeTheFinishIsAnError() throws Exception {
    Session a = h.open();
    a.session().sendText("One.");
    a.session().flush();
    h.link(0).server(chunk(id(a), new byte[] {1, 1}, 1));
    h.link(0).server(done(id(a)));
    assertThat(failure(a))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("before the end of input");
  }

  @Test
  void aSessionWithoutTextSendsNothingAndCompletes() throws Exception {
    Session a = h.open();
    a.session().finish();
    completed(a);
    assertThat(a.rec().audio()).isEmpty();
    assertThat(h.link(0).sent()).isEmpty();
  }

  @Test
  void unknownFrameTypesAreIgnoredWithOneWarning() throws Exception {
    Session a = h.open();
    a.session().sendText("Hi.");
    a.session().finish();
    String ctx = id(a);
    h.link(0).server("{\"type\":\"progress\",\"context_id\":\"" + ctx + "\",\"done\":false}");
    h.link(0).server("{\"type\":\"progress\",\"context_id\":\"" + ctx + "\",\"done\":false}");
    h.link(0).server(chunk(ctx, new byte[] {1, 2}, null));
    h.link(0).server(done(ctx));
    SynthesisReport r = completed(a);
    assertThat(r.warnings()).filteredOn(w -> w.contains("progress")).hasSize(1);
    assertThat(a.rec().audio()).containsExactly(1, 2);
  }

  @Test
  void malformedJsonBadBase64AndBinaryFramesAreProtocolErrors() throws Exception {
    for (String bad :
        List.of(
            "{\"type\":\"chunk\",",
            "{\"type\":\"chunk\",\"data\":\"%%%not base64\",\"context_id\":\"CTX\"}",
            "[1,2]",
            "{\"data\":\"AAAA\",\"context_id\":\"CTX\"}")) {
      Session a = h.open();
      a.session().sendText("Hi.");
      Link link = h.links.get(h.links.size() - 1);
      link.server(bad.replace("CTX", id(a)));
      assertThat(failure(a)).as(bad).isInstanceOf(ProtocolException.class);
    }
    Session b = h.open();
    b.session().sendText("Hi.");
    h.links.get(h.links.size() - 1).socket.serverBinary(ByteBuffer.wrap(new byte[] {1, 2}));
    assertThat(failure(b)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void wordTimingsStayMonotonicAcrossFlushesWhetherTheServerRestartsItsClockOrNot()
      throws Exception {
    for (boolean restarts : new boolean[] {false, true}) {
      Session a = h.open(SynthesisOptions.builder().format(AudioFormat.pcm(24000)).build());
      String ctx = id(a);
      Link link = h.links.get(h.links.size() - 1);
      a.session().sendText("Hello there.");
      a.session().flush();
      a.session().sendText(" Again now.");
      a.session().finish();
      link.server(chunk(ctx, new byte[48000], 1)); // one second
      link.server(words(ctx, 1, "\"Hello\",\"there.\"", "0,0.5", "0.4,0.9"));
      link.server(flushDone(ctx, 1));
      String base = restarts ? "0" : "1";
      link.server(
          words(
              ctx,
              2,
              "\" Again\",\"now.\"",
              base + ".0," + base + ".5",
              base + ".4," + base + ".8"));
      link.server(chunk(ctx, new byte[24000], 2));
      link.server(done(ctx));
      completed(a);
      assertThat(a.rec().timings())
          .as("server clock restarts: %s", restarts)
          .containsExactly(
              WordTiming.of("Hello", Duration.ZERO, Duration.ofMillis(400)),
              WordTiming.of("there.", Duration.ofMillis(500), Duration.ofMillis(900)),
              WordTiming.of("Again", Duration.ofMillis(1000), Duration.ofMillis(1400)),
              WordTiming.of("now.", Duration.ofMillis(1500), Duration.ofMillis(1800)));
    }
  }

  @Test
  void wordTimestampsCanBeTurnedOffAndPhonemesReachTheirListener() throws Exception {
    List<CartesiaOptions.PhonemeTiming> phonemes = new CopyOnWriteArrayList<>();
    SynthesisOptions o =
        SynthesisOptions.builder()
            .set(CartesiaOptions.WORD_TIMESTAMPS, false)
            .set(CartesiaOptions.PHONEME_TIMINGS, phonemes::add)
            .build();
    Session a = h.open(o);
    String ctx = id(a);
    a.session().sendText("Hi.");
    a.session().finish();
    assertThat(h.link(0).sent().get(0))
        .doesNotContain("add_timestamps")
        .contains("\"add_phoneme_timestamps\":true");
    h.link(0).server(chunk(ctx, new byte[4800], 1));
    h.link(0).server(words(ctx, 1, "\"Hi.\"", "0", "0.1"));
    h.link(0)
        .server(
            "{\"type\":\"phoneme_timestamps\",\"done\":false,\"status_code\":206,\"context_id\":\""
                + ctx
                + "\",\"phoneme_timestamps\":{\"phonemes\":[\"h\",\"aɪ\"],\"start\":[0.0,0.05],"
                + "\"end\":[0.05,0.1]}}");
    h.link(0).server(done(ctx));
    completed(a);
    assertThat(a.rec().timings()).isEmpty();
    assertThat(phonemes)
        .containsExactly(
            new CartesiaOptions.PhonemeTiming("h", Duration.ZERO, Duration.ofMillis(50)),
            new CartesiaOptions.PhonemeTiming("aɪ", Duration.ofMillis(50), Duration.ofMillis(100)));
  }

  @Test
  void float32WireAudioIsConvertedAndWavIsWrappedLocally() throws Exception {
    Session a =
        h.open(
            SynthesisOptions.builder()
                .format(AudioFormat.wav(16000))
                .set(CartesiaOptions.WIRE_ENCODING, "pcm_f32le")
                .build());
    String ctx = id(a);
    a.session().sendText("Hi.");
    a.session().finish();
    assertThat(h.link(0).sent().get(0))
        .contains(
            "\"output_format\":{\"container\":\"raw\",\"encoding\":\"pcm_f32le\","
                + "\"sample_rate\":16000}");
    ByteBuffer f = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    f.putFloat(0.5f).putFloat(-1.0f);
    byte[] all = f.array();
    // split inside a sample
    h.link(0).server(chunk(ctx, java.util.Arrays.copyOfRange(all, 0, 3), 1));
    h.link(0).server(chunk(ctx, java.util.Arrays.copyOfRange(all, 3, 8), 1));
    h.link(0).server(done(ctx));
    completed(a);
    byte[] out = a.rec().audio();
    assertThat(new String(out, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(out).hasSize(44 + 4);
    ByteBuffer pcm = ByteBuffer.wrap(out, 44, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(pcm.getShort()).isEqualTo((short) 16384);
    assertThat(pcm.getShort()).isEqualTo((short) -32767);
  }

  @Test
  void aHostileVoiceIdStaysInTheJsonBody() throws Exception {
    String voice = "../../admin?api_key=x\"}";
    Session a = h.open(SynthesisOptions.builder().voice(voice).build());
    a.session().sendText("Hi.");
    assertThat(h.link(0).uri.getRawPath()).isEqualTo("/tts/websocket");
    assertThat(h.link(0).uri.getRawQuery()).isNull();
    assertThat(h.link(0).sent().get(0)).contains("\"voice\":\"../../admin?api_key=x\\\"}\"");
    a.session().cancel();
  }

  @Test
  void anOlderVersionSendsTheVoiceAsAnIdObject() throws Exception {
    h.close();
    h = new Harness(Map.of("version", "2026-03-01", "voice", "v-123"));
    Session a = h.open();
    a.session().sendText("Hi.");
    assertThat(h.link(0).sent().get(0)).contains("\"voice\":{\"mode\":\"id\",\"id\":\"v-123\"}");
    a.session().cancel();
  }
}
