package dev.voicebridge.deepgram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.conformance.ScriptedWebSocket;
import dev.voicebridge.kit.audio.G711;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.kit.ws.WebSocketPool;
import dev.voicebridge.kit.ws.WebSocketSource;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The speak WebSocket session against a scripted server socket: what goes out (Speak, Flush, Close,
 * Clear), how Flushed, Metadata, Warning and closes are read, the character and flush windows on a
 * hand-moved clock.
 */
class WebSocketBackendTest {
  private static final String FLUSH = DeepgramCodec.FLUSH;
  private static final String CLOSE = DeepgramCodec.CLOSE;
  private static final String METADATA =
      "{\"type\":\"Metadata\",\"request_id\":\"01a01a7f-f079-74c3-bfc5-ac08f549baae\","
          + "\"model_name\":\"aura-2-thalia-en\",\"model_version\":\"2024-11-19.0\","
          + "\"model_uuid\":\"ecb76e9d-f2db-4127-8060-79b05590d22f\",\"additional_model_uuids\":[]}";

  private final FakeSource source = new FakeSource();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<SynthesisEvent> events = new CopyOnWriteArrayList<>();
  private final List<SynthesisSession> opened = new CopyOnWriteArrayList<>();
  private WebSocketBackend backend;

  @AfterEach
  void cancelLeftovers() {
    opened.forEach(SynthesisSession::cancel);
  }

  private SynthesisSession open() {
    return open(SynthesisOptions.defaults(), 2_400, 20);
  }

  private SynthesisSession open(SynthesisOptions options, int chars, int flushes) {
    DeepgramRequest request = DeepgramRequest.plan(options, TestSettings.of("websocket"));
    backend =
        new WebSocketBackend(source, request, now::get, chars, flushes, Duration.ofSeconds(60));
    SynthesisSession s =
        SynthesisSessions.open(
            "deepgram",
            request.format(),
            SessionSettings.defaults().withResponseTimeout(Duration.ofSeconds(10)),
            backend);
    opened.add(s);
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

  private FakeLink link() {
    return source.links.get(source.links.size() - 1);
  }

  private static String speak(String t) {
    return DeepgramCodec.speak(t);
  }

  private static String flushed(int n) {
    return "{\"type\":\"Flushed\",\"sequence_id\":" + n + "}";
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

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
    backend.onTimer();
  }

  // ------------------------------------------------------------------ the happy path

  @Test
  void textGoesAsSpeakTheFinishFlushesAndTheLastFlushedCompletesThenClose() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    link.server(METADATA);
    s.sendText("Hello");
    s.sendText(" world.");
    assertThat(link.sent()).containsExactly(speak("Hello"), speak(" world."));
    s.finish();
    assertThat(link.sent()).containsExactly(speak("Hello"), speak(" world."), FLUSH);
    link.binary(1, 2, 3, 4);
    link.binary(5, 6);
    assertThat(s.completion().toCompletableFuture()).isNotDone();
    link.server(flushed(0));
    SynthesisReport report = done(s);
    assertThat(audio()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(link.sent()).containsExactly(speak("Hello"), speak(" world."), FLUSH, CLOSE);
    assertThat(link.socket.sentCloses()).containsExactly(1000); // and the socket closed politely
    assertThat(link.socket.aborted()).isFalse();
    assertThat(report.attributes())
        .containsEntry("transport", "websocket")
        .containsEntry("model", "aura-2-thalia-en")
        .containsEntry("request-id", "01a01a7f-f079-74c3-bfc5-ac08f549baae")
        .containsEntry("model-name", "aura-2-thalia-en")
        .containsEntry("model-version", "2024-11-19.0")
        .containsEntry("model-uuid", "ecb76e9d-f2db-4127-8060-79b05590d22f")
        .containsEntry("flushes", "1");
  }

  @Test
  void oneFlushPerFlushEventAndOnlyTheLastAcknowledgementCompletes() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("One.");
    s.flush();
    link.binary(1, 1);
    link.server(flushed(0));
    s.sendText("Two.");
    s.flush();
    s.sendText("Three.");
    s.finish();
    assertThat(link.sent())
        .containsExactly(speak("One."), FLUSH, speak("Two."), FLUSH, speak("Three."), FLUSH);
    link.binary(2, 2);
    link.server(flushed(1));
    assertThat(s.completion().toCompletableFuture()).isNotDone();
    link.binary(3, 3);
    link.server(flushed(2));
    SynthesisReport report = done(s);
    assertThat(audio()).containsExactly(1, 1, 2, 2, 3, 3);
    assertThat(report.attributes()).containsEntry("flushes", "3");
  }

