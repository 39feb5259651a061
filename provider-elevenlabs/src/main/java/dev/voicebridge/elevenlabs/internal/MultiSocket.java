package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.Timers;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code multi-stream-input} socket shared by up to {@code max} live contexts. Frames are
 * routed by {@code contextId} (or {@code context_id}); demand for the next frame waits until the
 * session that got the last one has room. A context stays counted until its final frame. An idle
 * socket is closed after the idle timeout. Context calls are made without this socket's lock.
 */
final class MultiSocket implements JsonSocket.Handler {
  private final MultiContextPool pool;
  private final URI uri;
  private final int max;
  private final Map<String, ContextBackend> contexts = new LinkedHashMap<>(); // this
  private final List<String> early = new ArrayList<>(); // this: sends before connect()
  private JsonSocket socket; // this
  private boolean dead; // this: no more contexts, closing or closed
  private boolean retiring; // this: no new contexts, close when empty
  private boolean opened; // this
  private ScheduledFuture<?> idleTimer; // this
  private ScheduledFuture<?> watchdog; // this: armed while a cancelled context's final is owed
  private volatile long lastFrameNanos = System.nanoTime();

  MultiSocket(MultiContextPool pool, URI uri, int max) {
    this.pool = pool;
    this.uri = uri;
    this.max = max;
  }

  URI uri() {
    return uri;
  }

  /** Adds a context if there is room. */
  synchronized Added tryAdd(ContextBackend c) {
    if (dead || retiring || contexts.size() >= max) {
      return Added.NO_ROOM;
    }
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
    contexts.put(c.id(), c);
    // decided under the lock onOpen takes: a context added before the open hears of it there
    return opened ? Added.REUSING : Added.OPENING;
  }

  /** What {@link #tryAdd} did. */
  enum Added {
    /** The socket is full, retiring or dead. */
    NO_ROOM,
    /** Added to a socket that was open already: the context reuses it. */
    REUSING,
    /** Added to a socket still opening: the context hears of the open in {@code onSocketOpen}. */
    OPENING
  }

  /** Live contexts (counted until their final frame). */
  synchronized int liveContexts() {
    return contexts.size();
  }

  void connect() {
    ElevenLabsSynthesizer owner = pool.owner();
    JsonSocket s =
        JsonSocket.create(
            owner.httpClient(),
            owner.settings().responseTimeout(),
            owner.settings().maxFrameBytes(),
            this);
    synchronized (this) {
      socket = s;
      early.forEach(s::send); // queued until the socket opens
      early.clear();
    }
    // the socket's callbacks may run on this thread before connect returns (see JsonSocket.create)
    s.connect(uri, owner.settings().apiKey(), owner.settings().connectTimeout());
  }

  /** Sends a message in order with every other context's messages. */
  synchronized void send(String json) {
    if (socket == null) {
      early.add(json);
    } else {
      socket.send(json);
    }
  }

  /** The context ended without waiting for its final frame (it never reached the server). */
  void release(ContextBackend c) {
    boolean idle;
    synchronized (this) {
      if (contexts.get(c.id()) != c) {
        return;
      }
      contexts.remove(c.id());
      idle = contexts.isEmpty();
    }
    if (idle) {
      becameIdle();
    }
  }

  private void becameIdle() {
    JsonSocket toClose = null;
    synchronized (this) {
      if (dead || !contexts.isEmpty()) {
        return;
      }
      if (retiring) {
        dead = true;
        toClose = socket;
      } else if (idleTimer == null) {
        idleTimer =
            Timers.schedule(this::idleCheck, pool.owner().settings().idleTimeout().toNanos());
      }
    }
    if (toClose != null) {
      pool.remove(this);
      toClose.close();
    }
  }

  private void idleCheck() {
    JsonSocket toClose;
    synchronized (this) {
      idleTimer = null;
      if (dead || !contexts.isEmpty()) {
        return;
      }
      dead = true;
      toClose = socket;
    }
    pool.remove(this);
    if (toClose != null) {
      toClose.send(WireCodec.closeSocket());
      toClose.close();
    }
  }

  /** The synthesizer closes: contexts still running were cancelled by their sessions. */
  void shutdown() {
    JsonSocket s;
    List<ContextBackend> live;
    synchronized (this) {
      dead = true;
      s = socket;
      live = new ArrayList<>(contexts.values());
      contexts.clear();
      if (idleTimer != null) {
        idleTimer.cancel(false);
        idleTimer = null;
      }
      if (watchdog != null) {
        watchdog.cancel(false);
        watchdog = null;
      }
    }
    VoicebridgeException e =
        new dev.voicebridge.TransportException(
            ElevenLabsSynthesizer.NAME, "the synthesizer was closed");
    live.forEach(c -> c.onSocketLost(e));
    if (s != null) {
      s.abort();
    }
  }

  // ------------------------------------------------------------ socket events

