package dev.voicebridge.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Creation is cheap; the worker starts on first use and close() stops it. */
class LocalLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void createStartsNoThreadAndLoadsNoVoice() {
    LocalSynthesizer s = Tts.create();
    try {
      s.capabilities();
      assertThat(s.isStarted()).isFalse();
      assertThat(s.isLoaded()).isFalse();
      assertThat(Tts.threadsOf(s)).isEmpty();
    } finally {
      s.close();
    }
    assertThat(Tts.threadsOf(s)).isEmpty();
  }

  @Test
  void theWorkerIsANamedDaemonStartedOnFirstUseAndStoppedByClose() {
    LocalSynthesizer s = Tts.create();
    try {
      assertThat(Tts.speak(s, "Hello.", AudioFormat.pcm(16_000))).isNotEmpty();
      assertThat(s.isLoaded()).isTrue();
      assertThat(Tts.threadsOf(s))
          .containsExactlyInAnyOrder(s.threadName(), s.threadName() + "-output");
      assertThat(
              Thread.getAllStackTraces().keySet().stream()
                  .filter(t -> t.getName().equals(s.threadName())))
          .allMatch(Thread::isDaemon);
    } finally {
      s.close();
    }
    await().atMost(WAIT).until(() -> Tts.threadsOf(s).isEmpty());
    await().atMost(WAIT).until(() -> Tts.localThreads().isEmpty());
  }

  @Test
  void closeCancelsARunningSession() throws Exception {
    LocalSynthesizer s = Tts.create();
    SynthesisSession session;
    try {
      session = s.open(Tts.format(AudioFormat.pcm(16_000)));
      session.sendText("An unfinished sentence that never ends");
    } finally {
      s.close();
    }
    assertThatThrownBy(
            () ->
                session.completion().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(SynthesisCancelledException.class);
    await().atMost(WAIT).until(() -> Tts.threadsOf(s).isEmpty());
  }

  @Test
  void aClosedSynthesizerOpensNothingAndClosesTwice() {
    LocalSynthesizer s = Tts.create();
    s.close();
    s.close();
    assertThatThrownBy(s::open).isInstanceOf(IllegalStateException.class);
    assertThat(s.isStarted()).isFalse();
  }

  @Test
  void closeFromTheDeliveryThreadDoesNotDeadlock() {
    LocalSynthesizer s = Tts.create();
    SynthesisSession session = s.open(Tts.format(AudioFormat.pcm(16_000)));
    LocalStreamingTest.Recorder recorder =
        new LocalStreamingTest.Recorder(Long.MAX_VALUE) {
          @Override
          public void onNext(dev.voicebridge.SynthesisEvent item) {
            super.onNext(item);
            s.close(); // runs on the thread that delivers audio
          }
        };
    session.events().subscribe(recorder);
    session.sendText("Hello there. And more.");
    session.finish();
    try {
      Throwable end = recorder.done.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      assertThat(end).isInstanceOf(SynthesisCancelledException.class);
    } catch (CompletionException e) {
      throw new AssertionError("the session did not end", e);
    }
    await().atMost(WAIT).until(() -> Tts.threadsOf(s).isEmpty());
  }

  @Test
  void streamsCanBeClosedBeforeTheEnd() {
    LocalSynthesizer s = Tts.create();
    try {
      SynthesisStream stream = s.synthesize("Hello world.", Tts.format(AudioFormat.pcm(16_000)));
      stream.close();
      assertThat(Tts.speak(s, "Still working.", AudioFormat.pcm(16_000))).isNotEmpty();
    } finally {
      s.close();
    }
  }
}
