package dev.voicebridge.kit.ws;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * A session on one WebSocket connection at a time: the base every socket-per-session adapter
 * extends (Fish's live socket, ElevenLabs' stream-input, Smallest's live socket, Deepgram's speak
 * socket). The subclass turns input into messages ({@link #send}) and messages into sink calls
 * ({@link #onMessage}), and ends the session with {@link #complete} or {@link #fail}; this class
 * does the rest once:
 *
 * <ul>
 *   <li>gets a connection from its {@link WebSocketSource} (pooled or new) and reports the set-up
 *       to the sink ({@code connected(reused)});
 *   <li>sends messages in order, queued while the connection opens;
 *   <li>asks for the next message only when the application has room ({@code sink.whenReady});
 *   <li>moves the session once to a new connection, sending again what it had sent, when a reused
 *       connection is lost before the server said anything (the server closed it as it sat idle);
 *       never after a {@link ProtocolException} (a violation is reported, not hidden);
 *   <li>reads a close before completion as a failure ({@link #closedBeforeCompletion}), gives a
 *       clean connection back to the source after completion, discards it otherwise or on cancel;
 *   <li>optionally sends a keep-alive message while the application is slow to send text.
 * </ul>
 *
 * <p>Threads: input methods come from the application (one at a time), messages from the
 * connection; state is guarded by {@code this}, and the sink is never called while holding it.
 */
public abstract class WebSocketSessionBackend
    implements SessionBackend, WebSocketConnection.Listener {
  private final WebSocketSource source;

  /** The session's sink, set by {@link #start}. */
  protected SynthesisSink sink;

  private WebSocketConnection connection; // this
  private boolean reused; // this
  private boolean connectedReported; // this
  private boolean moved; // this
  private boolean ended; // this
  private boolean finished; // this
  private List<Object> replayLog = new ArrayList<>(); // this: null once the server has answered
  private long lastSendNanos; // this
  private Duration keepAlive = Duration.ZERO; // this
  private Supplier<Object> keepAliveMessage; // this
  private ScheduledFuture<?> keepAliveTask; // this

  /**
   * A backend whose connections come from {@code source}.
   *
   * @param source the source
   */
  protected WebSocketSessionBackend(WebSocketSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  // ------------------------------------------------------------------ for the subclass

  /**
   * The session starts: set attributes, report warnings and {@link #send} the opening message(s).
   * Called before the connection is acquired.
   */
  protected abstract void onStart();

  /**
   * A message from the server: a {@code String} (text) or a {@code ByteBuffer} (binary, valid only
   * during the call). Call {@link #complete} or {@link #fail} to end the session; otherwise the
   * next message is asked for when the application has room.
   *
   * @param message the message
   */
  protected abstract void onMessage(Object message);

  /** The application finished its input: send the vendor's end of input. */
  protected abstract void onFinish();

  /**
   * {@return what a close by the server before the session completed means (code and reason as
   * sent)}
   *
   * @param code the code
   * @param reason the reason
   */
  protected abstract VoicebridgeException closedBeforeCompletion(int code, String reason);

  /**
   * Sends a message ({@code String} or {@code ByteBuffer}) after the ones sent before; dropped once
   * the session has ended.
   *
   * @param message the message
   */
  protected final void send(Object message) {
    synchronized (this) {
      if (ended) {
        return;
      }
      lastSendNanos = System.nanoTime();
      if (replayLog != null) {
        replayLog.add(message instanceof ByteBuffer b ? b.duplicate() : message);
      }
      if (connection != null) {
        sendOn(connection, message);
      } else {
        pending.add(message);
      }
    }
  }

  private final List<Object> pending = new ArrayList<>(); // this: before the lease

  private void sendOn(WebSocketConnection c, Object message) {
    // called with this held, so messages reach the connection in order
    if (message instanceof ByteBuffer b) {
      c.sendBinary(b.duplicate());
    } else {
      c.sendText((CharSequence) message);
    }
  }

  /**
   * Sends {@code message} whenever no message went out for {@code interval} while input is still
   * coming (a vendor that closes a silent connection: ElevenLabs, Smallest). Call in {@link
   * #onStart}; stops at the finish.
   *
   * @param interval the interval
   * @param message the message
   */
  protected final void keepAlive(Duration interval, Supplier<Object> message) {
    synchronized (this) {
      this.keepAlive = Objects.requireNonNull(interval, "interval");
      this.keepAliveMessage = Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Completes the session: the connection goes back to the source if {@code reusable} (the vendor's
   * protocol lets it serve the next session), else it is closed politely; then the sink completes.
   * Ignored once the session has ended.
   *
   * @param reusable whether reusable
   */
  protected final void complete(boolean reusable) {
    WebSocketConnection c;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      stopKeepAlive();
      c = connection;
      connection = null;
    }
    if (c != null) {
      if (reusable) {
        source.release(c); // before complete(), so the next session can reuse it
      } else {
        source.close(c);
      }
    }
    sink.complete();
  }

  /**
   * Fails the session and aborts its connection. Ignored once the session has ended.
   *
   * @param error the error
   */
  protected final void fail(VoicebridgeException error) {
    WebSocketConnection c;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      stopKeepAlive();
      c = connection;
      connection = null;
    }
    // the sink hears why first: aborting fails the sends in flight
    sink.fail(error);
    if (c != null) {
      source.discard(c);
    }
  }

  /** {@return whether the session has ended (completed, failed or cancelled)} */
  protected final synchronized boolean isEnded() {
    return ended;
  }

  /** {@return whether the application has called {@code finish()}} */
  protected final synchronized boolean isFinished() {
    return finished;
  }

  /**
   * How a cancel ends the connection: by default it is discarded (aborted), since most vendors have
   * no way to stop a request but closing its socket. Called once, without locks held.
   *
   * @param c the character
   */
  protected void onCancel(WebSocketConnection c) {
    source.discard(c);
  }

  // ------------------------------------------------------------------ SessionBackend

  @Override
  public final void start(SynthesisSink s) {
    this.sink = s;
    synchronized (this) {
      lastSendNanos = System.nanoTime(); // the keep-alive counts from the start
    }
    onStart();
    WebSocketPool.Lease lease;
    try {
      lease = source.acquire(this);
    } catch (IllegalStateException closed) {
      fail(new dev.voicebridge.TransportException(s.provider(), "the synthesizer is closed"));
      return;
    }
    attach(lease.connection(), lease.reused());
    if (lease.reused()) {
      report(true); // the idle connection is reading already: its demand carries over
    } else {
      lease.connection().connect(); // outside the lock: callbacks may run on this thread
    }
  }

  private void attach(WebSocketConnection c, boolean wasReused) {
    synchronized (this) {
      if (ended) {
        // cancelled while acquiring: a reused connection carried nothing, keep it
        if (wasReused) {
          source.release(c);
        } else {
          source.discard(c);
        }
        return;
      }
      connection = c;
      reused = wasReused;
      List<Object> toSend = new ArrayList<>(pending);
      pending.clear();
      for (Object m : toSend) {
        sendOn(c, m);
      }
      scheduleKeepAlive();
    }
  }

  private void report(boolean wasReused) {
    synchronized (this) {
      if (connectedReported) {
        return;
      }
      connectedReported = true;
    }
    sink.connected(wasReused);
    sink.attribute("connection", wasReused ? "reused" : "new");
  }

  @Override
  public final void finish() {
    synchronized (this) {
      finished = true; // before the end of input goes out: the answer to it may come at once
      stopKeepAlive();
    }
    onFinish();
  }

  @Override
  public final void cancel() {
    WebSocketConnection c;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      stopKeepAlive();
      c = connection;
      connection = null;
    }
    if (c != null) {
      onCancel(c);
    }
  }

  // ------------------------------------------------------------------ the connection's events

  @Override
  public final void onOpen(WebSocketConnection c) {
    synchronized (this) {
      if (c != connection) {
        return;
      }
    }
    report(false);
    sink.whenReady(c::request);
  }

  @Override
  public final void onText(WebSocketConnection c, String text) {
    received(c, text);
  }

  @Override
  public final void onBinary(WebSocketConnection c, ByteBuffer data) {
    received(c, data);
  }

  private void received(WebSocketConnection c, Object message) {
    synchronized (this) {
      if (ended || c != connection) {
        return;
      }
      replayLog = null;
    }
    try {
      onMessage(message);
    } catch (VoicebridgeException e) {
      fail(e);
      return;
    } catch (RuntimeException e) {
      fail(
          new ProtocolException(
              sink.provider(), "an undecodable message from the server: " + e, e));
      return;
    }
    synchronized (this) {
      if (ended || c != connection) {
        return;
      }
    }
    sink.whenReady(c::request);
  }

  @Override
  public final void onClose(WebSocketConnection c, int code, String reason) {
    lost(c, closedBeforeCompletion(code, reason));
  }

  @Override
  public final void onFailure(WebSocketConnection c, VoicebridgeException error) {
    lost(c, error);
  }

  /**
   * The connection ended before the session did. A reused connection lost before the server said
   * anything (it closed the connection while it sat idle, just as it was reused) is replaced once
   * by a new one and what was sent goes again; anything else fails the session.
   */
  private void lost(WebSocketConnection c, VoicebridgeException error) {
    WebSocketConnection fresh;
    synchronized (this) {
      if (ended || c != connection) {
        return;
      }
      boolean move = reused && !moved && replayLog != null && !(error instanceof ProtocolException);
      if (!move) {
        fresh = null;
      } else {
        moved = true;
        connection = null;
        try {
          fresh = source.fresh(this);
        } catch (IllegalStateException closed) {
          fresh = null;
        }
        if (fresh != null) {
          connection = fresh;
          reused = false;
          for (Object m : replayLog) {
            sendOn(fresh, m);
          }
        }
      }
    }
    if (fresh == null) {
      fail(error);
      return;
    }
    source.discard(c);
    sink.attribute("connection.replaced", "true");
    fresh.connect();
  }

  // ------------------------------------------------------------------ keep-alive

  private void scheduleKeepAlive() {
    // called with this held
    if (keepAlive.isZero() || finished || ended) {
      return;
    }
    long idle = System.nanoTime() - lastSendNanos;
    keepAliveTask = Timers.schedule(this::keepAliveTick, Math.max(1, keepAlive.toNanos() - idle));
  }

  private synchronized void keepAliveTick() {
    keepAliveTask = null;
    if (ended || finished || connection == null) {
      return;
    }
    if (System.nanoTime() - lastSendNanos >= keepAlive.toNanos()) {
      send(keepAliveMessage.get());
    }
    scheduleKeepAlive();
  }

  private void stopKeepAlive() {
    // called with this held
    if (keepAliveTask != null) {
      keepAliveTask.cancel(false);
      keepAliveTask = null;
    }
  }
}