  @Test
  void anAcknowledgementThatSkipsAheadCoversTheFlushesBeforeIt() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("One.");
    s.flush();
    s.sendText("Two.");
    s.finish();
    link.server(flushed(1)); // the server acknowledged only the last: the audio is in order
    done(s);
  }

  @Test
  void aFlushedForAFlushNeverSentIsAProtocolError() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("One.");
    s.finish();
    link.server(flushed(1)); // one flush sent: its id is 0
    assertThat(failure(s))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("sequence_id 1")
        .hasMessageContaining("counts from 0");
    assertThat(link.socket.aborted()).isTrue();
  }

  @Test
  void textWithoutALetterOrDigitIsNotFlushed() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hi.");
    s.flush();
    s.sendText(" ...");
    s.finish();
    assertThat(link.sent()).containsExactly(speak("Hi."), FLUSH, speak(" ..."));
    link.server(flushed(0));
    done(s);
    assertThat(link.sent()).endsWith(CLOSE);
  }

  @Test
  void anEmptySessionCompletesAtOnce() throws Exception {
    SynthesisSession s = open();
    s.finish();
    done(s);
    assertThat(link().sent()).containsExactly(CLOSE);
  }

  // ------------------------------------------------------------------ long text

  @Test
  void longTextIsSplitIntoSpeaksOfAtMost2000CharactersAtWordBoundaries() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() < 5_000; i++) {
      b.append("Sentence number ").append(i).append(" is here. ");
    }
    String text = b.toString();
    SynthesisSession s = open(SynthesisOptions.defaults(), 100_000, 20);
    FakeLink link = link();
    s.sendText(text);
    s.finish();
    List<String> speaks = link.sent().subList(0, link.sent().size() - 1);
    assertThat(speaks).hasSizeGreaterThanOrEqualTo(3);
    StringBuilder joined = new StringBuilder();
    for (String m : speaks) {
      String piece =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(m).get("text").asText();
      assertThat(piece.length()).isLessThanOrEqualTo(2_000);
      assertThat(piece).endsWith(". "); // cut after a sentence end
      joined.append(piece);
    }
    assertThat(joined.toString()).isEqualTo(text);
    assertThat(link.sent()).endsWith(FLUSH);
    link.server(flushed(0));
    done(s);
  }

  @Test
  void moreThanTheCharacterWindowIsPacedNotSentToBeRefused() throws Exception {
    SynthesisSession s = open(SynthesisOptions.defaults(), 20, 20);
    FakeLink link = link();
    s.sendText("aaaa bbbb cccc dddd eeee ffff.");
    // 20 characters fit; the rest waits for the window; what went out is flushed meanwhile
    assertThat(link.sent()).containsExactly(speak("aaaa bbbb cccc dddd "), FLUSH);
    s.finish();
    assertThat(link.sent()).containsExactly(speak("aaaa bbbb cccc dddd "), FLUSH);
    link.server(flushed(0));
    assertThat(s.completion().toCompletableFuture()).isNotDone();
    advance(Duration.ofSeconds(59));
    assertThat(link.sent()).hasSize(2);
    advance(Duration.ofSeconds(1));
    assertThat(link.sent())
        .containsExactly(speak("aaaa bbbb cccc dddd "), FLUSH, speak("eeee ffff."), FLUSH);
    link.server(flushed(1));
    SynthesisReport report = done(s);
    assertThat(report.warnings()).anyMatch(w -> w.contains("text paced"));
  }

  @Test
  void aPacedWordIsNeverCut() throws Exception {
    SynthesisSession s = open(SynthesisOptions.defaults(), 10, 20);
    FakeLink link = link();
    s.sendText("abc ");
    s.sendText("wonderful");
    // 6 characters left in the window: "wonderful" waits whole
    assertThat(link.sent()).containsExactly(speak("abc "), FLUSH);
    advance(Duration.ofSeconds(60));
    assertThat(link.sent()).containsExactly(speak("abc "), FLUSH, speak("wonderful"));
  }

  // ------------------------------------------------------------------ the flush limit

  @Test
  void flushesOverTheWindowAreCoalescedKeepingOneForTheFinish() throws Exception {
    SynthesisSession s = open(SynthesisOptions.defaults(), 2_400, 3);
    FakeLink link = link();
    s.sendText("One.");
    s.flush();
    s.sendText("Two.");
    s.flush();
    s.sendText("Three.");
    s.flush(); // a third would leave none for the finish: held
    s.sendText("Four.");
    s.flush(); // coalesced with the held one
    assertThat(link.sent())
        .containsExactly(
            speak("One."), FLUSH, speak("Two."), FLUSH, speak("Three."), speak("Four."));
    s.finish(); // the finish may use the last one
    assertThat(link.sent()).endsWith(speak("Four."), FLUSH);
    link.server(flushed(0));
    link.server(flushed(1));
    link.server(flushed(2));
    SynthesisReport report = done(s);
    assertThat(report.attributes())
        .containsEntry("flushes", "3")
        .containsEntry("flushes.coalesced", "2");
    assertThat(report.warnings()).anyMatch(w -> w.contains("flushes coalesced"));
  }

  @Test
  void aHeldFlushGoesOutWhenTheWindowSlides() throws Exception {
    SynthesisSession s = open(SynthesisOptions.defaults(), 2_400, 3);
    FakeLink link = link();
    s.sendText("One.");
    s.flush();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    s.sendText("Two.");
    s.flush();
    s.sendText("Three.");
    s.flush();
    assertThat(link.sent().stream().filter(FLUSH::equals).count()).isEqualTo(2);
    advance(Duration.ofSeconds(49)); // the first flush leaves the window at 60 s
    assertThat(link.sent().stream().filter(FLUSH::equals).count()).isEqualTo(2);
    advance(Duration.ofSeconds(1));
    assertThat(link.sent()).endsWith(speak("Three."), FLUSH);
    assertThat(backend.flushCounts()[0]).isEqualTo(3);
  }

  @Test
  void aFlushRefusedWithExcessiveFlushIsSentAgainLater() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.server(
        "{\"type\":\"Warning\",\"warn_code\":\"EXCESSIVE_FLUSH\","
            + "\"warn_msg\":\"Rate limit exceeded for flushes. Please try again later.\"}");
    assertThat(backend.flushCounts()).containsExactly(0, 0, 1, 0);
    assertThat(link.sent()).containsExactly(speak("Hi."), FLUSH);
    advance(WebSocketBackend.REFUSED_FLUSH_RETRY);
    assertThat(link.sent()).containsExactly(speak("Hi."), FLUSH, FLUSH);
    link.binary(9, 9);
    link.server(flushed(0));
    SynthesisReport report = done(s);
    assertThat(report.warnings())
        .anyMatch(w -> w.contains("EXCESSIVE_FLUSH") && w.contains("Rate limit exceeded"));
    assertThat(audio()).containsExactly(9, 9);
  }

  @Test
  void theSpecificationSpellingOfAWarningIsReadToo() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.server(
        "{\"type\":\"Warning\",\"code\":\"EXCESSIVE_FLUSH\",\"description\":\"slow down\"}");
    advance(Duration.ofSeconds(2));
    link.server(
        "{\"type\":\"Warning\",\"code\":\"SOMETHING\",\"description\":\"just so you know\"}");
    link.server(flushed(0));
    SynthesisReport report = done(s);
    assertThat(report.warnings())
        .anyMatch(w -> w.equals("Deepgram warning EXCESSIVE_FLUSH: slow down"))
        .anyMatch(w -> w.equals("Deepgram warning SOMETHING: just so you know"));
    assertThat(report.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
  }

  // ------------------------------------------------------------------ what ends a session

  @Test
  void aCloseBeforeTheLastFlushedIsAnError() throws Exception {
    assertClosed(1000, "", TransportException.class);
    assertClosed(1008, "DATA-0001 Too many input characters", RateLimitedException.class);
    assertClosed(
        1009, "BIG-0001 input text has too many characters", InvalidRequestException.class);
    assertClosed(1011, "NET-0000 internal server error", ProviderUnavailableException.class);
  }

  private void assertClosed(int code, String reason, Class<? extends VoicebridgeException> type)
      throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("One.");
    s.flush();
    link.binary(1, 1);
    link.server(flushed(0));
    s.sendText("Two.");
    s.finish();
    link.close(code, reason);
    VoicebridgeException e = failure(s);
    assertThat(e).isInstanceOf(type).hasMessageContaining(Integer.toString(code));
    assertThat(e.getMessage()).contains("before the last Flushed");
  }

  @Test
  void anUnaskedClearedIsAProtocolError() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.server("{\"type\":\"Cleared\",\"sequence_id\":0}");
    assertThat(failure(s)).isInstanceOf(ProtocolException.class).hasMessageContaining("Cleared");
  }

  @Test
  void malformedFramesAreProtocolErrorsAndDropTheSocket() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.binary(1, 2);
    link.server("{\"type\":\"Flushed\",\"sequence_id\":");
    assertThat(failure(s)).isInstanceOf(ProtocolException.class);
    assertThat(link.socket.aborted()).isTrue();
    assertThat(audio()).containsExactly(1, 2);
  }

  @Test
  void anErrorFrameIsAProviderError() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.server("{\"type\":\"Error\",\"description\":\"injected fault\",\"variant\":\"X\"}");
    assertThat(failure(s))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("injected fault");
  }

  @Test
  void unknownTypesAreIgnoredWithOneWarning() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.server("{\"type\":\"SpeechStarted\"}");
    link.server("{\"type\":\"SpeechStarted\"}");
    link.server(flushed(0));
    assertThat(done(s).warnings().stream().filter(w -> w.contains("SpeechStarted")).count())
        .isEqualTo(1);
  }

  @Test
  void cancelClearsAndClosesAndNoAudioFollows() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hello there.");
    s.flush();
    link.binary(1, 2);
    s.cancel();
    assertThat(link.sent()).containsExactly(speak("Hello there."), FLUSH, DeepgramCodec.CLEAR);
    assertThat(link.socket.sentCloses()).containsExactly(1000);
    link.binary(3, 4);
    assertThat(audio()).doesNotContain(3, 4);
    assertThat(s.completion().toCompletableFuture()).isCompletedExceptionally();
  }

  // ------------------------------------------------------------------ audio

  @Test
  void oddFramesAreJoinedIntoWholeSamples() throws Exception {
    SynthesisSession s = open();
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.binary(1, 2, 3);
    link.binary(4);
    link.binary(5, 6, 7);
    link.binary(8);
    link.server(flushed(0));
    done(s);
    assertThat(audio()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    for (SynthesisEvent e : events) {
      if (e instanceof AudioChunk c) {
        assertThat(c.size() % 2).isZero();
      }
    }
  }

  @Test
  void wavGetsOneHeaderAndMuLawAbove16kIsEncodedHere() throws Exception {
    SynthesisSession s =
        open(SynthesisOptions.builder().format(AudioFormat.wav(16_000)).build(), 2_400, 20);
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.binary(1, 0, 2, 0);
    link.server(flushed(0));
    done(s);
    byte[] wav = audio();
    assertThat(Wav.read(wav).sampleRate()).isEqualTo(16_000);
    assertThat(Arrays.copyOfRange(wav, wav.length - 4, wav.length)).containsExactly(1, 0, 2, 0);

    events.clear();
    SynthesisSession m =
        open(SynthesisOptions.builder().format(AudioFormat.mulaw(24_000)).build(), 2_400, 20);
    FakeLink l2 = link();
    m.sendText("Hi.");
    m.finish();
    byte[] pcm = {0x10, 0x20, (byte) 0xF0, (byte) 0xFF};
    l2.binary(pcm);
    l2.server(flushed(0));
    done(m);
    assertThat(audio()).containsExactly(G711.encodeMuLaw(pcm, 0, pcm.length));
  }

  @Test
  void nativeMuLawPassesThrough() throws Exception {
    SynthesisSession s =
        open(SynthesisOptions.builder().format(AudioFormat.mulaw(8_000)).build(), 2_400, 20);
    FakeLink link = link();
    s.sendText("Hi.");
    s.finish();
    link.binary(1, 2, 3);
    link.server(flushed(0));
    done(s);
    assertThat(audio()).containsExactly(1, 2, 3);
  }

  // ------------------------------------------------------------------ fakes

  /** One connection as the test sees it: the client's side and the scripted server socket. */
  static final class FakeLink {
    final ScriptedWebSocket socket = new ScriptedWebSocket();
    WebSocketConnection connection;

    List<String> sent() {
      return socket.sentText();
    }

    void server(String frame) {
      socket.serverText(frame);
    }

    void binary(int... bytes) {
      byte[] b = new byte[bytes.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) bytes[i];
      }
      binary(b);
    }

    void binary(byte[] b) {
      socket.serverBinary(ByteBuffer.wrap(b));
    }

    void close(int code, String reason) {
      socket.serverClose(code, reason);
    }
  }

  /** A socket per session, to a scripted server; records what the session did with it. */
  static final class FakeSource implements WebSocketSource {
    final List<FakeLink> links = new CopyOnWriteArrayList<>();

    private WebSocketConnection connection(WebSocketConnection.Listener listener) {
      FakeLink link = new FakeLink();
      WebSocketConnection c =
          WebSocketConnection.create(
              WebSocketConnection.Options.builder(
                      "deepgram",
                      java.net.URI.create("ws://127.0.0.1:1/v1/speak"),
                      java.net.http.HttpClient.newBuilder().build())
                  .pingAfter(Duration.ZERO)
                  .connector((uri, headers, timeout, l) -> link.socket.open(l))
                  .build(),
              listener);
      link.connection = c;
      links.add(link);
      return c;
    }

    @Override
    public WebSocketPool.Lease acquire(WebSocketConnection.Listener listener) {
      return new WebSocketPool.Lease(connection(listener), false);
    }

    @Override
    public WebSocketConnection fresh(WebSocketConnection.Listener listener) {
      throw new AssertionError("a per-session socket is never replaced");
    }

    @Override
    public void release(WebSocketConnection c) {
      throw new AssertionError("Close ends the socket: it is never kept");
    }

    @Override
    public void discard(WebSocketConnection c) {
      c.abort();
    }

    @Override
    public void close(WebSocketConnection c) {
      c.close();
    }
  }
}
