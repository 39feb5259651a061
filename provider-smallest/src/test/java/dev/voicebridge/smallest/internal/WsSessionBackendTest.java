package dev.voicebridge.smallest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.Ticker;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket session logic against a scripted fake connection. */
class WsSessionBackendTest {
  private static final RequestSettings REQ =
      RequestSettings.minimal("liam", "lightning_v3.1", 24000);
  private static final String FLUSH = SmallestCodec.flushMessage(REQ);

  private final FakeConnector connector = new FakeConnector();
  private final List<SynthesisEvent> events = new CopyOnWriteArrayList<>();
  private ScheduledThreadPoolExecutor timer;

  @AfterEach
  void stopTimer() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private SynthesisSession open() {
    return open(null, Duration.ZERO, Ticker.system());
  }

  private SynthesisSession open(ScheduledThreadPoolExecutor t, Duration keepAlive, Ticker ticker) {
    WsSessionBackend backend =
        new WsSessionBackend(connector, REQ, List.of("a warning"), t, keepAlive, ticker);
    SynthesisSession s =
        SynthesisSessions.open(
            "smallest",
            AudioFormat.pcm(24000),
            SessionSettings.defaults().withResponseTimeout(Duration.ofSeconds(10)),
            backend);
    s.events()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription sub) {
                sub.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(SynthesisEvent item) {
                events.add(item);
              }

              @Override
              public void onError(Throwable throwable) {}

              @Override
              public void onComplete() {}
            });
    return s;
  }

  private static String text(String t) {
    return SmallestCodec.textMessage(REQ, t);
  }

  private static String chunk(String requestId, byte[] pcm) {
    return "{\"session_id\":\"ws_1\",\"request_id\":\""
        + requestId
        + "\",\"status\":\"chunk\",\"data\":{\"audio\":\""
        + Base64.getEncoder().encodeToString(pcm)
        + "\"}}";
  }

  private static String complete(String requestId) {
    return "{\"session_id\":\"ws_1\",\"request_id\":\"" + requestId + "\",\"status\":\"complete\"}";
  }

  private static String word(String requestId, String w, double start, double end) {
    return "{\"request_id\":\""
        + requestId
        + "\",\"status\":\"word_timestamp\",\"data\":{\"id\":0,\"word\":\""
        + w
        + "\",\"start\":"
        + start
        + ",\"end\":"
        + end
        + "}}";
  }

  private static SynthesisReport done(SynthesisSession s) throws Exception {
    return s.completion().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static VoicebridgeException failure(SynthesisSession s) throws Exception {
    try {
      s.completion().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (VoicebridgeException) e.getCause();
    }
    throw new AssertionError("the session did not fail");
  }

  private byte[] audio() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (SynthesisEvent e : events) {
      if (e instanceof AudioChunk c) {
        out.writeBytes(c.bytes());
      }
    }
    return out.toByteArray();
  }

  private List<WordTiming> words() {
    List<WordTiming> w = new ArrayList<>();
    for (SynthesisEvent e : events) {
      if (e instanceof WordTiming t) {
        w.add(t);
      }
    }
    return w;
  }

  @Test
  void tokensGoWithContinueAndTheLastSpeakableTokenWaitsForTheFlush() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hello");
    s.sendText(" world");
    s.sendText(".");
    s.sendText(" How");
    assertThat(link.sent).containsExactly(text("Hello"), text(" world."));
    s.finish();
    assertThat(link.sent).containsExactly(text("Hello"), text(" world."), text(" How"), FLUSH);
    link.server(chunk("task_1", new byte[] {1, 2}));
    assertThat(s.completion().toCompletableFuture()).isNotDone();
    link.server(complete("task_1"));
    SynthesisReport report = done(s);
    assertThat(audio()).containsExactly(1, 2);
    assertThat(report.warnings()).contains("a warning");
    assertThat(report.attributes()).containsEntry("transport", "websocket");
    assertThat(connector.released).containsExactly(link);
    assertThat(link.aborted).isFalse();
  }

  @Test
  void noFlushWhenNothingWasSentSinceTheLastOne() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hi.");
    s.flush();
    s.finish();
    assertThat(link.sent).containsExactly(text("Hi."), FLUSH);
    link.server(chunk("t1", new byte[] {7, 7}));
    link.server(complete("t1"));
    done(s);
    assertThat(audio()).containsExactly(7, 7);
  }

  @Test
  void emptySessionCompletesWithoutSendingAnything() throws Exception {
    SynthesisSession s = open();
    s.finish();
    done(s);
    assertThat(connector.links.get(0).sent).isEmpty();
    assertThat(connector.released).hasSize(1);
  }

  @Test
  void completesBeforeTheFinishArePerRequestAndDoNotEndTheSession() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("One.");
    s.flush();
    link.server(chunk("t1", new byte[] {1, 1}));
    link.server(complete("t1"));
    s.sendText("Two.");
    assertThat(s.completion().toCompletableFuture()).isNotDone();
    s.finish();
    assertThat(link.sent).containsExactly(text("One."), FLUSH, text("Two."), FLUSH);
    assertThat(s.completion().toCompletableFuture()).isNotDone();
    link.server(chunk("t2", new byte[] {2, 2}));
    link.server(complete("t2"));
    done(s);
    assertThat(audio()).containsExactly(1, 1, 2, 2);
  }

  @Test
  void finishAfterAnAnsweredFlushCompletesAtOnce() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("One.");
    s.flush();
    link.server(chunk("t1", new byte[] {1, 1}));
    link.server(complete("t1"));
    s.finish();
    done(s);
    assertThat(link.sent).containsExactly(text("One."), FLUSH);
  }

  @Test
  void aCompleteCrossingTheFinishIsNotTakenForTheLastRequest() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("One.");
    s.flush();
    link.server(chunk("t1", new byte[] {1, 1}));
    s.sendText("Two.");
    s.finish();
    link.server(complete("t1")); // sent by the server before it read "Two."
    assertThat(s.completion().toCompletableFuture()).isNotDone();
    link.server(chunk("t2", new byte[] {2, 2}));
    link.server(complete("t2"));
    done(s);
    assertThat(audio()).containsExactly(1, 1, 2, 2);
  }

  @Test
  void oneCompleteForSeveralBackToBackRequests() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("One.");
    s.flush();
    s.sendText("Two.");
    s.finish();
    link.server(chunk("t1", new byte[] {1, 1}));
    link.server(chunk("t2", new byte[] {2, 2}));
    link.server(complete("t2"));
    done(s);
    assertThat(audio()).containsExactly(1, 1, 2, 2);
  }

  @Test
  void legacyCompleteShapeEndsTheSession() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hi.");
    s.finish();
    link.server(chunk("r", new byte[] {1, 2}));
    link.server(
        "{\"request_id\":\"r\",\"status\":\"complete\",\"message\":\"All chunks sent\","
            + "\"done\":true}");
    done(s);
  }

  @Test
  void oddLengthChunksAreJoined() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hi.");
    s.finish();
    link.server(chunk("r", new byte[] {1, 2, 3}));
    link.server(chunk("r", new byte[] {4}));
    link.server(chunk("r", new byte[] {5, 6, 7}));
    link.server(chunk("r", new byte[] {8}));
    link.server(complete("r"));
    done(s);
    assertThat(audio()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    for (SynthesisEvent e : events) {
      if (e instanceof AudioChunk c) {
        assertThat(c.size() % 2).isZero();
      }
    }
  }

  @Test
  void wordTimestampsAreOffsetForEachServerRequest() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hello there.");
    s.flush();
    s.sendText("Again.");
    s.finish();
    link.server(word("t1", "Hello", 0.0, 0.4));
    link.server(chunk("t1", new byte[24000])); // 0.5 s at 24 kHz
    link.server(word("t1", " there. ", 0.45, 0.5));
    link.server(word("t2", "Again.", 0.1, 0.3)); // times restart for the new request id
    link.server(chunk("t2", new byte[24000]));
    link.server(complete("t2"));
    done(s);
    assertThat(words())
        .containsExactly(
            WordTiming.of("Hello", Duration.ZERO, Duration.ofMillis(400)),
            WordTiming.of("there.", Duration.ofMillis(450), Duration.ofMillis(500)),
            WordTiming.of("Again.", Duration.ofMillis(600), Duration.ofMillis(800)));
  }

  @Test
  void closeBeforeCompleteIsATransportError() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hi.");
    s.finish();
    link.server(chunk("r", new byte[] {1, 2}));
    link.close(1000, "bye");
    VoicebridgeException e = failure(s);
    assertThat(e).isInstanceOf(TransportException.class).hasMessageContaining("before 'complete'");
    assertThat(e.isRetryable()).isTrue();
    assertThat(connector.released).isEmpty();
  }

  @Test
  void aReusedSocketClosedBeforeAnyAnswerIsReplacedAndTheTextResent() throws Exception {
    connector.nextReused = true;
    SynthesisSession s = open();
    FakeLink first = connector.links.get(0);
    s.sendText("Hello");
    s.sendText(" there.");
    assertThat(first.sent).containsExactly(text("Hello"));
    first.close(1000, "");
    FakeLink second = connector.links.get(1);
    assertThat(first.aborted).isTrue();
    assertThat(second.sent).containsExactly(text("Hello"));
    s.finish();
    assertThat(second.sent).containsExactly(text("Hello"), text(" there."), FLUSH);
    second.server(chunk("r", new byte[] {3, 4}));
    second.server(complete("r"));
    SynthesisReport report = done(s);
    assertThat(report.connectionReused()).isTrue();
    assertThat(report.attributes()).containsEntry("reconnected", "true");
    assertThat(audio()).containsExactly(3, 4);
  }

  @Test
  void aFreshSocketClosedBeforeAnyAnswerIsAnError() throws Exception {
    SynthesisSession s = open();
    s.sendText("Hello.");
    s.finish();
    connector.links.get(0).close(1011, "server error");
    assertThat(failure(s)).isInstanceOf(TransportException.class).hasMessageContaining("1011");
    assertThat(connector.links).hasSize(1);
  }

  @Test
  void textBeforeTheConnectionIsReadyIsQueuedInOrder() throws Exception {
    connector.hold = true;
    SynthesisSession s = open();
    s.sendText("Hello");
    s.sendText(" world.");
    s.finish();
    assertThat(connector.links).isEmpty();
    connector.releaseHeld();
    FakeLink link = connector.links.get(0);
    assertThat(link.sent).containsExactly(text("Hello"), text(" world."), FLUSH);
    link.server(chunk("r", new byte[] {1, 2}));
    link.server(complete("r"));
    done(s);
  }

  @Test
  void errorFramesOfBothShapesBecomeTypedExceptions() throws Exception {
    assertError(
        "{\"status\":\"error\",\"message\":\"injected fault\"}",
        ProviderUnavailableException.class);
    assertError(
        "{\"status\":\"error\",\"error\":{\"message\":\"injected fault\",\"code\":401}}",
        AuthenticationException.class);
    assertError(
        "{\"status\":\"error\",\"error\":{\"message\":\"injected fault\",\"code\":\"rate_limit\"}}",
        RateLimitedException.class);
    assertError(
        "{\"status\":\"error\",\"message\":\"injected fault: invalid voice_id\"}",
        InvalidRequestException.class);
    assertError(
        "{\"status\":\"error\",\"message\":\"Connection timed out after 60 seconds of inactivity\"}",
        TransportException.class);
  }

  private void assertError(String frame, Class<? extends VoicebridgeException> type)
      throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(connector.links.size() - 1);
    s.sendText("Hi.");
    s.finish();
    link.server(frame);
    VoicebridgeException e = failure(s);
    assertThat(e).isInstanceOf(type);
    assertThat(e.getMessage()).contains(frame.contains("inactivity") ? "inactivity" : "injected");
    assertThat(link.aborted).isTrue();
  }

  @Test
  void malformedFramesAndBinaryFramesAreProtocolErrors() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hi.");
    s.finish();
    link.server("{\"status\":\"chunk\",\"data\":{}}");
    assertThat(failure(s)).isInstanceOf(ProtocolException.class);
    assertThat(link.aborted).isTrue();

    SynthesisSession s2 = open();
    FakeLink link2 = connector.links.get(1);
    s2.sendText("Hi.");
    link2.handler.onProtocolError("a binary frame");
    assertThat(failure(s2)).isInstanceOf(ProtocolException.class).hasMessageContaining("binary");
  }

  @Test
  void unknownStatusesAreIgnoredWithAWarning() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hi.");
    s.finish();
    link.server("{\"status\":\"queued\"}");
    link.server(chunk("r", new byte[] {1, 2}));
    link.server(complete("r"));
    assertThat(done(s).warnings()).anyMatch(w -> w.contains("queued"));
  }

  @Test
  void cancelDiscardsTheSocket() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("Hi.");
    s.cancel();
    assertThat(link.aborted).isTrue();
    assertThat(connector.released).isEmpty();
    link.server(chunk("r", new byte[] {1, 2}));
    assertThat(audio()).isEmpty();
  }

  @Test
  void unflushedUnspeakableTextMakesTheSocketUnfitForReuse() throws Exception {
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText("...");
    s.finish();
    done(s);
    assertThat(link.sent).containsExactly(text("..."));
    assertThat(link.aborted).isTrue();
    assertThat(connector.released).isEmpty();
  }

  @Test
  void keepAliveIsSentWhenTheSessionIsIdle() throws Exception {
    timer = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "smallest-test-timer"));
    AtomicLong now = new AtomicLong();
    SynthesisSession s = open(timer, Duration.ofMillis(40), now::get);
    FakeLink link = connector.links.get(0);
    s.sendText("Hello");
    s.sendText(" there");
    assertThat(link.sent).containsExactly(text("Hello"));
    now.addAndGet(Duration.ofMillis(40).toNanos());
    assertThat(link.keepAlive.get(5, TimeUnit.SECONDS)).isEqualTo(text(" "));
    s.cancel();
  }

  // ------------------------------------------------------------------ fakes

  static final class FakeLink implements WsLink {
    final int id;
    final List<String> sent = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> keepAlive = new CompletableFuture<>();
    volatile Handler handler;
    volatile boolean open = true;
    volatile boolean aborted;
    final AtomicLong requests = new AtomicLong();

    FakeLink(int id) {
      this.id = id;
    }

    void server(String frame) {
      Handler h = handler;
      if (h != null) {
        h.onMessage(frame);
      }
    }

    void close(int code, String reason) {
      open = false;
      Handler h = handler;
      if (h != null) {
        h.onClosed(code, reason);
      }
    }

    @Override
    public int id() {
      return id;
    }

    @Override
    public CompletableFuture<Void> send(String text) {
      if (!open) {
        return CompletableFuture.failedFuture(new java.io.IOException("closed"));
      }
      sent.add(text);
      if (text.equals(SmallestCodec.textMessage(REQ, " "))) {
        keepAlive.complete(text);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void bind(Handler h) {
      handler = h;
    }

    @Override
    public void request() {
      requests.incrementAndGet();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void abort() {
      open = false;
      aborted = true;
    }
  }

  static final class FakeConnector implements WsConnector {
    final List<FakeLink> links = new CopyOnWriteArrayList<>();
    final List<WsLink> released = new CopyOnWriteArrayList<>();
    final ArrayDeque<CompletableFuture<Lease>> held = new ArrayDeque<>();
    volatile boolean nextReused;
    volatile boolean hold;

    private Lease lease(boolean reused) {
      FakeLink l = new FakeLink(links.size() + 1);
      links.add(l);
      return new Lease(l, reused);
    }

    @Override
    public CompletableFuture<Lease> acquire() {
      if (hold) {
        CompletableFuture<Lease> f = new CompletableFuture<>();
        held.add(f);
        return f;
      }
      boolean r = nextReused;
      nextReused = false;
      return CompletableFuture.completedFuture(lease(r));
    }

    void releaseHeld() {
      hold = false;
      CompletableFuture<Lease> f;
      while ((f = held.poll()) != null) {
        f.complete(lease(false));
      }
    }

    @Override
    public CompletableFuture<Lease> connectFresh() {
      return CompletableFuture.completedFuture(lease(false));
    }

    @Override
    public void release(WsLink link) {
      released.add(link);
    }
  }
}
