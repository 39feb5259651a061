package dev.voicebridge.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.observe.SessionInfo;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The listeners of one session, and how their events reach them: posted from anywhere (also under
 * the session's locks: posting only enqueues), dispatched one at a time, in order, by whichever
 * thread calls {@link #dispatch()} while holding none of the session's locks, each listener
 * isolated (a throwing one is logged and the others go on).
 *
 * <p>Listeners reach a session through a thread-local scope that {@link ObservedSynthesizer} sets
 * around {@code open()}: providers create sessions with {@code SynthesisSessions.open} on the
 * caller's thread, so every provider's sessions are observed without the provider passing anything
 * on. The library's own {@link SessionLog} observes every session.
 */
public final class SessionEvents {
  private static final Log LOG = Log.get("dev.voicebridge.listener");
  private static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

  /** What {@link ObservedSynthesizer} puts in scope around {@code open()}. */
  private record Scope(List<SessionListener> listeners, SynthesisOptions options) {}

  private record Entry(String name, SessionObserver observer) {}

  private final String provider;
  private final AudioFormat format;
  private final List<SessionListener> listeners;
  private final SynthesisOptions options;
  private final BooleanSupplier lockFree;
  private final ConcurrentLinkedQueue<Consumer<SessionObserver>> queue =
      new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile List<Entry> observers; // null until opened() ran

  private SessionEvents(
      String provider,
      AudioFormat format,
      List<SessionListener> listeners,
      SynthesisOptions options,
      BooleanSupplier lockFree) {
    this.provider = provider;
    this.format = format;
    this.listeners = listeners;
    this.options = options;
    this.lockFree = lockFree;
  }

  /**
   * Runs {@code open} with {@code listeners} in scope: the session it creates on this thread is
   * observed by them (and by those of enclosing scopes).
   */
  static <T> T withListeners(
      List<SessionListener> listeners, SynthesisOptions options, Supplier<T> open) {
    Scope previous = SCOPE.get();
    List<SessionListener> all = new ArrayList<>();
    if (previous != null) {
      all.addAll(previous.listeners());
    }
    all.addAll(listeners);
    SCOPE.set(new Scope(List.copyOf(all), options));
    try {
      return open.get();
    } finally {
      if (previous == null) {
        SCOPE.remove();
      } else {
        SCOPE.set(previous);
      }
    }
  }

  /**
   * The events of a new session: the listeners in scope on this thread now, plus the library's
   * logging.
   *
   * @param lockFree whether the calling thread holds none of the session's locks
   */
  public static SessionEvents forSession(
      String provider, AudioFormat format, BooleanSupplier lockFree) {
    Scope scope = SCOPE.get();
    List<SessionListener> ls = new ArrayList<>();
    ls.add(SessionLog.INSTANCE);
    SynthesisOptions options = SynthesisOptions.defaults();
    if (scope != null) {
      ls.addAll(scope.listeners());
      options = scope.options();
    }
    return new SessionEvents(provider, format, List.copyOf(ls), options, lockFree);
  }

  /**
   * Hides the scope from sessions opened while the provider starts this one (a fallback chain opens
   * its members' sessions then; those are observed by their own synthesizers' listeners only).
   */
  public static Hidden hideScope() {
    Scope scope = SCOPE.get();
    SCOPE.remove();
    return () -> {
      if (scope != null) {
        SCOPE.set(scope);
      }
    };
  }

  /** Restores the scope {@link #hideScope()} hid. */
  public interface Hidden extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * The session opened (the provider started it): tells every listener, on this thread, then
   * delivers what was posted meanwhile.
   */
  public void opened(Map<String, String> attributes) {
    String model = attributes.get("model");
    if (model == null) {
      model = options.model().orElse(null);
    }
    SessionInfo info =
        new SessionInfo(
            provider,
            attributes.get("transport"),
            model,
            options.voice().orElse(null),
            format,
            attributes);
    List<Entry> entries = new ArrayList<>(listeners.size());
    for (SessionListener l : listeners) {
      try {
        SessionObserver o = l.opened(info);
        if (o != null && o != SessionObserver.NONE) {
          entries.add(new Entry(l.getClass().getName(), o));
        }
      } catch (RuntimeException | LinkageError e) {
        isolate(l.getClass().getName(), "opened", e);
      }
    }
    observers = List.copyOf(entries);
    dispatch();
  }

  /** The connection is ready. */
  public void connected(Duration setup, boolean reused) {
    post(o -> o.connected(setup, reused));
  }

  /** The first audio was delivered. */
  public void firstAudio(Duration timeToFirstAudio) {
    post(o -> o.firstAudio(timeToFirstAudio));
  }

  /** The first audio after flush number {@code flush} was delivered. */
  public void flushAnswered(int flush, Duration latency) {
    post(o -> o.flushAnswered(flush, latency));
  }

  /**
   * The session ended as the application sees it: {@code error} null for a completion, a {@link
   * SynthesisCancelledException} for a cancel, else the failure.
   */
  public void terminal(SynthesisReport report, Throwable error) {
    if (error == null) {
      post(o -> o.completed(report));
    } else if (error instanceof SynthesisCancelledException) {
      post(o -> o.cancelled(report));
    } else if (error instanceof VoicebridgeException v) {
      post(o -> o.failed(v, report));
    } else {
      VoicebridgeException v = new VoicebridgeException(provider, error.toString(), error);
      post(o -> o.failed(v, report));
    }
  }

  private void post(Consumer<SessionObserver> event) {
    queue.add(event);
    dispatch();
  }

  /**
   * Delivers what was posted, if the session has opened and this thread holds none of its locks;
   * otherwise a later call (the session calls it when it leaves its locks) delivers it.
   */
  public void dispatch() {
    List<Entry> os = observers;
    if (os == null || queue.isEmpty() || !lockFree.getAsBoolean()) {
      return;
    }
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      Consumer<SessionObserver> event;
      while ((event = queue.poll()) != null) {
        for (Entry e : os) {
          try {
            event.accept(e.observer());
          } catch (RuntimeException | LinkageError x) {
            isolate(e.name(), "an event", x);
          }
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void isolate(String listener, String what, Throwable e) {
    LOG.warn(
        "["
            + provider
            + "] session listener "
            + listener
            + " threw on "
            + what
            + " (ignored; the session goes on): "
            + Log.describe(e));
  }
}
