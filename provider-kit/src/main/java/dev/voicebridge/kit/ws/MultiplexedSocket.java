package dev.voicebridge.kit.ws;

import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.Timers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket shared by several sessions, each a context of the vendor's protocol (ElevenLabs'
 * {@code multi-stream-input}, Cartesia's contexts). Frames are routed to their context by the
 * vendor's {@link Protocol}; demand for the next frame waits until the context that got the last
 * one has room; a context stays counted until its final frame (or the socket's end), so the vendor
 * never sees more live contexts than it allows. An idle socket is closed after the idle timeout.
 *
 * <p>When a context is cancelled, the server owes its final frame; if the socket then stays silent
 * for half the response timeout, it has stalled: it takes no new contexts and is lost, so a session
 * placed on it moves to a fresh socket instead of timing out on a dead one. A vendor error frame
 * for one context ends that context only and retires the socket (no new contexts; it closes when
 * its last context ends); an error frame for no context, a malformed frame, a close or a failure
 * ends every context on it. Contexts are called without this socket's lock (lock order: context,
 * then pool, then socket).
 *
 * @param <F> the vendor's decoded frame
 */
public final class MultiplexedSocket<F> implements WebSocketConnection.Listener {

  /**
   * The vendor's side of the protocol.
   *
   * @param <F> the vendor's decoded frame
   */
  public interface Protocol<F> {
    /**
     * Decodes a text frame; a malformed one throws (a {@code ProtocolException}).
     *
     * @param text the text message
     * @return the frame
     */
    F decode(String text);

    /**
     * {@return the context a frame belongs to, or null for a frame of the socket}
     *
     * @param frame the frame
     */
    String contextOf(F frame);

    /**
     * {@return the exception an error frame means, or null when the frame is not an error}
     *
     * @param frame the frame
     */
    VoicebridgeException errorOf(F frame);

    /**
     * {@return what a close by the server (before every context ended) means}
     *
     * @param code the code
     * @param reason the reason
     */
    VoicebridgeException closed(int code, String reason);

    /**
     * {@return a message sent before an idle socket is closed (a vendor's "close socket"), or null}
     */
    default String closeMessage() {
      return null;
    }
  }

  /**
   * A session as a context of a shared socket.
   *
   * @param <F> the vendor's decoded frame
   */
  public interface Context<F> {
    /** {@return the context's id on the wire} */
    String id();

    /** The socket (opened for this context, or with it waiting) completed its handshake. */
    void onSocketOpen();

    /**
     * {@return a frame of this context; returns whether it was its final one}
     *
     * @param frame the frame
     */
    boolean onFrame(F frame);

    /**
     * The vendor's error frame for this context: the context has ended.
     *
     * @param error the error
     */
    void onError(VoicebridgeException error);

    /**
     * The socket closed or failed before this context's final frame.
     *
     * @param error the error
     */
    void onSocketLost(VoicebridgeException error);

    /** {@return whether the session of this context has ended (completed, failed or cancelled)} */
    boolean isDone();

    /**
     * Runs {@code action} when the session has room for more (at once when it has ended).
     *
     * @param action the action
     */
    void whenReady(Runnable action);
  }

  /** What {@link #tryAdd} did. */
  public enum Added {
    /** The socket is full, retiring or dead. */
    NO_ROOM,
    /** Added to a socket that was open already: the context reuses it. */
    REUSING,
    /** Added to a socket still opening: the context hears of the open in {@code onSocketOpen}. */
    OPENING
  }

  private final MultiplexPool<F> pool;
  private final Object key;
  private final int max;
  private final Protocol<F> protocol;
  private final Map<String, Context<F>> contexts = new LinkedHashMap<>(); // this
  private WebSocketConnection connection; // this
  private boolean dead; // this: no more contexts, closing or closed
  private boolean retiring; // this: no new contexts, close when empty
  private boolean opened; // this
  private ScheduledFuture<?> idleTimer; // this
  private ScheduledFuture<?> watchdog; // this
  private volatile long lastFrameNanos = System.nanoTime();
  private final CompletableFuture<Void> handshake = new CompletableFuture<>();

