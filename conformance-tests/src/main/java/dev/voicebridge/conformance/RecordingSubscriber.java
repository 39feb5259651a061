package dev.voicebridge.conformance;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.WordTiming;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber that records everything a session delivers, counts terminal signals and notices
 * events that arrive after a fence (for the cancel rules). Requests {@code batch} events at a time,
 * or nothing until {@link #request(long)} when {@code batch} is 0.
 */
public final class RecordingSubscriber implements Flow.Subscriber<SynthesisEvent> {
  private final long batch;
  private volatile Flow.Subscription subscription;
  private final List<SynthesisEvent> events = new ArrayList<>();
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
  private final AtomicInteger terminals = new AtomicInteger();
  private final AtomicInteger subscribes = new AtomicInteger();
  private final AtomicBoolean fenced = new AtomicBoolean();
  private final AtomicInteger afterFence = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);
  private final CountDownLatch firstAudio = new CountDownLatch(1);
  private volatile Throwable error;
  private volatile boolean completed;

  /**
   * Requests {@code batch} events whenever the previous batch was delivered (0 = manual).
   *
   * @param batch how many events to request at a time; 0 requests only through {@link
   *     #request(long)}
   */
  public RecordingSubscriber(long batch) {
    this.batch = batch;
  }

  /** Requests everything. */
  public RecordingSubscriber() {
    this(Long.MAX_VALUE);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscribes.incrementAndGet();
    subscription = s;
    if (batch > 0) {
      s.request(batch);
    }
  }

  private long received;

  @Override
  public synchronized void onNext(SynthesisEvent item) {
    if (fenced.get()) {
      afterFence.incrementAndGet();
    }
    events.add(item);
    if (item instanceof AudioChunk c) {
      ByteBuffer b = c.data();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      audio.writeBytes(bytes);
      firstAudio.countDown();
    }
    received++;
    notifyAll();
    if (batch > 0 && batch != Long.MAX_VALUE && received % batch == 0) {
      subscription.request(batch);
    }
  }

  @Override
  public void onError(Throwable t) {
    error = t;
    terminals.incrementAndGet();
    done.countDown();
    wakeUp();
  }

  private synchronized void wakeUp() {
    notifyAll();
  }

  @Override
  public void onComplete() {
    completed = true;
    terminals.incrementAndGet();
    done.countDown();
    wakeUp();
  }

  /**
   * Waits until at least {@code n} events were delivered or the session ended, whichever comes
   * first.
   *
   * @param n the number of events to wait for
   * @param timeout how long to wait at most
   * @return whether {@code n} events were delivered
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public synchronized boolean awaitEvents(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (events.size() < n && done.getCount() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return events.size() >= n;
  }

  /**
   * Asks for {@code n} more events.
   *
   * @param n how many more events to request
   */
  public void request(long n) {
    subscription.request(n);
  }

  /** From now on, any event counts as delivered after the fence. */
  public void fence() {
    fenced.set(true);
  }

  /** {@return the events delivered after {@link #fence()}} */
  public int eventsAfterFence() {
    return afterFence.get();
  }

  /**
   * Waits for the terminal signal.
   *
   * @param timeout how long to wait at most
   * @return whether the session ended (completed or failed) in time
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public boolean awaitTerminal(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Waits for the first audio chunk.
   *
   * @param timeout how long to wait at most
   * @return whether an audio chunk arrived in time
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public boolean awaitFirstAudio(Duration timeout) throws InterruptedException {
    return firstAudio.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** {@return whether the first audio chunk arrived} */
  public boolean hasAudio() {
    return firstAudio.getCount() == 0;
  }

  /** {@return the events so far} */
  public synchronized List<SynthesisEvent> events() {
    return new ArrayList<>(events);
  }

  /** {@return the audio chunks so far} */
  public synchronized List<AudioChunk> chunks() {
    List<AudioChunk> out = new ArrayList<>();
    for (SynthesisEvent e : events) {
      if (e instanceof AudioChunk c) {
        out.add(c);
      }
    }
    return out;
  }

  /** {@return the word timings so far} */
  public synchronized List<WordTiming> timings() {
    List<WordTiming> out = new ArrayList<>();
    for (SynthesisEvent e : events) {
      if (e instanceof WordTiming t) {
        out.add(t);
      }
    }
    return out;
  }

  /** {@return the audio bytes so far} */
  public synchronized byte[] audio() {
    return audio.toByteArray();
  }

  /** {@return the hex SHA-256 of the audio so far} */
  public String audioSha256() {
    return sha256(audio());
  }

  /** {@return how many terminal signals arrived (the contract says exactly one)} */
  public int terminalSignals() {
    return terminals.get();
  }

  /** {@return how many times onSubscribe was called} */
  public int subscriptions() {
    return subscribes.get();
  }

  /** {@return the error, if the session failed} */
  public Throwable error() {
    return error;
  }

  /** {@return whether the session completed normally} */
  public boolean completed() {
    return completed;
  }

  /**
   * {@return the hex SHA-256 of bytes}
   *
   * @param bytes the bytes to hash
   */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
