package dev.voicebridge.cache;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * One synthesis of a whole phrase shared by every session that asked for it while it ran (single
 * flight). It reads the vendor's session as fast as it comes (a phrase is bounded by {@link
 * CachingSynthesizer.Builder#maxPhraseChars}), keeps its events, and lets each waiting session
 * replay them from the first at its own pace. On completion the phrase is stored in the cache
 * before the flight leaves the table of running flights, so a request never finds neither. A
 * failure is shared by the sessions waiting and never stored; when every waiting session has
 * cancelled, the vendor's session is cancelled and nothing is stored.
 */
final class Flight implements Flow.Subscriber<SynthesisEvent> {

  /** A session replaying this flight; told when there is something new. */
  interface Listener {
    void signal();
  }

  private final PhraseCache cache;
  private final String key;
  private final AudioFormat format;
  private final boolean keep;

  // guarded by this
  private final List<Entry.Event> events = new ArrayList<>();
  private final List<Listener> listeners = new ArrayList<>();
  private Entry entry;
  private VoicebridgeException error;
  private boolean abandoned;
  private SynthesisSession session;
  private boolean reused;

  Flight(PhraseCache cache, String key, AudioFormat format, boolean keep, Listener first) {
    this.cache = cache;
    this.key = key;
    this.format = format;
    this.keep = keep;
    listeners.add(first);
  }

  /** Adds a waiting session, unless this flight failed or was abandoned. */
  synchronized boolean join(Listener l) {
    if (abandoned || error != null) {
      return false;
    }
    listeners.add(l);
    return true;
  }

  /** Starts the vendor's session for {@code text}; a failure to open fails the flight. */
  void start(StreamingSynthesizer delegate, SynthesisOptions options, String text) {
    Entry stored = keep ? cache.memoryOnly(key) : null;
    if (stored != null) {
      // stored by a flight that ended between this request's lookup and its joining the table
      finish(stored, false, true);
      return;
    }
    SynthesisSession s;
    try {
      s = delegate.open(options);
    } catch (RuntimeException e) {
      fail(CachingSynthesizer.wrap(delegate.provider(), e));
      return;
    }
    boolean cancel;
    synchronized (this) {
      session = s;
      cancel = abandoned;
    }
    if (cancel) {
      s.cancel();
      return;
    }
    s.events().subscribe(this);
    s.sendText(text);
    s.finish();
  }

  /** A waiting session went away; the last one cancels the vendor's session. */
  void leave(Listener l) {
    boolean abandonNow = false;
    SynthesisSession cancel = null;
    synchronized (this) {
      listeners.remove(l);
      if (listeners.isEmpty() && entry == null && error == null && !abandoned) {
        abandoned = true;
        abandonNow = true;
        cancel = session;
      }
    }
    if (abandonNow) {
      cache.flights().remove(key, this);
      if (cancel != null) {
        cancel.cancel();
      }
    }
  }

  synchronized int size() {
    return events.size();
  }

  synchronized Entry.Event event(int i) {
    return events.get(i);
  }

  /** The stored phrase once complete, the failure once failed, else null. */
  synchronized Object terminal() {
    return entry != null ? entry : error;
  }

  /** Whether the vendor's session ran on a reused connection, as far as known. */
  synchronized boolean reused() {
    return reused;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    // a phrase is bounded: read it as fast as the vendor sends, for every session waiting on it
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(SynthesisEvent e) {
    Entry.Event ev;
    if (e instanceof AudioChunk c) {
      ev = Entry.Event.audio(CachingSynthesizer.bytes(c));
    } else if (e instanceof WordTiming t) {
      ev = Entry.Event.timing(t);
    } else {
      return;
    }
    SynthesisSession first;
    synchronized (this) {
      first = events.isEmpty() ? session : null;
    }
    // whether the vendor reused a connection is known once it sent something: ask once
    boolean wasReused = first != null && first.report().connectionReused();
    synchronized (this) {
      if (first != null) {
        reused = wasReused;
      }
      events.add(ev);
    }
    signalAll();
  }

  @Override
  public void onError(Throwable t) {
    String provider;
    synchronized (this) {
      provider = session == null ? "cache" : session.provider();
    }
    fail(CachingSynthesizer.wrap(provider, t));
  }

  @Override
  public void onComplete() {
    SynthesisReport r;
    synchronized (this) {
      r = session.report();
    }
    List<Entry.Event> copy;
    synchronized (this) {
      copy = List.copyOf(events);
    }
    finish(new Entry(key, format, copy, r.warnings(), r.attributes()), keep, false);
  }

  private void finish(Entry e, boolean store, boolean replaceEvents) {
    synchronized (this) {
      if (entry != null || error != null) {
        return;
      }
      if (replaceEvents) {
        events.clear();
        events.addAll(e.events);
      }
      entry = e;
    }
    if (store) {
      cache.store(e);
    }
    cache.flights().remove(key, this);
    signalAll();
  }

  private void fail(VoicebridgeException x) {
    synchronized (this) {
      if (entry != null || error != null) {
        return;
      }
      error = x;
    }
    cache.flights().remove(key, this);
    signalAll();
  }

  private void signalAll() {
    List<Listener> ls;
    synchronized (this) {
      ls = List.copyOf(listeners);
    }
    for (Listener l : ls) {
      l.signal();
    }
  }
}