  @Override
  public void onOpen(JsonSocket s) {
    lastFrameNanos = System.nanoTime();
    List<ContextBackend> live;
    synchronized (this) {
      opened = true;
      live = new ArrayList<>(contexts.values());
    }
    live.forEach(ContextBackend::onSocketOpen);
    s.request();
  }

  /**
   * A context was cancelled (by the application or by the session's response timeout). When the
   * socket has been silent for half the response timeout it is considered stalled: it takes no new
   * contexts, and closes once only ended contexts remain on it.
   */
  void contextCancelled() {
    long silent = System.nanoTime() - lastFrameNanos;
    if (silent < pool.owner().settings().responseTimeout().toNanos() / 2) {
      armWatchdog(pool.owner().settings().responseTimeout().toNanos() / 2 - silent);
      return;
    }
    List<ContextBackend> live;
    synchronized (this) {
      if (dead) {
        return;
      }
      retiring = true;
      live = new ArrayList<>(contexts.values());
    }
    if (live.stream().allMatch(ContextBackend::isDone)) {
      JsonSocket toClose;
      synchronized (this) {
        dead = true;
        contexts.clear();
        toClose = socket;
      }
      pool.remove(this);
      if (toClose != null) {
        toClose.abort();
      }
    }
  }

  private synchronized void armWatchdog(long nanos) {
    if (dead || watchdog != null) {
      return;
    }
    watchdog = Timers.schedule(this::watchdogCheck, Math.max(nanos, 1));
  }

  /**
   * A cancelled context is owed its final frame, which a live server sends promptly (after the
   * audio it still flushes). If the socket stays silent for half the response timeout meanwhile,
   * the server has stalled: the socket is lost, so that a session that was placed on it and heard
   * nothing yet moves to a fresh socket instead of timing out on a dead one.
   */
  private void watchdogCheck() {
    List<ContextBackend> live;
    synchronized (this) {
      watchdog = null;
      if (dead) {
        return;
      }
      live = new ArrayList<>(contexts.values());
    }
    // context locks are taken without this socket's lock (lock order context -> socket)
    if (live.stream().noneMatch(ContextBackend::isDone)) {
      return; // every final owed was received
    }
    long half = pool.owner().settings().responseTimeout().toNanos() / 2;
    long silent = System.nanoTime() - lastFrameNanos;
    if (silent < half) {
      armWatchdog(half - silent);
      return;
    }
    lost(
        new dev.voicebridge.TransportException(
            ElevenLabsSynthesizer.NAME,
            "the server went silent for "
                + TimeUnit.NANOSECONDS.toMillis(silent)
                + " ms while a cancelled context's final frame was owed"));
  }

  @Override
  public void onText(JsonSocket s, String text) {
    lastFrameNanos = System.nanoTime();
    ServerFrame frame;
    try {
      frame = WireCodec.decodeFrame(text);
    } catch (VoicebridgeException e) {
      lost(e);
      return;
    }
    String id = frame.contextId();
    ContextBackend c;
    synchronized (this) {
      c = id == null ? null : contexts.get(id);
    }
    if (frame.isError()) {
      VoicebridgeException e =
          ErrorMapper.fromErrorFrame(frame.error(), frame.message(), frame.code());
      if (c == null) {
        lost(e);
        return;
      }
      synchronized (this) {
        retiring = true;
        contexts.remove(c.id());
      }
      c.onError(e);
      becameIdle();
      s.request();
      return;
    }
    if (c == null) {
      s.request(); // a frame of a context that is gone (or a flush_done): ignore
      return;
    }
    boolean fin = c.onFrame(frame);
    if (fin) {
      boolean idle;
      synchronized (this) {
        if (contexts.get(c.id()) == c) {
          contexts.remove(c.id());
        }
        idle = contexts.isEmpty();
      }
      if (idle) {
        becameIdle();
      }
    }
    c.whenReady(s::request);
  }

  @Override
  public void onClose(JsonSocket s, int code, String reason) {
    lost(ErrorMapper.fromClose(code, reason));
  }

  @Override
  public void onError(JsonSocket s, Throwable error) {
    boolean wasOpen;
    synchronized (this) {
      wasOpen = opened;
    }
    lost(wasOpen ? ErrorMapper.fromTransport(error) : ErrorMapper.fromConnectFailure(error));
  }

  private void lost(VoicebridgeException e) {
    JsonSocket s;
    List<ContextBackend> live;
    synchronized (this) {
      dead = true;
      s = socket;
      live = new ArrayList<>(contexts.values());
      contexts.clear();
      if (idleTimer != null) {
        idleTimer.cancel(false);
        idleTimer = null;
      }
      if (watchdog != null) {
        watchdog.cancel(false);
        watchdog = null;
      }
    }
    pool.remove(this);
    live.forEach(c -> c.onSocketLost(e));
    if (s != null) {
      s.abort();
    }
  }
}
