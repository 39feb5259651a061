package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A JSON text WebSocket on {@code java.net.http}: sends queue until the socket is open and then go
 * out one at a time (each chained on the previous one), partial frames are joined, and demand is
 * left to the {@link Handler}, which calls {@link #request()} when its consumer has room. Handler
 * calls come from the HTTP client's executor, never concurrently.
 */
final class JsonSocket implements WebSocket.Listener {
  /** Largest message accepted (the vendor's own examples allow 16 MiB). */
  static final int MAX_MESSAGE_CHARS = 16 << 20;

  /** What the socket reports. */
  interface Handler {
    /** The socket is open; call {@link #request()} to receive. */
    void onOpen(JsonSocket socket);

    /** A whole text message; call {@link #request()} for the next one. */
    void onText(JsonSocket socket, String text);

    /** The server closed (input closed), with its code and reason. */
    void onClose(JsonSocket socket, int code, String reason);

    /** The connection could not be opened, failed, or broke the protocol. */
    void onError(JsonSocket socket, Throwable error);
  }

  private final Handler handler;
  private final List<String> queued = new ArrayList<>();
  private WebSocket ws; // guarded by this
  private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null); // this
  private boolean closed; // this
  private boolean openSeen; // this
  private final StringBuilder partial = new StringBuilder();
  private boolean binaryFrame;
  private volatile boolean ended;
  private volatile boolean demandPending;
  private volatile long lastInboundNanos = System.nanoTime();
  private long probeNanos;
  private java.util.concurrent.Executor executor;

  private JsonSocket(Handler handler) {
    this.handler = handler;
  }

  /** Starts opening a socket; the handler hears of the outcome. */
  static JsonSocket open(
      HttpClient client,
      URI uri,
      Secret apiKey,
      Duration connectTimeout,
      Duration responseTimeout,
      Handler handler) {
    JsonSocket s = new JsonSocket(handler);
    s.executor = client.executor().orElse(java.util.concurrent.ForkJoinPool.commonPool());
    s.probeNanos =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(100),
            Math.min(TimeUnit.SECONDS.toNanos(5), responseTimeout.toNanos() / 8));
    client
        .newWebSocketBuilder()
        .header("xi-api-key", apiKey.reveal())
        .connectTimeout(connectTimeout)
        .buildAsync(uri, s)
        .whenComplete(
            (ws, t) -> {
              if (t != null) {
                s.failed(t);
              } else {
                s.opened(ws);
              }
            });
    return s;
  }

  private void opened(WebSocket w) {
    boolean keep;
    synchronized (this) {
      if (openSeen) {
        return; // onOpen came first
      }
      openSeen = true;
      keep = !closed;
      if (keep) {
        ws = w;
        for (String m : queued) {
          chain(m);
        }
        queued.clear();
      }
    }
    if (!keep) {
      w.abort(); // closed while connecting
      return;
    }
    lastInboundNanos = System.nanoTime();
    Timers.schedule(this::probe, probeNanos);
    handler.onOpen(this);
  }

  private void failed(Throwable t) {
    synchronized (this) {
      closed = true;
      queued.clear();
    }
    end();
    handler.onError(this, t);
  }

  /** Whether the socket is open (or opening) and not closed by this side. */
  synchronized boolean isOpen() {
    return !closed;
  }

  /** Whether the connection is established. */
  synchronized boolean isConnected() {
    return ws != null && !closed;
  }

  /** Sends {@code json} after everything sent before; dropped once the socket is closed. */
  synchronized void send(String json) {
    if (closed) {
      return;
    }
    if (ws == null) {
      queued.add(json);
      return;
    }
    chain(json);
  }

  private void chain(String json) {
    // called with this held
    WebSocket w = ws;
    sendChain =
        sendChain
            .thenCompose(v -> w.sendText(json, true))
            .whenComplete(
                (v, t) -> {
                  if (t != null && !ended) {
                    // never call the handler while this lock may be held
                    sendFailed(t);
                  }
                });
  }

  /** Asks for the next message. */
  void request() {
    WebSocket w;
    synchronized (this) {
      w = ws;
    }
    if (w != null) {
      demandPending = true;
      // onClose is a receive method too: it needs demand even once input is closed. Asked for on
      // another task, never inside a listener callback (see onText).
      run(() -> w.request(1));
    }
  }

  /**
   * Liveness probe. JDK 17's WebSocket can miss the end of a connection that the server drops right
   * after a large (partially delivered) message, and then never reports it. While a message is
   * awaited and nothing has arrived for a while, a ping is sent: writing to a dead connection
   * fails, and that failure ends the socket with a transport error instead of a silent wait.
   */
  private void probe() {
    if (ended) {
      return;
    }
    long idle = System.nanoTime() - lastInboundNanos;
    if (demandPending && idle >= probeNanos) {
      synchronized (this) {
        WebSocket w = ws;
        if (w != null && !closed) {
          sendChain =
              sendChain
                  .thenCompose(v -> w.sendPing(ByteBuffer.allocate(0)))
                  .whenComplete(
                      (v, t) -> {
                        if (t != null && !ended) {
                          // the receiving side is silent already: report at once
                          Timers.schedule(() -> handler.onError(this, t), 0);
                        }
                      });
        }
      }
      Timers.schedule(this::probe, probeNanos);
    } else {
      Timers.schedule(this::probe, Math.max(probeNanos - idle, probeNanos / 4));
    }
  }

  /**
   * A send failed: the connection is going away. The receiving side usually says why (an error
   * frame, a close) a moment later, so the failure is reported only if it has not ended by then.
   * Never called with this socket's lock needed by the handler.
   */
  private void sendFailed(Throwable t) {
    Timers.schedule(
        () -> {
          if (!ended) {
            handler.onError(this, t);
          }
        },
        probeNanos);
  }

  private void run(Runnable task) {
    try {
      executor.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the synthesizer is closed: nothing more will be read
    }
  }

  /** Closes politely after what was queued; aborts if the server does not answer in time. */
  void close() {
    WebSocket w;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      w = ws;
      if (w == null) {
        queued.clear();
        return; // opened() will abort it
      }
      sendChain =
          sendChain
              .handle((v, t) -> null)
              .thenCompose(v -> w.sendClose(WebSocket.NORMAL_CLOSURE, ""))
              .whenComplete((v, t) -> {});
    }
    end();
    Timers.schedule(
        () -> {
          // after the close handshake (or 2 s without it) drop the TCP connection: the JDK client
          // otherwise leaves it in CLOSE-WAIT (the soak saw ~150 such sockets under load)
          w.abort();
          release();
        },
        TimeUnit.SECONDS.toNanos(2));
  }

  /** Drops the connection at once. */
  void abort() {
    WebSocket w;
    synchronized (this) {
      closed = true;
      queued.clear();
      w = ws;
    }
    end();
    if (w != null) {
      w.abort();
    }
    release();
  }

  /** Forgets the WebSocket (it keeps the HTTP client reachable) once nothing will use it. */
  private synchronized void release() {
    ws = null;
    sendChain = CompletableFuture.completedFuture(null);
  }

  private void end() {
    ended = true;
  }

  // ------------------------------------------------------------ WebSocket.Listener

  @Override
  public void onOpen(WebSocket webSocket) {
    opened(webSocket);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    demandPending = false;
    lastInboundNanos = System.nanoTime();
    if (partial.length() + data.length() > MAX_MESSAGE_CHARS) {
      partial.setLength(0);
      abort();
      handler.onError(
          this,
          new ProtocolException(
              ElevenLabsSynthesizer.NAME,
              "a server message exceeds " + MAX_MESSAGE_CHARS + " characters"));
      return null;
    }
    partial.append(data);
    if (!last) {
      demandPending = true;
      // asked for after this callback returns: JDK 17 loses the rest of a split message (with an
      // InternalError) when the connection ends while request(1) runs inside the callback
      run(() -> webSocket.request(1));
      return null;
    }
    String message = partial.toString();
    partial.setLength(0);
    handler.onText(this, message);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    lastInboundNanos = System.nanoTime();
    if (!binaryFrame) {
      binaryFrame = true;
      abort();
      handler.onError(
          this,
          new ProtocolException(
              ElevenLabsSynthesizer.NAME,
              "the server sent a binary frame; ElevenLabs sends JSON text frames only"));
    }
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    lastInboundNanos = System.nanoTime();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    lastInboundNanos = System.nanoTime();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    synchronized (this) {
      closed = true;
      queued.clear();
    }
    handler.onClose(this, statusCode, reason);
    end();
    // the JDK answers the server's Close itself; then the TCP connection must be dropped, or it
    // lingers in CLOSE-WAIT (soak finding K1)
    Timers.schedule(
        () -> {
          webSocket.abort();
          release();
        },
        TimeUnit.SECONDS.toNanos(1));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    synchronized (this) {
      closed = true;
    }
    end();
    handler.onError(this, error);
    release();
  }
}