  MultiplexedSocket(MultiplexPool<F> pool, Object key, int max, Protocol<F> protocol) {
    this.pool = pool;
    this.key = key;
    this.max = max;
    this.protocol = protocol;
  }

  Object key() {
    return key;
  }

  /** Adds a context if there is room; decided under the lock {@code onOpen} takes. */
  synchronized Added tryAdd(Context<F> c) {
    if (dead || retiring || contexts.size() >= max) {
      return Added.NO_ROOM;
    }
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
    contexts.put(c.id(), c);
    return opened ? Added.REUSING : Added.OPENING;
  }

  /** Whether a context could be added now (the socket is not full, retiring or dead). */
  synchronized boolean hasRoom() {
    return !dead && !retiring && contexts.size() < max;
  }

  /** Completes when the handshake completed; fails if the socket ends before. */
  CompletableFuture<Void> opened() {
    return handshake;
  }

  /** {@return live contexts (counted until their final frame)} */
  public synchronized int liveContexts() {
    return contexts.size();
  }

  void connect(WebSocketConnection c) {
    synchronized (this) {
      connection = c;
      early.forEach(c::sendText); // queued by the connection until it opens
      early.clear();
    }
    c.connect(); // the callbacks may run on this thread before connect returns
  }

  /**
   * Sends a message in order with every other context's messages.
   *
   * @param json the JSON text
   */
  public synchronized void send(String json) {
    if (connection == null) {
      early.add(json); // a context added before the socket it was placed on started connecting
    } else {
      connection.sendText(json);
    }
  }

  private final List<String> early = new ArrayList<>(); // this

  /**
   * A context that ended without its final frame being owed (it never reached the server).
   *
   * @param c the character
   */
  public void release(Context<F> c) {
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
    WebSocketConnection toClose = null;
    synchronized (this) {
      if (dead || !contexts.isEmpty()) {
        return;
      }
      if (retiring) {
        dead = true;
        toClose = connection;
      } else if (idleTimer == null) {
        idleTimer = Timers.schedule(this::idleCheck, pool.idleTimeout().toNanos());
      }
    }
    if (toClose != null) {
      pool.remove(this);
      toClose.close();
    }
  }

  private void idleCheck() {
    WebSocketConnection toClose;
    synchronized (this) {
      idleTimer = null;
      if (dead || !contexts.isEmpty()) {
        return;
      }
      dead = true;
      toClose = connection;
    }
    pool.remove(this);
    if (toClose != null) {
      String bye = protocol.closeMessage();
      if (bye != null) {
        toClose.sendText(bye);
      }
      toClose.close();
    }
  }

  /** The synthesizer closes: contexts still running were cancelled by their sessions. */
  void shutdown() {
    WebSocketConnection c;
    List<Context<F>> live;
    synchronized (this) {
      dead = true;
      c = connection;
      live = new ArrayList<>(contexts.values());
      contexts.clear();
      cancelTimers();
    }
    VoicebridgeException e = new TransportException(pool.provider(), "the synthesizer was closed");
    handshake.completeExceptionally(e);
    live.forEach(ctx -> ctx.onSocketLost(e));
    if (c != null) {
      c.abort();
    }
  }

  private void cancelTimers() {
    // called with this held
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
    if (watchdog != null) {
      watchdog.cancel(false);
      watchdog = null;
    }
  }

  /**
   * The server broke the protocol for one of this socket's contexts (it sent more audio than the
   * text could need, for one): the socket takes no new contexts and closes once the ones on it have
   * ended.
   */
  public void retire() {
    WebSocketConnection toClose = null;
    synchronized (this) {
      if (dead) {
        return;
      }
      retiring = true;
      if (contexts.values().stream().allMatch(Context::isDone)) {
        dead = true;
        contexts.clear();
        toClose = connection;
      }
    }
    if (toClose != null) {
      pool.remove(this);
      toClose.abort();
    }
  }

