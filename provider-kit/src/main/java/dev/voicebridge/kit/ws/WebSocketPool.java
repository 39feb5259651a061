package dev.voicebridge.kit.ws;

import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.spi.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Idle WebSockets kept for the next session, one session per connection at a time, per key (a
 * vendor whose handshake fixes a model keys by model). {@link #acquire} decides under the pool's
 * lock whether a session reuses an open connection or gets a new one: an owner that asked a
 * connection afterwards whether it was open would take a fast new one for a reused one.
 *
 * <p>An idle connection keeps reading (so a server's Close or idle-timeout frame is noticed at once
 * and the connection leaves the pool); what it receives goes to the vendor's {@code idleMessage}
 * test, and a message that test refuses closes it. A connection idle longer than {@code
 * maxIdleTime} is closed. {@link #prewarm} opens a connection ahead of the session that will need
 * it, kept idle like a released one. {@link #close()} aborts every connection the pool made.
 *
 * @param <K> what a connection is chosen by (a model name; {@code Boolean.TRUE} for one kind)
 */
public final class WebSocketPool<K> {
  /**
   * A connection handed to a session.
   *
   * @param connection the connection, bound to the session's listener; a new one is not connected
   *     yet: the session calls {@link WebSocketConnection#connect()} once it holds the lease
   * @param reused whether it served an earlier session (it is open already)
   */
  public record Lease(WebSocketConnection connection, boolean reused) {}

  private final int maxIdlePerKey;
  private final Duration maxIdleTime;
  private final Ticker ticker;
  private final Predicate<Object> idleMessage;
  private final Map<K, ArrayDeque<WebSocketConnection>> idle = new HashMap<>(); // this
  private final Map<WebSocketConnection, K> keys = new HashMap<>(); // this
  private final Set<WebSocketConnection> all = ConcurrentHashMap.newKeySet();
  private final Map<K, CompletableFuture<Void>> warming = new HashMap<>(); // this
  private boolean closed; // this

  /**
   * A pool.
   *
   * @param maxIdlePerKey idle connections kept per key (0: none are kept)
   * @param maxIdleTime how long a connection may stay idle before it is closed
   * @param idleMessage whether a message received while idle (a {@code String} or a {@code
   *     ByteBuffer}) leaves the connection usable; null accepts (and ignores) every message
   */
  public WebSocketPool(int maxIdlePerKey, Duration maxIdleTime, Predicate<Object> idleMessage) {
    this(maxIdlePerKey, maxIdleTime, idleMessage, Ticker.system());
  }

  /**
   * Same, with the clock that measures idle time (the sessions' ticker, so tests can move it).
   *
   * @param maxIdlePerKey the max idle per key
   * @param maxIdleTime the max idle time
   * @param idleMessage the idle message
   * @param ticker the clock
   */
  public WebSocketPool(
      int maxIdlePerKey, Duration maxIdleTime, Predicate<Object> idleMessage, Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    if (maxIdlePerKey < 0) {
      throw new IllegalArgumentException("maxIdlePerKey must not be negative");
    }
    this.maxIdlePerKey = maxIdlePerKey;
    this.maxIdleTime = Objects.requireNonNull(maxIdleTime, "maxIdleTime");
    this.idleMessage = idleMessage != null ? idleMessage : m -> true;
  }

  /**
   * {@return an open idle connection for {@code key}, bound to {@code listener}; otherwise a new
   * one made by {@code create} (not yet connected)}
   *
   * @param key the key
   * @param listener the listener
   * @param create makes the value
   * @throws IllegalStateException if the pool is closed
   */
  public Lease acquire(
      K key,
      WebSocketConnection.Listener listener,
      Function<WebSocketConnection.Listener, WebSocketConnection> create) {
    List<WebSocketConnection> stale = new ArrayList<>();
    WebSocketConnection found = null;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the synthesizer is closed");
      }
      ArrayDeque<WebSocketConnection> q = idle.get(key);
      long now = ticker.nanoTime();
      while (q != null && !q.isEmpty()) {
        WebSocketConnection c = q.pollLast();
        if (c.isOpen() && now - idleSince(c) < maxIdleTime.toNanos()) {
          found = c;
          break;
        }
        stale.add(c);
      }
      if (found != null) {
        found.bind(listener);
        idleSince.remove(found);
      }
    }
    stale.forEach(this::discard);
    if (found != null) {
      return new Lease(found, true);
    }
    return new Lease(adopt(key, create.apply(listener)), false);
  }

  /**
   * Opens a connection for {@code key} ahead of the session that will need it: once open it waits
   * idle (as a released one does, for {@code maxIdleTime}), and the next {@link #acquire} of the
   * key reuses it. Nothing is opened when an open idle connection of the key is there already, or
   * while an earlier prewarm of the key is opening one (its outcome is returned), or when the pool
   * keeps no idle connections.
   *
   * @param create makes the connection (not yet connected) for the listener given
   * @param key the key
   * @return completes when the connection is open and idle; fails with the connection's failure (a
   *     refused handshake: nothing is left in the pool), or when the pool is closed meanwhile
   * @throws IllegalStateException if the pool is closed
   */
  public CompletableFuture<Void> prewarm(
      K key, Function<WebSocketConnection.Listener, WebSocketConnection> create) {
    CompletableFuture<Void> f;
    WarmListener listener;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the synthesizer is closed");
      }
      if (maxIdlePerKey == 0 || hasIdle(key)) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> running = warming.get(key);
      if (running != null) {
        return running.copy();
      }
      f = new CompletableFuture<>();
      warming.put(key, f);
      listener = new WarmListener(key, f);
    }
    WebSocketConnection c;
    try {
      c = adopt(key, create.apply(listener));
    } catch (RuntimeException e) {
      warmed(key, f);
      f.completeExceptionally(e);
      return f.copy();
    }
    c.connect(); // outside the lock: the listener may run on this thread
    return f.copy();
  }

  /** Whether an open idle connection of {@code key} is there. Called holding this. */
  private boolean hasIdle(K key) {
    ArrayDeque<WebSocketConnection> q = idle.get(key);
    long now = ticker.nanoTime();
    if (q != null) {
      for (WebSocketConnection c : q) {
        if (c.isOpen() && now - idleSince(c) < maxIdleTime.toNanos()) {
          return true;
        }
      }
    }
    return false;
  }

  private synchronized void warmed(K key, CompletableFuture<Void> f) {
    warming.remove(key, f);
  }

  /**
   * Registers a new connection made outside {@link #acquire} (a session moving to a fresh
   * connection) so that the pool can take it back and closes it with the rest.
   *
   * @param key the key
   * @param fresh the new connection
   * @return {@code fresh}
   * @throws IllegalStateException if the pool is closed (the connection is aborted)
   */
  public WebSocketConnection adopt(K key, WebSocketConnection fresh) {
    synchronized (this) {
      if (closed) {
        fresh.abort();
        throw new IllegalStateException("the synthesizer is closed");
      }
      keys.put(fresh, key);
    }
    all.add(fresh);
    return fresh;
  }

  private final Map<WebSocketConnection, Long> idleSince = new HashMap<>(); // this

  private long idleSince(WebSocketConnection c) {
    Long t = idleSince.get(c);
    return t == null ? ticker.nanoTime() : t;
  }

  /**
   * Takes back a connection whose session ended cleanly (the vendor's completion received, nothing
   * owed either way): kept idle for the next session of its key, or closed when the pool is full.
   *
   * @param c the character
   */
  public void release(WebSocketConnection c) {
    boolean keep = false;
    synchronized (this) {
      K key = keys.get(c);
      if (!closed && key != null && c.isOpen()) {
        ArrayDeque<WebSocketConnection> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (q.size() < maxIdlePerKey) {
          c.bind(new IdleListener());
          q.addLast(c);
          idleSince.put(c, ticker.nanoTime());
          keep = true;
        }
      }
    }
    if (!keep) {
      discardPolitely(c);
      return;
    }
    c.request(); // keep reading while idle, to notice a Close
    Timers.schedule(() -> expire(c), maxIdleTime.toNanos());
  }

  /**
   * Forgets a connection that failed or that its session discarded (aborting it).
   *
   * @param c the character
   */
  public void discard(WebSocketConnection c) {
    forget(c);
    c.abort();
  }

  /**
   * Forgets a connection whose session ended cleanly but that serves no other, closing it.
   *
   * @param c the character
   */
  public void retire(WebSocketConnection c) {
    discardPolitely(c);
  }

  private void discardPolitely(WebSocketConnection c) {
    forget(c);
    c.close();
  }

  private void forget(WebSocketConnection c) {
    synchronized (this) {
      K key = keys.remove(c);
      idleSince.remove(c);
      if (key != null) {
        ArrayDeque<WebSocketConnection> q = idle.get(key);
        if (q != null) {
          q.remove(c);
        }
      }
    }
    all.remove(c);
  }

  private void expire(WebSocketConnection c) {
    boolean stale;
    synchronized (this) {
      Long since = idleSince.get(c);
      stale = since != null && ticker.nanoTime() - since >= maxIdleTime.toNanos();
    }
    if (stale) {
      discardPolitely(c);
    } else if (isIdle(c)) {
      Timers.schedule(() -> expire(c), maxIdleTime.toNanos());
    }
  }

  private synchronized boolean isIdle(WebSocketConnection c) {
    return idleSince.containsKey(c);
  }

  /** {@return idle connections now (for tests and reports)} */
  public synchronized int idleCount() {
    int n = 0;
    for (ArrayDeque<WebSocketConnection> q : idle.values()) {
      n += q.size();
    }
    return n;
  }

  /** Aborts every connection the pool made, idle or in use; the pool makes no more. */
  public void close() {
    List<WebSocketConnection> every;
    List<CompletableFuture<Void>> warms;
    synchronized (this) {
      closed = true;
      idle.clear();
      idleSince.clear();
      keys.clear();
      every = new ArrayList<>(all);
      all.clear();
      warms = new ArrayList<>(warming.values());
      warming.clear();
    }
    every.forEach(WebSocketConnection::abort);
    IllegalStateException e = new IllegalStateException("the synthesizer was closed");
    warms.forEach(w -> w.completeExceptionally(e));
  }

  /**
   * What a connection opened by {@link #prewarm} hears until it is open: the open puts it idle; a
   * failure forgets it and fails the prewarm. No message can arrive before the pool asks for one.
   */
  private final class WarmListener implements WebSocketConnection.Listener {
    private final K key;
    private final CompletableFuture<Void> done;

    WarmListener(K key, CompletableFuture<Void> done) {
      this.key = key;
      this.done = done;
    }

    @Override
    public void onOpen(WebSocketConnection c) {
      warmed(key, done);
      release(c);
      done.complete(null);
    }

    @Override
    public void onText(WebSocketConnection c, String text) {}

    @Override
    public void onBinary(WebSocketConnection c, ByteBuffer data) {}

    @Override
    public void onClose(WebSocketConnection c, int code, String reason) {
      onFailure(
          c,
          new TransportException(
              c.provider(),
              "the server closed the connection before it was used (close code " + code + ")"));
    }

    @Override
    public void onFailure(WebSocketConnection c, VoicebridgeException error) {
      warmed(key, done);
      forget(c);
      done.completeExceptionally(error);
    }
  }

  /** What an idle connection hears: messages go to the vendor's test, an end forgets it. */
  private final class IdleListener implements WebSocketConnection.Listener {
    @Override
    public void onOpen(WebSocketConnection c) {}

    @Override
    public void onText(WebSocketConnection c, String text) {
      idle(c, text);
    }

    @Override
    public void onBinary(WebSocketConnection c, ByteBuffer data) {
      idle(c, data);
    }

    private void idle(WebSocketConnection c, Object message) {
      boolean keep;
      try {
        keep = idleMessage.test(message);
      } catch (RuntimeException malformed) {
        keep = false;
      }
      if (keep) {
        c.request();
      } else {
        discard(c); // an error or idle-timeout frame: the server closes next
      }
    }

    @Override
    public void onClose(WebSocketConnection c, int code, String reason) {
      forget(c);
    }

    @Override
    public void onFailure(WebSocketConnection c, VoicebridgeException error) {
      forget(c);
    }
  }
}
