package dev.voicebridge.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.Capabilities;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FallbackSynthesizerTest {
  static final AudioFormat PCM = AudioFormat.pcm(16_000);
  static final int BYTES_PER_CHAR = 320;
  static final int FRAME = 640;
  static final Duration WAIT = Duration.ofSeconds(10);

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  // ------------------------------------------------------------------------------ the stub

  enum Mode {
    /** Answers every flush and the end with audio, then completes. */
    OK,
    /** Fails at the handshake with the configured error. */
    FAIL_AT_CONNECT,
    /** open() itself throws the configured error. */
    THROW_AT_OPEN,
    /** Answers the first flush, then fails with a TransportException at the next flush or end. */
    FAIL_AFTER_FIRST_FLUSH,
    /** Never answers. */
    STALL
  }

  /** An in-memory synthesizer whose "server" runs on its own thread and honours back pressure. */
  static final class Stub implements StreamingSynthesizer {
    final String name;
    final int tag;
    volatile Mode mode;
    volatile Function<String, VoicebridgeException> error;
    final boolean timings;
    final Capabilities caps;
    final ExecutorService server;
    final List<Conversation> conversations = new CopyOnWriteArrayList<>();
    final AtomicInteger opens = new AtomicInteger();
    volatile boolean closed;

    Stub(String name, int tag, Mode mode, boolean timings, AudioFormat... formats) {
      this.name = name;
      this.tag = tag;
      this.mode = mode;
      this.timings = timings;
      this.error = p -> new ProviderUnavailableException(p, 503, null, "HTTP 503: down");
      AudioFormat[] fs = formats.length == 0 ? new AudioFormat[] {PCM} : formats;
      this.caps =
          Capabilities.builder()
              .streamingInput(true)
              .wordTimings(timings)
              .network(true)
              .formats(fs)
              .defaultFormat(fs[0])
              .transports("memory")
              .build();
      this.server = Executors.newSingleThreadExecutor(r -> new Thread(r, "stub-server-" + name));
    }

    @Override
    public String provider() {
      return name;
    }

    @Override
    public Capabilities capabilities() {
      return caps;
    }

    @Override
    public SynthesisSession open(SynthesisOptions options) {
      opens.incrementAndGet();
      AudioFormat f = options.format().orElse(caps.defaultFormat());
      if (!caps.supports(f)) {
        throw new UnsupportedCapabilityException(name, "format " + f);
      }
      if (mode == Mode.THROW_AT_OPEN) {
        throw error.apply(name);
      }
      Conversation c = new Conversation(mode);
      conversations.add(c);
      return SynthesisSessions.open(
          name, f, SessionSettings.defaults().withResponseTimeout(Duration.ofSeconds(30)), c);
    }

    @Override
    public void close() {
      closed = true;
      server.shutdownNow();
    }

    /** The audio this stub makes for {@code text}. */
    byte[] audioFor(String text) {
      byte[] out = new byte[text.length() * BYTES_PER_CHAR];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) (text.charAt(i / BYTES_PER_CHAR) + i * 7 + tag);
      }
      return out;
    }

    Conversation last() {
      return conversations.get(conversations.size() - 1);
    }

    final class Conversation implements SessionBackend {
      final Mode mode;
      final StringBuilder text = new StringBuilder();
      final List<String> events = new CopyOnWriteArrayList<>();
      final StringBuilder buffer = new StringBuilder();
      final ArrayDeque<Object> out = new ArrayDeque<>();
      volatile boolean cancelled;
      SynthesisSink sink;
      int answered;
      long bytes;
      boolean finished;
      boolean pumping;
      boolean ended;

      Conversation(Mode mode) {
        this.mode = mode;
      }

      @Override
      public void start(SynthesisSink s) {
        sink = s;
        server.execute(
            () -> {
              if (mode == Mode.FAIL_AT_CONNECT) {
                ended = true;
                s.fail(error.apply(name));
              } else {
                s.connected(false);
              }
            });
      }

      @Override
      public void text(String t) {
        events.add("text:" + t);
        server.execute(
            () -> {
              text.append(t);
              buffer.append(t);
            });
      }

      @Override
      public void flush() {
        events.add("flush");
        server.execute(this::answer);
      }

      @Override
      public void finish() {
        events.add("finish");
        server.execute(
            () -> {
              finished = true;
              answer();
            });
      }

      @Override
      public void cancel() {
        cancelled = true;
        server.execute(() -> ended = true);
      }

      private void answer() {
        if (ended || mode == Mode.STALL || mode == Mode.FAIL_AT_CONNECT) {
          return;
        }
        if (mode == Mode.FAIL_AFTER_FIRST_FLUSH && answered == 1) {
          ended = true;
          out.add(new TransportException(name, "connection reset"));
          pump();
          return;
        }
        answered++;
        String t = buffer.toString();
        int base = text.length() - t.length(); // where t starts in this session's text
        buffer.setLength(0);
        byte[] audio = audioFor(t);
        if (timings) {
          long at = bytes;
          int from = 0;
          for (String w : t.trim().split("\\s+")) {
            if (!w.isEmpty()) {
              Duration start = PCM.durationOf(at);
              at += (long) w.length() * BYTES_PER_CHAR;
              int i = t.indexOf(w, from);
              from = i + w.length();
              out.add(
                  WordTiming.of(w, start, PCM.durationOf(at))
                      .withTextOffsets(base + i, base + from));
            }
          }
        }
        bytes += audio.length;
        for (int off = 0; off < audio.length; off += FRAME) {
          byte[] f = new byte[Math.min(FRAME, audio.length - off)];
          System.arraycopy(audio, off, f, 0, f.length);
          out.add(f);
        }
        if (finished) {
          out.add("complete");
        }
        pump();
      }

      private void pump() {
        if (pumping || cancelled) {
          return;
        }
        Object o = out.poll();
        if (o == null) {
          return;
        }
        if (o instanceof byte[] f) {
          sink.audio(ByteBuffer.wrap(f));
        } else if (o instanceof WordTiming w) {
          sink.wordTiming(w);
        } else if (o instanceof VoicebridgeException e) {
          sink.fail(e);
          return;
        } else {
          ended = true;
          sink.complete();
          return;
        }
        pumping = true;
        sink.whenReady(
            () ->
                server.execute(
                    () -> {
                      pumping = false;
                      pump();
                    }));
      }
    }
  }

  /** Records a session's events; requests one at a time or everything. */
  static final class Recorder implements Flow.Subscriber<SynthesisEvent> {
    final boolean oneAtATime;
    final List<SynthesisEvent> events = new CopyOnWriteArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    final CountDownLatch firstAudio = new CountDownLatch(1);
    final AtomicInteger terminals = new AtomicInteger();
    volatile Throwable error;
    volatile Flow.Subscription subscription;

    Recorder(boolean oneAtATime) {
      this.oneAtATime = oneAtATime;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(oneAtATime ? 1 : Long.MAX_VALUE);
    }

    @Override
    public void onNext(SynthesisEvent e) {
      events.add(e);
      if (e instanceof AudioChunk) {
        firstAudio.countDown();
      }
      if (oneAtATime) {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t;
      terminals.incrementAndGet();
      done.countDown();
    }

    @Override
    public void onComplete() {
      terminals.incrementAndGet();
      done.countDown();
    }

    void await() throws InterruptedException {
      assertThat(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("terminal signal").isTrue();
      assertThat(terminals.get()).isEqualTo(1);
    }

    byte[] audio() {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (SynthesisEvent e : events) {
        if (e instanceof AudioChunk c) {
          b.writeBytes(c.bytes());
        }
      }
      return b.toByteArray();
    }

    List<WordTiming> timings() {
      List<WordTiming> out = new ArrayList<>();
      for (SynthesisEvent e : events) {
        if (e instanceof WordTiming w) {
          out.add(w);
        }
      }
      return out;
    }
  }

  private Stub stub(String name, int tag, Mode mode) {
    return stub(name, tag, mode, false);
  }

  private Stub stub(String name, int tag, Mode mode, boolean timings) {
    Stub s = new Stub(name, tag, mode, timings);
    toClose.add(s);
    return s;
  }

  private FallbackSynthesizer.Builder chain(Stub... stubs) {
    FallbackSynthesizer.Builder b =
        FallbackSynthesizer.builder().ticker(now::get).cooldown(Duration.ofSeconds(30));
    for (Stub s : stubs) {
      b.add(s);
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  private static Recorder start(SynthesisSession s, boolean oneAtATime) {
    Recorder r = new Recorder(oneAtATime);
    s.events().subscribe(r);
    return r;
  }

  /** Merges adjacent text events, so replayed and live input compare equal. */
  private static List<String> joinText(List<String> events) {
    List<String> out = new ArrayList<>();
    for (String e : events) {
      int last = out.size() - 1;
      if (e.startsWith("text:") && last >= 0 && out.get(last).startsWith("text:")) {
        out.set(last, out.get(last) + e.substring(5));
      } else {
        out.add(e);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------ tests

  @Test
  void aConnectFailureReplaysTextAndFlushesOnTheNextProvider() throws Exception {
    Stub a = stub("a", 1, Mode.FAIL_AT_CONNECT);
    Stub b = stub("b", 2, Mode.OK);
    FallbackSynthesizer f = chain(a, b).build();
    assertThat(f.provider()).isEqualTo("fallback(a,b)");

    SynthesisSession s = f.open();
    Recorder rec = start(s, true);
    s.sendText("Hello ");
    s.sendText("there. ");
    s.flush();
    s.sendText("Second turn.");
    s.finish();
    rec.await();

    assertThat(rec.error).isNull();
    // whether the text reached b as one replayed piece or live, token by token, depends on when
    // a's connect failure lands: what b must get is the same text, in order, with the flush between
    assertThat(joinText(b.last().events))
        .containsExactly("text:Hello there. ", "flush", "text:Second turn.", "finish");
    assertThat(rec.audio())
        .isEqualTo(concat(b.audioFor("Hello there. "), b.audioFor("Second turn.")));
    SynthesisReport r = s.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(r.provider()).isEqualTo("fallback(a,b)");
    assertThat(r.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    assertThat(r.attributes())
        .containsEntry("fallback.provider", "b")
        .containsEntry("fallback.switches", "1");
    assertThat(r.warnings()).anyMatch(w -> w.contains("HTTP 503") && w.contains("switching to b"));
    assertThat(r.bytesReceived()).isEqualTo(rec.audio().length);
    assertThat(f.isCoolingDown(a)).isTrue();
    assertThat(f.isCoolingDown(b)).isFalse();
  }

  @Test
  void anUnhealthyProviderIsSkippedDuringItsCooldownAndProbedAfterIt() throws Exception {
    Stub a = stub("a", 1, Mode.FAIL_AT_CONNECT);
    Stub b = stub("b", 2, Mode.OK);
    FallbackSynthesizer f = chain(a, b).build();

    Recorder first = run(f, "One.");
    assertThat(first.error).isNull();
    assertThat(a.opens.get()).isEqualTo(1);

    // during the cool-down: a is not tried
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    SynthesisSession s2 = f.open();
    Recorder second = start(s2, false);
    s2.sendText("Two.");
    s2.finish();
    second.await();
    assertThat(second.error).isNull();
    assertThat(a.opens.get()).isEqualTo(1);
    assertThat(s2.report().attributes())
        .containsEntry("fallback.provider", "b")
        .containsEntry("fallback.switches", "0")
        .containsEntry("fallback.skipped", "a");

    // after it: a is probed first again, and now it works
    a.mode = Mode.OK;
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(f.isCoolingDown(a)).isFalse();
    SynthesisSession s3 = f.open();
    Recorder third = start(s3, false);
    s3.sendText("Three.");
    s3.finish();
    third.await();
    assertThat(third.error).isNull();
    assertThat(a.opens.get()).isEqualTo(2);
    assertThat(third.audio()).isEqualTo(a.audioFor("Three."));
    assertThat(s3.report().attributes()).containsEntry("fallback.provider", "a");
  }

  private Recorder run(FallbackSynthesizer f, String text) throws InterruptedException {
    SynthesisSession s = f.open();
    Recorder rec = start(s, false);
    s.sendText(text);
    s.finish();
    rec.await();
    return rec;
  }

  @Test
  void concurrentSessionsEachGetTheirOwnAudioAfterSwitching() throws Exception {
    Stub a = stub("a", 1, Mode.FAIL_AT_CONNECT);
    Stub b = stub("b", 2, Mode.OK);
    FallbackSynthesizer f = chain(a, b).cooldown(Duration.ZERO).build();
    int n = 4;
    List<SynthesisSession> sessions = new ArrayList<>();
    List<Recorder> recs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SynthesisSession s = f.open();
      sessions.add(s);
      recs.add(start(s, i % 2 == 0));
    }
    for (int i = 0; i < n; i++) {
      sessions.get(i).sendText("Session " + i + " speaks. ");
      sessions.get(i).flush();
    }
    for (int i = 0; i < n; i++) {
      sessions.get(i).sendText("Then it ends.");
      sessions.get(i).finish();
    }
    for (int i = 0; i < n; i++) {
      recs.get(i).await();
      assertThat(recs.get(i).error).isNull();
      assertThat(recs.get(i).audio())
          .isEqualTo(concat(b.audioFor("Session " + i + " speaks. "), b.audioFor("Then it ends.")));
    }
    // with a zero cool-down every session tried a first
    assertThat(a.opens.get()).isEqualTo(n);
  }

  @Test
  void openThrowingASwitchableErrorAlsoSwitches() throws Exception {
    Stub a = stub("a", 1, Mode.THROW_AT_OPEN);
    a.error = p -> new RateLimitedException(p, 429, null, "HTTP 429", Duration.ofMinutes(5));
    Stub b = stub("b", 2, Mode.OK);
    FallbackSynthesizer f = chain(a, b).build();
    Recorder rec = run(f, "Rate limited.");
    assertThat(rec.error).isNull();
    assertThat(rec.audio()).isEqualTo(b.audioFor("Rate limited."));
    // Retry-After (5 min) is longer than the cool-down (30 s)
    now.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(f.isCoolingDown(a)).isTrue();
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertThat(f.isCoolingDown(a)).isFalse();
  }

  @Test
  void aStallBeforeFirstAudioSwitchesAfterTheFirstAudioTimeout() throws Exception {
    Stub a = stub("a", 1, Mode.STALL);
    Stub b = stub("b", 2, Mode.OK);
    FallbackSynthesizer f = chain(a, b).firstAudioTimeout(Duration.ofMillis(200)).build();
    SynthesisSession s = f.open();
    Recorder rec = start(s, false);
    s.sendText("Anyone there? ");
    s.flush();
    assertThat(rec.firstAudio.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    s.sendText("Yes.");
    s.finish();
    rec.await();
    assertThat(rec.error).isNull();
    assertThat(rec.audio()).isEqualTo(concat(b.audioFor("Anyone there? "), b.audioFor("Yes.")));
    assertThat(a.last().cancelled).as("the stalled session is cancelled").isTrue();
    assertThat(s.report().warnings()).anyMatch(w -> w.contains("no audio within 200 ms"));
    assertThat(s.report().attributes()).containsEntry("fallback.switches", "1");
  }

  @Test
  void aFailureAfterAudioFailsWithTheCauseByDefault() throws Exception {
    Stub a = stub("a", 1, Mode.FAIL_AFTER_FIRST_FLUSH);
    Stub b = stub("b", 2, Mode.OK);
    FallbackSynthesizer f = chain(a, b).build();
    SynthesisSession s = f.open();
    Recorder rec = start(s, true);
    s.sendText("First sentence here. ");
    s.flush();
    assertThat(rec.firstAudio.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    s.sendText("Second sentence.");
    s.finish();
    rec.await();
    assertThat(rec.error).isInstanceOf(TransportException.class).hasMessageContaining("[a]");
    assertThat(rec.audio()).isEqualTo(a.audioFor("First sentence here. "));
    assertThat(b.opens.get()).isZero();
    assertThat(s.report().outcome()).isEqualTo(SynthesisReport.Outcome.FAILED);
    assertThat(s.report().warnings()).anyMatch(w -> w.contains("after audio"));
  }

  @Test
  void resumeAfterAudioContinuesFromTheFirstUnspokenSentence() throws Exception {
    Stub a = stub("a", 1, Mode.FAIL_AFTER_FIRST_FLUSH, true);
    Stub b = stub("b", 2, Mode.OK, true);
    FallbackSynthesizer f = chain(a, b).resumeAfterAudio(true).build();
    SynthesisSession s = f.open();
    Recorder rec = start(s, false);
    s.sendText("First sentence here. ");
    s.flush();
    assertThat(rec.firstAudio.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    s.sendText("Second sentence. Third one.");
    s.finish();
    rec.await();
    assertThat(rec.error).isNull();
    assertThat(b.last().events).containsExactly("text:Second sentence. Third one.", "finish");
    byte[] first = a.audioFor("First sentence here. ");
    assertThat(rec.audio()).isEqualTo(concat(first, b.audioFor("Second sentence. Third one.")));
    // b's word timings continue on the session's timeline, after a's audio
    List<WordTiming> t = rec.timings();
    assertThat(t).extracting(WordTiming::word).startsWith("First", "sentence", "here.", "Second");
    assertThat(t.get(3).start()).isEqualTo(PCM.durationOf(first.length));
    // b was given the text from "Second" on: its offsets point into the session's whole text
    String all = "First sentence here. Second sentence. Third one.";
    assertThat(all.substring(t.get(3).textStart(), t.get(3).textEnd())).isEqualTo("Second");
    assertThat(all.substring(t.get(2).textStart(), t.get(2).textEnd())).isEqualTo("here.");
    assertThat(s.report().attributes())
        .containsEntry("fallback.provider", "b")
        .containsEntry("fallback.switches", "1");
  }

  @Test
  void whenEveryProviderFailsTheLastErrorCarriesTheOthers() throws Exception {
    Stub a = stub("a", 1, Mode.FAIL_AT_CONNECT);
    Stub b = stub("b", 2, Mode.FAIL_AT_CONNECT);
    b.error = p -> new AuthenticationException(p, 401, null, "HTTP 401: bad key");
    FallbackSynthesizer f = chain(a, b).build();
    Recorder rec = run(f, "Nobody answers.");
    assertThat(rec.error).isInstanceOf(AuthenticationException.class).hasMessageContaining("[b]");
    assertThat(rec.error.getSuppressed())
        .singleElement()
        .isInstanceOf(ProviderUnavailableException.class);
    assertThat(f.isCoolingDown(a)).isTrue();
    assertThat(f.isCoolingDown(b)).isTrue();

    // both cooling down: the next session still tries them, and succeeds if one recovered
    b.mode = Mode.OK;
    Recorder next = run(f, "Again.");
    assertThat(next.error).isNull();
    assertThat(next.audio()).isEqualTo(b.audioFor("Again."));
  }

  @Test
  void aNonSwitchableErrorFailsWithoutTryingTheNext() throws Exception {
    Stub a = stub("a", 1, Mode.FAIL_AT_CONNECT);
    a.error = p -> new InvalidRequestException(p, 422, null, "HTTP 422: unknown voice");
    Stub b = stub("b", 2, Mode.OK);
    FallbackSynthesizer f = chain(a, b).build();
    Recorder rec = run(f, "Bad request.");
    assertThat(rec.error).isInstanceOf(InvalidRequestException.class);
    assertThat(b.opens.get()).isZero();
    assertThat(f.isCoolingDown(a)).isFalse();
  }

  @Test
  void formatsMustMatchAcrossTheChain() {
    Stub a = stub("a", 1, Mode.OK);
    Stub only24 = new Stub("c", 3, Mode.OK, false, AudioFormat.pcm(24_000));
    toClose.add(only24);
    assertThatThrownBy(() -> chain(a, only24).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'c'");
    assertThatThrownBy(() -> FallbackSynthesizer.builder().build())
        .isInstanceOf(IllegalArgumentException.class);

    Stub both = new Stub("d", 4, Mode.OK, false, PCM, AudioFormat.pcm(24_000));
    toClose.add(both);
    FallbackSynthesizer f = chain(both, a).build();
    assertThat(f.capabilities().defaultFormat()).isEqualTo(PCM);
    assertThat(f.capabilities().supports(PCM)).isTrue();
    assertThat(f.capabilities().supports(AudioFormat.pcm(24_000))).isFalse();
    assertThatThrownBy(
            () -> f.open(SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("fallback(d,a)")
        .hasMessageContaining("'a'");
    assertThat(both.opens.get()).isZero();
  }

  @Test
  void optionsCanBeAdaptedPerProvider() throws Exception {
    Stub a = stub("a", 1, Mode.FAIL_AT_CONNECT);
    Stub b = stub("b", 2, Mode.OK);
    List<SynthesisOptions> seen = new CopyOnWriteArrayList<>();
    FallbackSynthesizer f =
        FallbackSynthesizer.builder()
            .add(a)
            .add(
                b,
                o -> {
                  SynthesisOptions mine = o.toBuilder().voice("b-voice").build();
                  seen.add(mine);
                  return mine;
                })
            .build();
    Recorder rec = run(f, "Adapted.");
    assertThat(rec.error).isNull();
    assertThat(seen).singleElement().extracting(o -> o.voice().orElse(null)).isEqualTo("b-voice");
  }

  @Test
  void cancelStopsTheSessionAndItsInnerSession() throws Exception {
    Stub a = stub("a", 1, Mode.STALL);
    FallbackSynthesizer f = chain(a).build();
    SynthesisSession s = f.open();
    Recorder rec = start(s, false);
    s.sendText("Cancel me.");
    s.flush();
    s.cancel();
    rec.await();
    assertThat(rec.error).isInstanceOf(SynthesisCancelledException.class);
    assertThat(a.last().cancelled).isTrue();
    assertThat(s.report().outcome()).isEqualTo(SynthesisReport.Outcome.CANCELLED);
  }

  @Test
  void anEmptySessionCompletesWithoutAudio() throws Exception {
    Stub a = stub("a", 1, Mode.OK);
    FallbackSynthesizer f = chain(a).firstAudioTimeout(Duration.ofMillis(50)).build();
    SynthesisSession s = f.open();
    Recorder rec = start(s, false);
    s.finish();
    rec.await();
    assertThat(rec.error).isNull();
    assertThat(rec.audio()).isEmpty();
  }

  @Test
  void closeCancelsRunningSessionsAndClosesTheChain() throws Exception {
    Stub a = stub("a", 1, Mode.STALL);
    Stub b = stub("b", 2, Mode.OK);
    FallbackSynthesizer f = chain(a, b).build();
    SynthesisSession s = f.open();
    Recorder rec = start(s, false);
    s.sendText("Never spoken.");
    s.flush();
    f.close();
    f.close();
    rec.await();
    assertThat(rec.error).isInstanceOf(SynthesisCancelledException.class);
    assertThat(a.closed).isTrue();
    assertThat(b.closed).isTrue();
    assertThatThrownBy(f::open).isInstanceOf(IllegalStateException.class);
  }
}