  /**
   * A context was cancelled (by the application or by the session's response timeout). When the
   * socket has been silent for half the response timeout it is considered stalled: it takes no new
   * contexts, and closes once only ended contexts remain on it.
   */
  public void contextCancelled() {
    long half = pool.responseTimeout().toNanos() / 2;
    long silent = System.nanoTime() - lastFrameNanos;
    if (silent < half) {
      armWatchdog(half - silent);
      return;
    }
    List<Context<F>> live;
    synchronized (this) {
      if (dead) {
        return;
      }
      retiring = true;
      live = new ArrayList<>(contexts.values());
    }
    if (live.stream().allMatch(Context::isDone)) {
      WebSocketConnection toClose;
      synchronized (this) {
        dead = true;
        contexts.clear();
        toClose = connection;
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
   * A cancelled context is owed its final frame, which a live server sends promptly. If the socket
   * stays silent for half the response timeout meanwhile, the server has stalled: the socket is
   * lost, so that a session placed on it that heard nothing yet moves to a fresh socket.
   */
  private void watchdogCheck() {
    List<Context<F>> live;
    synchronized (this) {
      watchdog = null;
      if (dead) {
        return;
      }
      live = new ArrayList<>(contexts.values());
    }
    if (live.stream().noneMatch(Context::isDone)) {
      return; // every final owed was received
    }
    long half = pool.responseTimeout().toNanos() / 2;
    long silent = System.nanoTime() - lastFrameNanos;
    if (silent < half) {
      armWatchdog(half - silent);
      return;
    }
    lost(
        new TransportException(
            pool.provider(),
            "the server went silent for "
                + TimeUnit.NANOSECONDS.toMillis(silent)
                + " ms while a cancelled context's final frame was owed"));
  }

  // ------------------------------------------------------------ the connection's events

  @Override
  public void onOpen(WebSocketConnection c) {
    lastFrameNanos = System.nanoTime();
    List<Context<F>> live;
    synchronized (this) {
      opened = true;
      live = new ArrayList<>(contexts.values());
    }
    handshake.complete(null);
    live.forEach(Context::onSocketOpen);
    c.request();
    becameIdle(); // opened by a prewarm, without a context: the idle timeout runs
  }

  @Override
  public void onText(WebSocketConnection c, String text) {
    lastFrameNanos = System.nanoTime();
    F frame;
    try {
      frame = protocol.decode(text);
    } catch (VoicebridgeException e) {
      lost(e);
      return;
    }
    String id = protocol.contextOf(frame);
    Context<F> ctx;
    synchronized (this) {
      ctx = id == null ? null : contexts.get(id);
    }
    VoicebridgeException error = protocol.errorOf(frame);
    if (error != null) {
      if (ctx == null) {
        lost(error);
        return;
      }
      synchronized (this) {
        retiring = true;
        contexts.remove(ctx.id());
      }
      ctx.onError(error);
      becameIdle();
      c.request();
      return;
    }
    if (ctx == null) {
      c.request(); // a frame of a context that is gone, or of the socket: ignore
      return;
    }
    boolean fin = ctx.onFrame(frame);
    if (fin) {
      boolean idle;
      synchronized (this) {
        if (contexts.get(ctx.id()) == ctx) {
          contexts.remove(ctx.id());
        }
        idle = contexts.isEmpty();
      }
      if (idle) {
        becameIdle();
      }
    }
    ctx.whenReady(c::request);
  }

  @Override
  public void onBinary(WebSocketConnection c, ByteBuffer data) {
    // refused by the connection for a text protocol; a vendor that accepts both routes text only
    c.request();
  }

  @Override
  public void onClose(WebSocketConnection c, int code, String reason) {
    lost(protocol.closed(code, reason));
  }

  @Override
  public void onFailure(WebSocketConnection c, VoicebridgeException error) {
    lost(error);
  }

  private void lost(VoicebridgeException e) {
    WebSocketConnection c;
    List<Context<F>> live;
    synchronized (this) {
      dead = true;
      c = connection;
      live = new ArrayList<>(contexts.values());
      contexts.clear();
      cancelTimers();
    }
    pool.remove(this);
    handshake.completeExceptionally(e);
    live.forEach(ctx -> ctx.onSocketLost(e));
    if (c != null) {
      c.abort();
    }
  }
}
