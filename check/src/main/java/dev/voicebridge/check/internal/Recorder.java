package dev.voicebridge.check.internal;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.WordTiming;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber that records what a session delivers and how it ends: the audio, the word timings,
 * every terminal signal (a session must send exactly one), anything delivered after one, and, when
 * asked to cancel at its first chunk, anything delivered after {@code cancel()} returned. Its
 * methods run on the session's delivery threads; the check's thread waits with {@link
 * #awaitFirstAudio} and {@link #awaitTerminal}.
 */
public final class Recorder implements Flow.Subscriber<SynthesisEvent> {
  private final SynthesisSession cancelAtFirstChunk;
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
  private final List<WordTiming> timings = new ArrayList<>();
  private final CountDownLatch firstAudio = new CountDownLatch(1);
  private final CountDownLatch terminal = new CountDownLatch(1);
  private int chunks;
  private int terminals;
  private int eventsAfterTerminal;
  private int chunksAfterCancel;
  private boolean cancelReturned;
  private boolean completed;
  private Throwable error;

  private Recorder(SynthesisSession cancelAtFirstChunk) {
    this.cancelAtFirstChunk = cancelAtFirstChunk;
  }

  /** Records everything, requesting without limit. */
  public static Recorder recording() {
    return new Recorder(null);
  }

  /**
   * Records, and cancels {@code session} from inside the delivery of its first chunk (so the
   * cancellation always lands while audio is still owed, however fast the vendor is).
   */
  public static Recorder cancellingAtFirstChunk(SynthesisSession session) {
    return new Recorder(session);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(SynthesisEvent event) {
    boolean cancelNow = false;
    synchronized (this) {
      if (terminals > 0) {
        eventsAfterTerminal++;
        return;
      }
      if (event instanceof AudioChunk c) {
        if (cancelReturned) {
          chunksAfterCancel++;
        }
        chunks++;
        audio.writeBytes(c.bytes());
        cancelNow = cancelAtFirstChunk != null && chunks == 1;
      } else if (event instanceof WordTiming w) {
        timings.add(w);
      }
    }
    firstAudio.countDown();
    if (cancelNow) {
      cancelAtFirstChunk.cancel();
      synchronized (this) {
        cancelReturned = true;
      }
    }
  }

  @Override
  public void onError(Throwable throwable) {
    synchronized (this) {
      terminals++;
      if (error == null && !completed) {
        error = throwable;
      }
    }
    firstAudio.countDown();
    terminal.countDown();
  }

  @Override
  public void onComplete() {
    synchronized (this) {
      terminals++;
      if (error == null) {
        completed = true;
      }
    }
    firstAudio.countDown();
    terminal.countDown();
  }

  /** Waits for the first audio (or the end); whether it came within {@code timeout}. */
  public boolean awaitFirstAudio(Duration timeout) throws InterruptedException {
    return firstAudio.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Waits for the terminal signal; whether it came within {@code timeout}. */
  public boolean awaitTerminal(Duration timeout) throws InterruptedException {
    return terminal.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The audio delivered, in order. */
  public synchronized byte[] audio() {
    return audio.toByteArray();
  }

  /** The word timings delivered, in order. */
  public synchronized List<WordTiming> timings() {
    return List.copyOf(timings);
  }

  /** Audio chunks delivered. */
  public synchronized int chunks() {
    return chunks;
  }

  /** Terminal signals received (one, for a session that keeps its contract). */
  public synchronized int terminals() {
    return terminals;
  }

  /** Events delivered after a terminal signal (none, for a session that keeps its contract). */
  public synchronized int eventsAfterTerminal() {
    return eventsAfterTerminal;
  }

  /** Audio chunks delivered after {@code cancel()} returned. */
  public synchronized int chunksAfterCancel() {
    return chunksAfterCancel;
  }

  /** Whether the recorder cancelled the session (at its first chunk). */
  public synchronized boolean cancelled() {
    return cancelReturned;
  }

  /** Whether the session completed. */
  public synchronized boolean completed() {
    return completed;
  }

  /** The terminal error, or null. */
  public synchronized Throwable error() {
    return error;
  }
}
