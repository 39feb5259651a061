package dev.voicebridge.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Token input, flushes, cancel, back pressure and concurrent sessions on one synthesizer. */
class LocalStreamingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final SynthesisOptions PCM16 = Tts.format(AudioFormat.pcm(16_000));
  private static final String LONG_TEXT =
      IntStream.rangeClosed(1, 12)
          .mapToObj(i -> "This is sentence number " + i + " of a rather long story.")
          .collect(Collectors.joining(" "));

  private static LocalSynthesizer synth;

  @BeforeAll
  static void start() {
    synth = Tts.create();
  }

  @AfterAll
  static void stop() {
    synth.close();
  }

  @Test
  void aCompleteSentenceIsSpokenBeforeFinish() throws Exception {
    SynthesisSession session = synth.open(PCM16);
    try (SynthesisStream stream = session.stream()) {
      for (String token : new String[] {"Hello", " world", ".", " The"}) {
        session.sendText(token);
      }
      SynthesisEvent first = stream.poll(WAIT);
      assertThat(first).isInstanceOf(AudioChunk.class);
      session.sendText(" weather is nice today.");
      session.finish();
      byte[] rest = stream.readAllAudio();
      assertThat(rest).isNotEmpty();
      SynthesisReport r = stream.report();
      assertThat(r.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    }
  }

  @Test
  void tokenInputGivesTheSameAudioAsWholeText() {
    byte[] whole = Tts.speak(synth, Tts.HELLO, PCM16);
    SynthesisSession session = synth.open(PCM16);
    try (SynthesisStream stream = session.stream()) {
      for (char c : Tts.HELLO.toCharArray()) {
        session.sendText(String.valueOf(c));
      }
      session.finish();
      assertThat(stream.readAllAudio()).isEqualTo(whole);
    }
  }

  @Test
  void aFlushSpeaksAnUnfinishedSentenceBeforeFinish() throws Exception {
    SynthesisSession session = synth.open(PCM16);
    try (SynthesisStream stream = session.stream()) {
      session.sendText("Hello there my friend");
      session.flush();
      assertThat(stream.poll(WAIT)).isInstanceOf(AudioChunk.class);
      session.sendText("And goodbye.");
      session.finish();
      stream.readAllAudio();
      assertThat(stream.report().firstAudioAfterFlush()).hasSize(1);
    }
  }

  @Test
  void aSessionWithoutTextCompletesWithoutAudio() {
    SynthesisSession session = synth.open(PCM16);
    try (SynthesisStream stream = session.stream()) {
      session.finish();
      assertThat(stream.readAllAudio()).isEmpty();
      assertThat(stream.report().outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    }
  }

  @Test
  void cancelStopsTheAudioAndTheWorkerServesTheNextSession() throws Exception {
    byte[] full = Tts.speak(synth, LONG_TEXT, PCM16);
    SynthesisSession session = synth.open(PCM16);
    Recorder recorder = new Recorder(1);
    session.events().subscribe(recorder);
    session.sendText(LONG_TEXT);
    session.finish();
    assertThat(recorder.firstAudio.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    session.cancel();
    int atCancel = recorder.events.size();
    recorder.subscription.request(Long.MAX_VALUE); // would deliver anything still queued

    assertThat(recorder.done.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(SynthesisCancelledException.class);
    assertThat(recorder.events).hasSize(atCancel);
    assertThat(session.report().outcome()).isEqualTo(SynthesisReport.Outcome.CANCELLED);
    assertThat(session.report().bytesReceived()).isLessThan(full.length);

    // the worker is alive and free: the next session speaks the whole text
    assertThat(Tts.speak(synth, LONG_TEXT, PCM16)).isEqualTo(full);
  }

  @Test
  void aSlowConsumerHoldsBackItsSessionButNotTheWorker() throws Exception {
    byte[] full = Tts.speak(synth, LONG_TEXT, PCM16);
    SynthesisSession slow = synth.open(PCM16);
    Recorder recorder = new Recorder(0); // requests nothing yet
    slow.events().subscribe(recorder);
    slow.sendText(LONG_TEXT);
    slow.finish();
    // the worker fills the session's buffer, then waits for room
    await().atMost(WAIT).until(() -> slow.report().chunks() >= 32);

    // meanwhile another session is served to the end
    assertThat(Tts.speak(synth, Tts.HELLO, PCM16)).isNotEmpty();
    // and the slow session did not run ahead: about two sentences, not twelve
    long ahead = slow.report().bytesReceived();
    assertThat(ahead).isLessThan(full.length / 2);

    recorder.subscription.request(Long.MAX_VALUE);
    assertThat(recorder.done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
    assertThat(recorder.audio()).isEqualTo(full);
  }

  @Test
  void concurrentSessionsEachGetTheirOwnSpeech() throws Exception {
    List<String> texts =
        List.of("Good morning.", "The cat sat on the mat.", "Numbers like forty two.");
    List<byte[]> expected = new ArrayList<>();
    for (String t : texts) {
      expected.add(Tts.speak(synth, t, PCM16));
    }
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    List<SynthesisStream> streams = new ArrayList<>();
    for (String t : texts) {
      SynthesisStream s = synth.synthesize(t, PCM16);
      streams.add(s);
    }
    for (SynthesisStream s : streams) {
      results.add(CompletableFuture.supplyAsync(s::readAllAudio));
    }
    for (int i = 0; i < texts.size(); i++) {
      assertThat(results.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(expected.get(i));
    }
  }

  /** A subscriber that requests {@code initial} events and records what arrives. */
  static class Recorder implements Flow.Subscriber<SynthesisEvent> {
    final List<SynthesisEvent> events = new CopyOnWriteArrayList<>();
    final CountDownLatch firstAudio = new CountDownLatch(1);
    final CompletableFuture<Throwable> done = new CompletableFuture<>();
    private final long initial;
    volatile Flow.Subscription subscription;

    Recorder(long initial) {
      this.initial = initial;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (initial > 0) {
        s.request(initial);
      }
    }

    @Override
    public void onNext(SynthesisEvent item) {
      events.add(item);
      if (item instanceof AudioChunk) {
        firstAudio.countDown();
      }
    }

    @Override
    public void onError(Throwable t) {
      done.complete(t);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }

    byte[] audio() throws ExecutionException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (SynthesisEvent e : events) {
        if (e instanceof AudioChunk c) {
          out.writeBytes(c.bytes());
        }
      }
      return out.toByteArray();
    }
  }
}
