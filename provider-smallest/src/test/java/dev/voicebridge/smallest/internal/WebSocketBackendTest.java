package dev.voicebridge.smallest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.voicebridge.conformance.ScriptedWebSocket;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.kit.ws.WebSocketPool;
import dev.voicebridge.kit.ws.WebSocketSource;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The WebSocket session logic against a scripted server socket. */
class WebSocketBackendTest {
  private static final SmallestRequest REQ =
      SmallestRequest.minimal("liam", "lightning_v3.1", 24000);
  private static final String FLUSH = SmallestCodec.flushMessage(REQ);

  /**
   * The flush at the end of input: a short complete_backoff_ms, so 'complete' follows the audio.
   */
  private static final String FINISH =
      SmallestCodec.finishMessage(REQ, WebSocketBackend.FINISH_BACKOFF_MS);

  private final FakeSource connector = new FakeSource();
  private final List<SynthesisEvent> events = new CopyOnWriteArrayList<>();

  private SynthesisSession open() {
    return open(Duration.ZERO);
  }

  private SynthesisSession open(Duration keepAlive) {
    WebSocketBackend backend =
        new WebSocketBackend(connector, REQ, List.of("a warning"), keepAlive);
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
    assertThat(link.sent).containsExactly(text("Hello"), text(" world."), text(" How"), FINISH);
    assertThat(FINISH).contains("\"complete_backoff_ms\":300");
    assertThat(FLUSH).doesNotContain("complete_backoff_ms");
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
  void aLongTextGoesOutSentenceBySentenceSoTheServerCanStartOnTheFirst() throws Exception {
    String sentence =
        "Long answers are read aloud one sentence at a time, and the first must come. ";
    String longText = sentence.repeat(130).strip(); // about 10 KB
    SynthesisSession s = open();
    FakeLink link = connector.links.get(0);
    s.sendText(longText);
    // the first message is the first sentences, not the whole text
    assertThat(link.sent).hasSizeGreaterThan(30);
    assertThat(link.sent.get(0)).isEqualTo(text(sentence + sentence + sentence));
    s.finish();
    assertThat(link.sent.get(link.sent.size() - 1)).isEqualTo(FINISH);
    StringBuilder assembled = new StringBuilder();
    ObjectMapper json = new ObjectMapper();
    for (String m : link.sent.subList(0, link.sent.size() - 1)) {
      JsonNode n = json.readTree(m);
      assertThat(n.get("continue").asBoolean()).isTrue();
      assertThat(n.get("text").asText().length())
          .isLessThanOrEqualTo(WebSocketBackend.MAX_MESSAGE_CHARS);
      assembled.append(n.get("text").asText());
    }
    assertThat(assembled.toString()).isEqualTo(longText); // what the server buffers is unchanged
    link.server(chunk("t1", new byte[] {1, 2}));
    link.server(complete("t1"));
    done(s);
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
    assertThat(link.sent).containsExactly(text("One."), FLUSH, text("Two."), FINISH);
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
    assertThat(second.sent).containsExactly(text("Hello"), text(" there."), FINISH);
    second.server(chunk("r", new byte[] {3, 4}));
    second.server(complete("r"));
    SynthesisReport report = done(s);
    assertThat(report.connectionReused()).isTrue();
    assertThat(report.attributes()).containsEntry("connection.replaced", "true");
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
    assertThat(link.sent).containsExactly(text("Hello"), text(" world."), FINISH);
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
    link2.socket.serverBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2}));
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
    assertThat(link.retired).as("closed, not kept for reuse").isTrue();
    assertThat(connector.released).isEmpty();
  }

  @Test
  void keepAliveIsSentWhenTheSessionIsIdle() throws Exception {
    SynthesisSession s = open(Duration.ofMillis(40));
    FakeLink link = connector.links.get(0);
    s.sendText("Hello");
    s.sendText(" there");
    assertThat(link.sent).containsExactly(text("Hello"));
    assertThat(link.keepAlive.get(5, TimeUnit.SECONDS)).isEqualTo(text(" "));
    s.cancel();
  }

  // ------------------------------------------------------------------ fakes

  /** One connection as the test sees it: the client's side and the scripted server socket. */
  static final class FakeLink {
    final ScriptedWebSocket socket = new ScriptedWebSocket();
    final List<String> sent;
    final CompletableFuture<String> keepAlive = new CompletableFuture<>();
    WebSocketConnection connection;
    boolean aborted;
    boolean retired;

    FakeLink() {
      this.sent =
          new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
              return socket.sentText().get(i);
            }

            @Override
            public int size() {
              return socket.sentText().size();
            }
          };
      socket.onSend(
          t -> {
            if (t.equals(SmallestCodec.textMessage(REQ, " "))) {
              keepAlive.complete(t);
            }
          });
    }

    void server(String frame) {
      socket.serverText(frame);
    }

    void close(int code, String reason) {
      socket.serverClose(code, reason);
    }
  }

  /** Hands out connections to scripted sockets and records what the session did with them. */
  final class FakeSource implements WebSocketSource {
    final List<FakeLink> links = new CopyOnWriteArrayList<>();
    final List<FakeLink> released = new CopyOnWriteArrayList<>();
    final List<Runnable> held = new CopyOnWriteArrayList<>();
    volatile boolean nextReused;
    volatile boolean hold;

    private WebSocketConnection connection(WebSocketConnection.Listener listener) {
      FakeLink link = new FakeLink();
      WebSocketConnection c =
          WebSocketConnection.create(
              WebSocketConnection.Options.builder(
                      "smallest",
                      java.net.URI.create("ws://127.0.0.1:1/waves/v1/tts/live"),
                      java.net.http.HttpClient.newBuilder().build())
                  .accept(WebSocketConnection.Accept.TEXT, false)
                  .pingAfter(Duration.ZERO)
                  .connector(
                      (uri, headers, timeout, l) -> {
                        if (!hold) {
                          links.add(link);
                          return link.socket.open(l);
                        }
                        CompletableFuture<java.net.http.WebSocket> f = new CompletableFuture<>();
                        held.add(
                            () -> {
                              links.add(link);
                              link.socket.open(l);
                              f.complete(link.socket);
                            });
                        return f;
                      })
                  .build(),
              listener);
      link.connection = c;
      return c;
    }

    void releaseHeld() {
      hold = false;
      held.forEach(Runnable::run);
      held.clear();
    }

    private FakeLink linkOf(WebSocketConnection c) {
      for (FakeLink l : links) {
        if (l.connection == c) {
          return l;
        }
      }
      throw new AssertionError("not a connection of this source: " + c);
    }

    @Override
    public WebSocketPool.Lease acquire(WebSocketConnection.Listener listener) {
      boolean reused = nextReused;
      nextReused = false;
      WebSocketConnection c = connection(listener);
      if (reused) {
        // a pooled connection: open, and reading (as the pool's idle reader left it)
        c.connect();
        c.request();
      }
      return new WebSocketPool.Lease(c, reused);
    }

    @Override
    public WebSocketConnection fresh(WebSocketConnection.Listener listener) {
      return connection(listener);
    }

    @Override
    public void release(WebSocketConnection c) {
      released.add(linkOf(c));
    }

    @Override
    public void discard(WebSocketConnection c) {
      linkOf(c).aborted = true;
      linkOf(c).retired = true;
      c.abort();
    }

    @Override
    public void close(WebSocketConnection c) {
      linkOf(c).retired = true;
      c.close();
    }
  }
}
