package dev.voicebridge.internal;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.FlushEvent;
import dev.voicebridge.InputEvent;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.LimitExceededException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TextEvent;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.spi.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one session implementation every provider shares: input serialized to the backend, events
 * queued and delivered to a single subscriber with back pressure (a drain loop that runs on
 * whatever thread produced or requested), timing measured here, one terminal signal, and a cancel
 * fence.
 *
 * <p>Locks: {@code this} guards the queue, the terminal state and the figures (held briefly, never
 * while calling out); {@code deliveryLock} is held while the subscriber is called, so {@link
 * #cancel()} can wait for an {@code onNext} in progress; {@code inputLock} serializes calls into
 * the backend.
 */
public final class DefaultSynthesisSession implements SynthesisSession, SynthesisSink {
  private static final Object COMPLETE = new Object();

  private final String provider;
  private final AudioFormat format;
  private final SessionSettings settings;
  private final SessionBackend backend;
  private final Ticker ticker;

  private final Object inputLock = new Object();
  private boolean finished; // inputLock
  private boolean textSinceFlush; // inputLock
  private long charsSinceFlush; // inputLock
  private char heldHighSurrogate; // inputLock: the first half of a pair whose second is to come

  private final ArrayDeque<SynthesisEvent> queue = new ArrayDeque<>();
  private long queuedBytes;
  private final List<Runnable> readyWaiters = new ArrayList<>();
  private Object terminal; // null, COMPLETE or a VoicebridgeException
  private boolean terminalDelivered;
  private Flow.Subscriber<? super SynthesisEvent> subscriber;
  private boolean subscriberCancelled;
  private long demand;
  private volatile boolean cancelled;

  private final ReentrantLock deliveryLock = new ReentrantLock();
  private final AtomicInteger wip = new AtomicInteger();
  private final CompletableFuture<SynthesisReport> completion = new CompletableFuture<>();
  private final SessionEvents events; // listeners: posted anywhere, called outside the locks

  // figures, guarded by this
  private final long startNanos;
  private long connectedNanos = -1;
  private boolean reused;
  private long firstTextNanos = -1;
  private long finishNanos = -1;
  private long completionDeliveredNanos = -1;
  private long firstAudioDeliveredNanos = -1;
  private long lastAudioDeliveredNanos = -1;
  private final List<Long> pendingFlushes = new ArrayList<>();
  private final List<Duration> flushLatencies = new ArrayList<>();
  private long chars;
  private long bytesReceived;
  private long bytesDelivered;
  private long chunksReceived;
  private long timings;
  private long sequence;
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, String> attributes = new LinkedHashMap<>();

  // response timeout
  private long owedSinceNanos = -1; // output owed since (flush/finish), -1 when nothing owed
  private long lastServerEventNanos;
  private ScheduledFuture<?> timer;

  private DefaultSynthesisSession(
      String provider, AudioFormat format, SessionSettings settings, SessionBackend backend) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.format = Objects.requireNonNull(format, "format");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.ticker = settings.ticker();
    this.startNanos = ticker.nanoTime();
    this.lastServerEventNanos = startNanos;
    this.events = SessionEvents.forSession(provider, format, this::holdsNoLock);
    completion.whenComplete((r, e) -> events.terminal(r != null ? r : report(), e));
  }

  /** Creates the session and starts the backend. */
  public static DefaultSynthesisSession start(
      String provider, AudioFormat format, SessionSettings settings, SessionBackend backend) {
    DefaultSynthesisSession s = new DefaultSynthesisSession(provider, format, settings, backend);
    try (SessionEvents.Hidden hidden = SessionEvents.hideScope()) {
      synchronized (s.inputLock) {
        backend.start(s);
      }
    }
    s.events.opened(s.attributesNow());
    return s;
  }

  private synchronized Map<String, String> attributesNow() {
    return Map.copyOf(attributes);
  }

  private boolean holdsNoLock() {
    return !Thread.holdsLock(inputLock)
        && !Thread.holdsLock(this)
        && !deliveryLock.isHeldByCurrentThread();
  }

  // ---------------------------------------------------------------- input

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public void send(InputEvent event) {
    sendInput(event);
    events.dispatch();
  }

  private void sendInput(InputEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (inputLock) {
      if (finished) {
        throw new IllegalStateException("finish() was already called on this session");
      }
      if (isDone()) {
        return;
      }
      try {
        if (event instanceof TextEvent t) {
          String text = wholeCodePoints(t.text());
          if (text.isEmpty()) {
            return;
          }
          charsSinceFlush += text.length();
          if (charsSinceFlush > settings.maxTextChars()) {
            failFromLibrary(
                new LimitExceededException(
                    provider,
                    "max-text-chars",
                    settings.maxTextChars(),
                    charsSinceFlush
                        + " characters of text without a flush; flush more often (each flush"
                        + " ends a request)"));
            return;
          }
          synchronized (this) {
            long now = ticker.nanoTime();
            if (firstTextNanos < 0) {
              firstTextNanos = now;
            }
            chars += text.length();
          }
          textSinceFlush = true;
          for (String piece : TextPieces.split(text, TextPieces.MAX_PIECE)) {
            backend.text(piece); // a long text goes out sentence by sentence, the first at once
          }
        } else if (event == FlushEvent.INSTANCE) {
          if (refuseHeldSurrogate()) {
            return;
          }
          if (!textSinceFlush) {
            return;
          }
          textSinceFlush = false;
          charsSinceFlush = 0;
          synchronized (this) {
            long now = ticker.nanoTime();
            pendingFlushes.add(now);
            owe(now);
          }
          backend.flush();
        }
      } catch (InvalidRequestException e) {
        throw e;
      } catch (RuntimeException e) {
        failFromLibrary(wrap(e));
      }
    }
  }

  /**
   * {@code text} cut at code-point boundaries: a high surrogate at its end is held until the next
   * text brings its low half (an emoji split across two tokens reaches the vendor whole, never as
   * two halves), and a held one is put in front of the next text. A lone surrogate is refused.
   * Called with inputLock held.
   */
  private String wholeCodePoints(String text) {
    if (heldHighSurrogate != 0) {
      text = heldHighSurrogate + text;
      heldHighSurrogate = 0;
    }
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == n) {
          heldHighSurrogate = c;
          return text.substring(0, n - 1);
        }
        if (!Character.isLowSurrogate(text.charAt(i + 1))) {
          throw loneSurrogate(i);
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw loneSurrogate(i);
      }
    }
    return text;
  }

  private InvalidRequestException loneSurrogate(int index) {
    return new InvalidRequestException(
        provider,
        0,
        "lone_surrogate",
        "the text has half of a UTF-16 surrogate pair at index "
            + index
            + " with no other half: it is not text (the session goes on; this text was not sent)");
  }

  /**
   * At a flush or the finish, a held first half whose second half never came is a lone surrogate:
   * the session fails with an {@link InvalidRequestException}. Called with inputLock held.
   */
  private boolean refuseHeldSurrogate() {
    if (heldHighSurrogate == 0) {
      return false;
    }
    heldHighSurrogate = 0;
    failFromLibrary(
        new InvalidRequestException(
            provider,
            0,
            "lone_surrogate",
            "the text ended with the first half of a UTF-16 surrogate pair, and its second half"
                + " never came"));
    return true;
  }

  @Override
  public void finish() {
    finishInput();
    events.dispatch();
  }

  private void finishInput() {
    synchronized (inputLock) {
      if (finished) {
        return;
      }
      finished = true;
      if (isDone() || refuseHeldSurrogate()) {
        return;
      }
      synchronized (this) {
        long now = ticker.nanoTime();
        finishNanos = now;
        owe(now);
      }
      try {
        backend.finish();
      } catch (RuntimeException e) {
        failFromLibrary(wrap(e));
      }
    }
  }

  private VoicebridgeException wrap(RuntimeException e) {
    return e instanceof VoicebridgeException v
        ? v
        : new VoicebridgeException(provider, "provider failed: " + e, e);
  }

  // ---------------------------------------------------------------- sink

  @Override
  public void connected(boolean wasReused) {
    Duration setup = null;
    synchronized (this) {
      if (connectedNanos < 0) {
        connectedNanos = ticker.nanoTime();
        reused = wasReused;
        lastServerEventNanos = connectedNanos;
        setup = Duration.ofNanos(connectedNanos - startNanos);
      }
    }
    if (setup != null) {
      events.connected(setup, wasReused);
    }
  }

  @Override
  public void audio(ByteBuffer data) {
    if (!data.hasRemaining()) {
      return;
    }
    boolean overflow;
    boolean runaway;
    synchronized (this) {
      if (terminal != null) {
        return;
      }
      long now = ticker.nanoTime();
      lastServerEventNanos = now;
      int size = data.remaining();
      Duration since = firstTextNanos < 0 ? null : Duration.ofNanos(now - firstTextNanos);
      AudioChunk chunk = new AudioChunk(data, format, sequence++, bytesReceived, now, since);
      bytesReceived += size;
      chunksReceived++;
      queuedBytes += size;
      queue.add(chunk);
      overflow = queuedBytes > settings.maxBufferedBytes();
      runaway = !overflow && overBudget();
    }
    if (runaway) {
      failFromLibrary(
          new ProtocolException(
              provider,
              "the server sent more audio ("
                  + budgetDuration(bytesReceivedSnapshot()).toMillis()
                  + " ms) than "
                  + charsSnapshot()
                  + " characters of text can need (limits max-audio-floor = "
                  + settings.audioBudget().floor().toMillis()
                  + " ms, max-audio-per-char = "
                  + settings.audioBudget().perCharacter().toMillis()
                  + " ms): a runaway stream"));
      return;
    }
    if (overflow) {
      synchronized (this) {
        queue.clear();
        queuedBytes = 0;
      }
      failFromLibrary(
          new ProtocolException(
              provider,
              "more than "
                  + settings.maxBufferedBytes()
                  + " bytes of undelivered audio: the transport ignored back pressure (limit"
                  + " max-buffered-audio-bytes)"));
      return;
    }
    drain();
  }

  /** Audio assumed per byte of a compressed format: 16 kbit/s, low, so the estimate is generous. */
  private static final long COMPRESSED_BYTES_PER_SECOND = 2_000;

  /** Whether the audio received passes the session's budget. Called with this held. */
  private boolean overBudget() {
    SessionSettings.AudioBudget b = settings.audioBudget();
    return b.isBounded() && budgetDuration(bytesReceived).compareTo(b.allowance(chars)) > 0;
  }

  /** The duration {@code bytes} of audio play for, estimated generously for compressed formats. */
  private Duration budgetDuration(long bytes) {
    long bps = format.isUncompressed() ? format.bytesPerSecond() : COMPRESSED_BYTES_PER_SECOND;
    return Duration.ofMillis(bytes * 1000 / Math.max(1, bps));
  }

  private synchronized long bytesReceivedSnapshot() {
    return bytesReceived;
  }

  private synchronized long charsSnapshot() {
    return chars;
  }

  @Override
  public void wordTiming(WordTiming timing) {
    synchronized (this) {
      if (terminal != null) {
        return;
      }
      lastServerEventNanos = ticker.nanoTime();
      timings++;
      queue.add(timing);
    }
    drain();
  }

  @Override
  public void complete() {
    synchronized (this) {
      if (terminal != null) {
        return;
      }
      terminal = COMPLETE;
      cancelTimer();
    }
    drain();
  }

  @Override
  public void fail(VoicebridgeException error) {
    Objects.requireNonNull(error, "error");
    Redaction.apply(error, settings.redactor());
    synchronized (this) {
      if (terminal != null) {
        return;
      }
      terminal = error;
      cancelTimer();
    }
    // audio that arrived before the failure is still delivered, then the error: nothing is lost
    drain();
  }

  /**
   * Fails the session from the library's side (timeout, overflow, a failing input iterator): the
   * backend is told to abort.
   */
  public void failFromLibrary(VoicebridgeException error) {
    Redaction.apply(error, settings.redactor());
    synchronized (this) {
      if (terminal != null) {
        return;
      }
      terminal = error;
      cancelTimer();
    }
    abortBackend(error);
    drain();
  }

  /** Tells the backend to abort: a cancel ({@code cause} null) or a failure of the library's. */
  private void abortBackend(VoicebridgeException cause) {
    try {
      if (cause == null) {
        backend.cancel();
      } else {
        backend.abort(cause);
      }
    } catch (RuntimeException ignored) {
      // the backend's cleanup failing must not hide the session's own outcome
    }
  }

  @Override
  public void warn(String warning) {
    String w = settings.redactor().redact(warning);
    synchronized (this) {
      warnings.add(w);
    }
  }

  @Override
  public void attribute(String key, String value) {
    String k = settings.redactor().redact(key);
    String v = settings.redactor().redact(value);
    synchronized (this) {
      attributes.put(k, v);
    }
  }

  @Override
  public void whenReady(Runnable action) {
    boolean now;
    synchronized (this) {
      now = terminal != null || queue.size() < settings.prefetchEvents();
      if (!now) {
        readyWaiters.add(action);
      }
    }
    if (now) {
      action.run();
    }
  }

  @Override
  public boolean isDone() {
    synchronized (this) {
      return terminal != null;
    }
  }

  // ---------------------------------------------------------------- timeout

  private void owe(long now) {
    // called with this held
    if (terminal != null) {
      return;
    }
    if (owedSinceNanos < 0) {
      owedSinceNanos = now;
    }
    if (timer == null) {
      timer = Timers.schedule(this::checkTimeout, settings.responseTimeout().toNanos());
    }
  }

  private void cancelTimer() {
    // called with this held
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void checkTimeout() {
    long wait;
    synchronized (this) {
      timer = null;
      if (terminal != null || owedSinceNanos < 0) {
        return;
      }
      long now = ticker.nanoTime();
      long last = Math.max(lastServerEventNanos, owedSinceNanos);
      long limit = settings.responseTimeout().toNanos();
      boolean consumerBusy = queue.size() >= settings.prefetchEvents();
      if (consumerBusy || now - last < limit) {
        wait = consumerBusy ? limit : limit - (now - last);
        timer = Timers.schedule(this::checkTimeout, wait);
        return;
      }
    }
    failFromLibrary(
        new SynthesisTimeoutException(
            provider,
            "no answer from the server for "
                + settings.responseTimeout().toMillis()
                + " ms while audio was owed"));
  }

  // ---------------------------------------------------------------- output

  @Override
  public Flow.Publisher<SynthesisEvent> events() {
    return this::subscribe;
  }

  private void subscribe(Flow.Subscriber<? super SynthesisEvent> s) {
    Objects.requireNonNull(s, "subscriber");
    boolean accepted;
    synchronized (this) {
      accepted = subscriber == null;
      if (accepted) {
        subscriber = s;
      }
    }
    if (!accepted) {
      s.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      s.onError(new IllegalStateException("a session's events accept one subscriber"));
      return;
    }
    s.onSubscribe(new SessionSubscription());
    drain();
  }

  private final class SessionSubscription implements Flow.Subscription {
    @Override
    public void request(long n) {
      if (n <= 0) {
        failFromLibrary(
            new VoicebridgeException(
                provider, "subscriber requested " + n + " events (rule 3.9: must be positive)"));
        return;
      }
      synchronized (DefaultSynthesisSession.this) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      }
      drain();
    }

    @Override
    public void cancel() {
      synchronized (DefaultSynthesisSession.this) {
        subscriberCancelled = true;
      }
      DefaultSynthesisSession.this.cancel();
    }
  }

  @Override
  public SynthesisStream stream() {
    BlockingSynthesisStream stream = new BlockingSynthesisStream(this, settings.prefetchEvents());
    events().subscribe(stream);
    return stream;
  }

  @Override
  public CompletionStage<SynthesisReport> completion() {
    return completion.minimalCompletionStage();
  }

  @Override
  public void cancel() {
    boolean abort;
    synchronized (this) {
      if (terminalDelivered || cancelled) {
        return;
      }
      cancelled = true;
      abort = terminal == null;
      terminal = new SynthesisCancelledException(provider);
      queue.clear();
      queuedBytes = 0;
      cancelTimer();
    }
    if (abort) {
      abortBackend(null);
    }
    // the fence: an onNext running on another thread finishes before cancel() returns
    if (!deliveryLock.isHeldByCurrentThread()) {
      deliveryLock.lock();
      deliveryLock.unlock();
    }
    drain();
  }

  @Override
  public void close() {
    cancel();
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      deliverAvailable();
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
    events.dispatch();
  }

  private void deliverAvailable() {
    deliveryLock.lock();
    try {
      for (; ; ) {
        Flow.Subscriber<? super SynthesisEvent> s;
        SynthesisEvent event = null;
        Object term = null;
        List<Runnable> ready = null;
        boolean signalTerminal;
        synchronized (this) {
          if (terminalDelivered) {
            return;
          }
          s = subscriber;
          if (s == null) {
            if (terminal instanceof VoicebridgeException e) {
              completion.completeExceptionally(e);
            }
            return;
          }
          if (!queue.isEmpty() && !cancelled) {
            if (demand == 0) {
              return;
            }
            event = queue.poll();
            if (demand != Long.MAX_VALUE) {
              demand--;
            }
            if (event instanceof AudioChunk c) {
              queuedBytes -= c.size();
              recordDelivery(c);
            }
            if (!readyWaiters.isEmpty() && queue.size() < settings.prefetchEvents()) {
              ready = new ArrayList<>(readyWaiters);
              readyWaiters.clear();
            }
          } else if (terminal != null) {
            term = terminal;
            terminalDelivered = true;
            completionDeliveredNanos = ticker.nanoTime();
            readyWaiters.clear();
          } else {
            return;
          }
          signalTerminal = !subscriberCancelled;
        }
        if (ready != null) {
          ready.forEach(Runnable::run);
        }
        if (event != null) {
          try {
            s.onNext(event);
          } catch (RuntimeException e) {
            failFromLibrary(
                new VoicebridgeException(provider, "the subscriber's onNext threw " + e, e));
          }
          continue;
        }
        deliverTerminal(s, term, signalTerminal);
        return;
      }
    } finally {
      deliveryLock.unlock();
    }
  }

  private void recordDelivery(AudioChunk c) {
    // called with this held
    long now = ticker.nanoTime();
    if (firstAudioDeliveredNanos < 0) {
      firstAudioDeliveredNanos = now;
      if (firstTextNanos >= 0) {
        events.firstAudio(Duration.ofNanos(Math.max(0, now - firstTextNanos)));
      }
    }
    lastAudioDeliveredNanos = now;
    bytesDelivered += c.size();
    for (long f : pendingFlushes) {
      flushLatencies.add(Duration.ofNanos(now - f));
      events.flushAnswered(flushLatencies.size() - 1, Duration.ofNanos(now - f));
    }
    pendingFlushes.clear();
    if (owedSinceNanos >= 0 && finishNanos < 0) {
      owedSinceNanos = -1; // a flush was answered; finish() owes again until the end
    }
  }

  private void deliverTerminal(
      Flow.Subscriber<? super SynthesisEvent> s, Object term, boolean signal) {
    SynthesisReport report = report();
    if (term == COMPLETE) {
      if (signal) {
        try {
          s.onComplete();
        } catch (RuntimeException ignored) {
          // the subscriber's problem; the session is complete
        }
      }
      completion.complete(report);
    } else {
      VoicebridgeException e = (VoicebridgeException) term;
      if (signal) {
        try {
          s.onError(e);
        } catch (RuntimeException ignored) {
          // the subscriber's problem; the session has failed already
        }
      }
      completion.completeExceptionally(e);
    }
  }

  // ---------------------------------------------------------------- report

  @Override
  public synchronized SynthesisReport report() {
    SynthesisReport.Outcome outcome;
    if (terminal == null || !(terminalDelivered || completion.isDone())) {
      outcome = SynthesisReport.Outcome.RUNNING;
    } else if (terminal == COMPLETE) {
      outcome = SynthesisReport.Outcome.COMPLETED;
    } else if (terminal instanceof SynthesisCancelledException) {
      outcome = SynthesisReport.Outcome.CANCELLED;
    } else {
      outcome = SynthesisReport.Outcome.FAILED;
    }
    return SynthesisReport.builder(provider, format)
        .outcome(outcome)
        .connection(
            connectedNanos < 0 ? null : Duration.ofNanos(connectedNanos - startNanos), reused)
        .timeToFirstAudio(span(firstTextNanos, firstAudioDeliveredNanos))
        .firstAudioAfterFlush(flushLatencies)
        .timeToLastAudio(span(firstTextNanos, lastAudioDeliveredNanos))
        .lastAudioAfterFinish(span(finishNanos, lastAudioDeliveredNanos))
        .timeToCompletion(
            outcome == SynthesisReport.Outcome.COMPLETED
                ? span(firstTextNanos, completionDeliveredNanos)
                : null)
        .audioDuration(format.durationOf(bytesDelivered))
        .counts(chars, bytesReceived, chunksReceived, timings)
        .warnings(warnings)
        .attributes(attributes)
        .build();
  }

  private static Duration span(long from, long to) {
    return from < 0 || to < 0 ? null : Duration.ofNanos(Math.max(0, to - from));
  }

  @Override
  public String toString() {
    return "SynthesisSession[" + provider + ", " + format + "]";
  }
}
