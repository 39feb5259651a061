package dev.voicebridge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.LimitExceededException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TransportException;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DefaultSynthesisSessionTest {

  /** A backend that records calls and lets the test play the server through the sink. */
  static final class FakeBackend implements SessionBackend {
    SynthesisSink sink;
    final List<String> calls = new ArrayList<>();

    @Override
    public void start(SynthesisSink s) {
      sink = s;
      calls.add("start");
    }

    @Override
    public void text(String text) {
      calls.add("text:" + text);
    }

    @Override
    public void flush() {
      calls.add("flush");
    }

    @Override
    public void finish() {
      calls.add("finish");
    }

    @Override
    public void cancel() {
      calls.add("cancel");
    }
  }

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final SessionSettings settings = SessionSettings.defaults().withTicker(now::get);

  private DefaultSynthesisSession open(FakeBackend b) {
    return DefaultSynthesisSession.start("fake", AudioFormat.pcm(16_000), settings, b);
  }

  private static ByteBuffer bytes(int n) {
    return ByteBuffer.wrap(new byte[n]);
  }

  @Test
  void timingIsMeasuredOnceByTheLibrary() throws Exception {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    SynthesisStream stream = s.stream();
    now.addAndGet(30_000_000); // connection takes 30 ms
    b.sink.connected(false);
    s.sendText("Hello. ");
    now.addAndGet(100_000_000);
    s.flush();
    now.addAndGet(50_000_000);
    b.sink.audio(bytes(3200)); // 100 ms of audio
    assertThat(stream.next()).isInstanceOf(AudioChunk.class);
    s.sendText("Again.");
    s.finish();
    now.addAndGet(20_000_000);
    b.sink.audio(bytes(3200));
    assertThat(stream.next()).isInstanceOf(AudioChunk.class);
    assertThat(s.report().timeToCompletion()).isEmpty(); // a snapshot: not yet completed
    now.addAndGet(300_000_000); // the vendor confirms the end 300 ms after its last audio
    b.sink.complete();
    assertThat(stream.readAllAudio()).isEmpty();
    SynthesisReport r = stream.report();
    assertThat(r.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    assertThat(r.connectionSetup()).contains(Duration.ofMillis(30));
    assertThat(r.timeToFirstAudio()).contains(Duration.ofMillis(150));
    assertThat(r.firstAudioAfterFlush()).containsExactly(Duration.ofMillis(50));
    assertThat(r.timeToLastAudio()).contains(Duration.ofMillis(170));
    assertThat(r.lastAudioAfterFinish()).contains(Duration.ofMillis(20));
    assertThat(r.timeToCompletion()).contains(Duration.ofMillis(470));
    assertThat(r.toString()).contains("lastAudio=170.0ms, completed=470.0ms");
    assertThat(r.audioDuration()).isEqualTo(Duration.ofMillis(200));
    assertThat(r.charactersSent()).isEqualTo(13);
    assertThat(r.bytesReceived()).isEqualTo(6400);
    assertThat(r.chunks()).isEqualTo(2);
  }

  @Test
  void emptyTextAndRedundantFlushesNeverReachTheBackend() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    s.flush();
    s.sendText("");
    s.sendText("a");
    s.flush();
    s.flush();
    s.finish();
    s.finish();
    assertThat(b.calls).containsExactly("start", "text:a", "flush", "finish");
    assertThatThrownBy(() -> s.sendText("late")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void oneTerminalSignalAndAudioBeforeAFailureIsDelivered() throws Exception {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    List<Object> seen = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    s.events()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription sub) {
                sub.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(SynthesisEvent item) {
                seen.add(item);
              }

              @Override
              public void onError(Throwable t) {
                seen.add(t);
                done.countDown();
              }

              @Override
              public void onComplete() {
                seen.add("complete");
                done.countDown();
              }
            });
    b.sink.audio(bytes(10));
    b.sink.fail(new TransportException("fake", "reset"));
    b.sink.complete();
    b.sink.fail(new TransportException("fake", "again"));
    b.sink.audio(bytes(10));
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isInstanceOf(AudioChunk.class);
    assertThat(seen.get(1)).isInstanceOf(TransportException.class);
    assertThat(s.report().outcome()).isEqualTo(SynthesisReport.Outcome.FAILED);
    assertThat(b.calls).doesNotContain("cancel");
  }

  @Test
  void backPressureHoldsTheTransportUntilTheConsumerReads() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    AtomicInteger requested = new AtomicInteger();
    for (int i = 0; i < settings.prefetchEvents(); i++) {
      b.sink.audio(bytes(2));
    }
    b.sink.whenReady(requested::incrementAndGet);
    assertThat(requested).as("the queue is full: the transport must wait").hasValue(0);
    SynthesisStream stream = s.stream();
    stream.next();
    assertThat(requested).as("reading made room").hasValue(1);
  }

  @Test
  void cancelFencesDeliveryAndTellsTheBackend() throws Exception {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    CountDownLatch inOnNext = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger afterCancel = new AtomicInteger();
    AtomicInteger terminals = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean cancelReturned =
        new java.util.concurrent.atomic.AtomicBoolean();
    s.events()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription sub) {
                sub.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(SynthesisEvent item) {
                if (cancelReturned.get()) {
                  afterCancel.incrementAndGet();
                }
                inOnNext.countDown();
                try {
                  release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }

              @Override
              public void onError(Throwable t) {
                terminals.incrementAndGet();
              }

              @Override
              public void onComplete() {
                terminals.incrementAndGet();
              }
            });
    Thread transport =
        new Thread(
            () -> {
              b.sink.audio(bytes(4));
              b.sink.audio(bytes(4));
            },
            "test-transport");
    transport.start();
    assertThat(inOnNext.await(5, TimeUnit.SECONDS)).isTrue();
    Thread canceller =
        new Thread(
            () -> {
              s.cancel();
              cancelReturned.set(true);
            },
            "test-canceller");
    canceller.start();
    // cancel() must wait for the onNext in progress
    canceller.join(200);
    assertThat(cancelReturned).isFalse();
    release.countDown();
    canceller.join(5000);
    transport.join(5000);
    assertThat(cancelReturned).isTrue();
    assertThat(afterCancel).hasValue(0);
    assertThat(terminals).hasValue(1);
    assertThat(b.calls).contains("cancel");
    assertThatThrownBy(() -> s.completion().toCompletableFuture().join())
        .hasCauseInstanceOf(SynthesisCancelledException.class);
  }

  @Test
  void silenceWhileAudioIsOwedTimesOut() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s =
        DefaultSynthesisSession.start(
            "fake",
            AudioFormat.pcm(16_000),
            SessionSettings.defaults().withResponseTimeout(Duration.ofMillis(50)),
            b);
    SynthesisStream stream = s.stream();
    b.sink.connected(false);
    s.sendText("hello");
    s.finish();
    assertThatThrownBy(stream::readAllAudio).isInstanceOf(SynthesisTimeoutException.class);
    assertThat(b.calls).contains("cancel");
  }

  @Test
  void cancelWithoutSubscriberCompletesTheCompletion() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    s.cancel();
    assertThat(s.completion().toCompletableFuture()).isCompletedExceptionally();
    assertThat(s.report().outcome()).isEqualTo(SynthesisReport.Outcome.CANCELLED);
  }

  @Test
  void theInputStreamViewSurfacesFailuresAsIoExceptions() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    SynthesisStream stream = s.stream();
    b.sink.audio(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    b.sink.fail(new TransportException("fake", "reset"));
    var in = stream.audio();
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(java.io.IOException.class)
        .hasCauseInstanceOf(TransportException.class);
  }

  @Test
  void textBeyondTheLimitBetweenFlushesEndsTheSessionWithALimitError() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s =
        DefaultSynthesisSession.start(
            "fake", AudioFormat.pcm(16_000), settings.withMaxTextChars(10), b);
    SynthesisStream stream = s.stream();
    b.sink.connected(false);
    s.sendText("12345");
    s.sendText("67890");
    s.flush(); // the count starts again after a flush
    s.sendText("abcdefghij");
    assertThat(b.calls)
        .containsExactly("start", "text:12345", "text:67890", "flush", "text:abcdefghij");
    s.sendText("k");
    assertThat(b.calls)
        .as("the text past the limit never reaches the backend")
        .doesNotContain("text:k")
        .contains("cancel");
    assertThatThrownBy(stream::readAllAudio)
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> {
              assertThat(e.key()).isEqualTo("max-text-chars");
              assertThat(e.limit()).isEqualTo(10);
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage()).contains("11 characters", "max-text-chars = 10");
            });
  }

  @Test
  void audioBeyondTheBufferLimitEndsTheSessionWithAProtocolError() throws Exception {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s =
        DefaultSynthesisSession.start(
            "fake", AudioFormat.pcm(16_000), settings.withMaxBufferedBytes(1000), b);
    java.util.concurrent.CompletableFuture<Throwable> error =
        new java.util.concurrent.CompletableFuture<>();
    s.events()
        .subscribe(
            new java.util.concurrent.Flow.Subscriber<>() {
              @Override
              public void onSubscribe(java.util.concurrent.Flow.Subscription sub) {
                // requests nothing: an application that stopped reading
              }

              @Override
              public void onNext(dev.voicebridge.SynthesisEvent item) {
                error.completeExceptionally(new AssertionError("delivered without demand"));
              }

              @Override
              public void onError(Throwable t) {
                error.complete(t);
              }

              @Override
              public void onComplete() {
                error.completeExceptionally(new AssertionError("completed"));
              }
            });
    b.sink.connected(false);
    s.sendText("hello");
    s.finish();
    b.sink.audio(bytes(600));
    assertThat(error).isNotDone();
    b.sink.audio(bytes(600)); // a server that ignores whenReady()
    assertThat(b.calls).contains("cancel");
    assertThat(error.get(5, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("1000 bytes", "max-buffered-audio-bytes");
  }

  // ---------------------------------------------------------------- the hostile server (issue 20)

  static final String KEY = "sk-canary-session-5e1f";

  private DefaultSynthesisSession openRedacting(FakeBackend b) {
    return DefaultSynthesisSession.start(
        "fake",
        AudioFormat.pcm(16_000),
        settings.withRedactor(
            dev.voicebridge.spi.Redactor.of(List.of(dev.voicebridge.spi.Secret.of(KEY)))),
        b);
  }

  @Test
  void whatAServerEchoesIsMaskedInTheErrorTheWarningsAndTheReport() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = openRedacting(b);
    SynthesisStream stream = s.stream();
    b.sink.connected(false);
    s.sendText("hello");
    b.sink.warn("the server said: key " + KEY + " is fine");
    b.sink.attribute("request-id", "id-" + KEY);
    TransportException cause = new TransportException("fake", "close reason: Bearer " + KEY);
    b.sink.fail(new ProtocolException("fake", "the server sent '" + KEY + "'", cause));
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(stream::readAllAudio);
    assertThat(t).isInstanceOf(ProtocolException.class);
    List<String> texts = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      texts.add(c.getMessage());
      texts.add(c.toString());
    }
    java.io.StringWriter trace = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(trace));
    texts.add(trace.toString());
    texts.add(s.report().toString());
    texts.addAll(s.report().warnings());
    texts.add(s.report().attributes().toString());
    assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(KEY));
    assertThat(s.report().warnings()).containsExactly("the server said: key **** is fine");
    assertThat(t.getCause().getMessage()).endsWith("Bearer ****");
  }

  @Test
  void anEmojiSplitAcrossTwoTokensReachesTheBackendWhole() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    String smile = "\uD83D\uDE00";
    s.sendText("hi " + smile.charAt(0));
    s.sendText(smile.charAt(1) + " there");
    s.sendText(String.valueOf(smile.charAt(0)));
    s.sendText(String.valueOf(smile.charAt(1)));
    assertThat(b.calls)
        .containsExactly("start", "text:hi ", "text:" + smile + " there", "text:" + smile);
  }

  @Test
  void aLoneSurrogateIsRefusedAtSendTextAndTheSessionGoesOn() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    assertThatThrownBy(() -> s.sendText("a\uDE00b"))
        .isInstanceOf(dev.voicebridge.InvalidRequestException.class)
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> s.sendText("a\uD83Db"))
        .isInstanceOf(dev.voicebridge.InvalidRequestException.class);
    s.sendText("fine");
    assertThat(b.calls).containsExactly("start", "text:fine");
    assertThat(s.isDone()).isFalse();
  }

  @Test
  void aFirstHalfLeftAtTheFinishFailsTheSession() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    SynthesisStream stream = s.stream();
    s.sendText("end \uD83D");
    s.finish();
    assertThatThrownBy(stream::readAllAudio)
        .isInstanceOf(dev.voicebridge.InvalidRequestException.class)
        .hasMessageContaining("second half never came");
    assertThat(b.calls).containsExactly("start", "text:end ", "cancel");
  }

  @Test
  void aServerThatStreamsAudioWithoutEndIsStoppedByTheAudioBudget() {
    FakeBackend b = new FakeBackend();
    // 16 kHz PCM: 32,000 bytes a second; budget 1 s + 100 ms per character
    DefaultSynthesisSession s =
        DefaultSynthesisSession.start(
            "fake",
            AudioFormat.pcm(16_000),
            settings.withAudioBudget(
                new SessionSettings.AudioBudget(Duration.ofSeconds(1), Duration.ofMillis(100))),
            b);
    List<Object> seen = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    s.events()
        .subscribe(
            new Flow.Subscriber<SynthesisEvent>() {
              @Override
              public void onSubscribe(Flow.Subscription sub) {
                sub.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(SynthesisEvent item) {}

              @Override
              public void onError(Throwable t) {
                seen.add(t);
                done.countDown();
              }

              @Override
              public void onComplete() {
                done.countDown();
              }
            });
    b.sink.connected(false);
    s.sendText("hello"); // 5 characters: 1.5 s = 48,000 bytes allowed
    s.finish();
    for (int i = 0; i < 48; i++) {
      b.sink.audio(bytes(1000));
    }
    assertThat(s.isDone()).as("exactly the budget is fine").isFalse();
    b.sink.audio(bytes(1000));
    assertThat(s.isDone()).isTrue();
    assertThat(b.calls).contains("cancel");
    assertThat(seen).singleElement().isInstanceOf(ProtocolException.class);
    assertThat(((Throwable) seen.get(0)).getMessage())
        .contains("5 characters", "max-audio-per-char", "runaway");
  }

  @Test
  void anUnboundedBudgetNeverStopsAudio() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s =
        DefaultSynthesisSession.start(
            "fake",
            AudioFormat.pcm(16_000),
            settings.withAudioBudget(SessionSettings.AudioBudget.unbounded()),
            b);
    s.sendText("x");
    for (int i = 0; i < 100; i++) {
      b.sink.audio(bytes(32_000)); // 100 s of audio for one character
    }
    assertThat(s.isDone()).isFalse();
  }

  @Test
  void aLongTextReachesTheBackendSentenceBySentence() {
    FakeBackend b = new FakeBackend();
    DefaultSynthesisSession s = open(b);
    String sentence = "Long answers are read aloud one sentence at a time. ";
    String text = sentence.repeat(60); // about 3,100 characters
    s.sendText(text);
    List<String> texts =
        b.calls.stream().filter(c -> c.startsWith("text:")).map(c -> c.substring(5)).toList();
    assertThat(texts).hasSizeGreaterThan(3);
    assertThat(String.join("", texts)).isEqualTo(text);
    assertThat(texts.get(0).length()).isLessThanOrEqualTo(TextPieces.MAX_PIECE);
    assertThat(texts.get(0)).endsWith(". ");
  }
}
