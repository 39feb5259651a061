package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.internal.Utf8;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JSON text WebSocket on {@code java.net.http}: sends queue until the socket is open and then go
 * out one at a time (each chained on the previous one), partial frames are joined up to {@code
 * max-frame-bytes}, and demand is left to the {@link Handler}, which calls {@link #request()} when
 * its consumer has room. Handler calls come from the HTTP client's executor, never concurrently.
 *
 * <p>Closing: {@link #close()} sends a Close and keeps reading (dropping what still arrives) until
 * the server's Close, so that the JDK sees both directions closed and releases the TCP connection
 * at once; a socket whose input is not requested never reads the server's Close and would sit in
 * CLOSE-WAIT (soak finding K1). A server-initiated Close is answered by the JDK after {@code
 * onClose}. Either way the connection is aborted if it is still open a moment later.
 */
final class JsonSocket implements WebSocket.Listener {
  /** Default largest message (the vendor's own examples allow 16 MiB); see {@code Limits}. */
  static final int MAX_MESSAGE_CHARS = 16 << 20;

  /** How long a close handshake may take before the connection is dropped. */
  private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

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
  private final int maxFrameBytes;
  private final List<String> queued = new ArrayList<>();
  private WebSocket ws; // guarded by this
  private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null); // this
  private boolean closed; // this
  private boolean openSeen; // this
  private final StringBuilder partial = new StringBuilder();
  private long partialBytes; // UTF-8 bytes of partial
  private boolean binaryFrame;
  private boolean oversize;
  private volatile boolean ended;
  private volatile boolean closing; // close() was called: drop messages, read until the Close
  private ScheduledFuture<?> closeTimer; // this
  private volatile boolean demandPending;
  private volatile long lastInboundNanos = System.nanoTime();
  private long probeNanos;
  private java.util.concurrent.Executor executor;
  private HttpClient client;

  private JsonSocket(Handler handler, int maxFrameBytes) {
    this.handler = handler;
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * A socket not yet connected: the owner keeps the reference, then calls {@link #connect}. The two
   * steps are apart because the handler may hear of the outcome before {@code connect} returns:
   * when the handshake completes while the calling thread is still inside {@code buildAsync}, the
   * JDK runs {@code onOpen} (and can run {@code onText}) on that thread. An owner that learned the
   * socket only from {@code connect}'s return value would not recognise it in those callbacks and
   * never ask for the server's messages (the session then waited out its response timeout).
   *
   * @param maxFrameBytes the largest server message accepted, in UTF-8 bytes ({@code
   *     max-frame-bytes}); a larger one ends the socket with a {@link ProtocolException}
   */
  static JsonSocket create(
      HttpClient client, Duration responseTimeout, int maxFrameBytes, Handler handler) {
    JsonSocket s = new JsonSocket(handler, maxFrameBytes);
    s.client = client;
    s.executor = client.executor().orElse(java.util.concurrent.ForkJoinPool.commonPool());
    s.probeNanos =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(100),
            Math.min(TimeUnit.SECONDS.toNanos(5), responseTimeout.toNanos() / 8));
    return s;
  }

  /**
   * Starts opening the socket; the handler hears of the outcome, possibly before this returns (on
   * this thread). Messages sent before the socket opens are queued.
   */
  void connect(URI uri, Secret apiKey, Duration connectTimeout) {
    CompletableFuture<WebSocket> opening;
    try {
      opening =
          client
              .newWebSocketBuilder()
              .header("xi-api-key", apiKey.reveal())
              .connectTimeout(connectTimeout)
              .buildAsync(uri, this);
    } catch (IllegalArgumentException e) {
      // never quote the JDK's message: it contains the header value, i.e. the key
      failed(
          new dev.voicebridge.TransportException(
              ElevenLabsSynthesizer.NAME, "cannot open " + uri + ": a header value was refused"));
      return;
    }
    opening.whenComplete(
        (ws, t) -> {
          if (t != null) {
            failed(t);
          } else {
            opened(ws);
          }
        });
  }

  private void opened(WebSocket w) {
    synchronized (this) {
      if (openSeen) {
        return; // onOpen came first
      }
      openSeen = true;
    }
    // Read from the start, before the queued messages go out: a server that refuses the first
    // message answers with an error frame and closes at once, and once a later write of ours meets
    // its reset, the JDK stops reading too and what the server said is lost (K3). One message
    // more than the handler asked for may be read ahead.
    demandPending = true;
    w.request(1);
    boolean keep;
    synchronized (this) {
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

  /**
   * Closes politely after what was queued: sends a Close, then reads (and drops) until the server's
   * Close, which lets the JDK release the connection; aborts if the server does not answer in time.
   */
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
      closing = true;
      sendChain =
          sendChain
              .handle((v, t) -> null)
              .thenCompose(v -> w.sendClose(WebSocket.NORMAL_CLOSURE, ""))
              .whenComplete((v, t) -> {});
      closeTimer = Timers.schedule(this::dropConnection, CLOSE_GRACE_NANOS);
    }
    end();
    // read on to the server's Close: unread, its FIN leaves the client socket in CLOSE-WAIT (K1)
    run(() -> w.request(1));
  }

  /** The close handshake is over (or took too long): drop the TCP connection if still open. */
  private void dropConnection() {
    WebSocket w;
    synchronized (this) {
      w = ws;
      if (closeTimer != null) {
        closeTimer.cancel(false);
        closeTimer = null;
      }
    }
    if (w != null) {
      w.abort();
    }
    release();
  }

  /** Drops the connection at once. */
  void abort() {
    WebSocket w;
    synchronized (this) {
      closed = true;
      queued.clear();
      w = ws;
      if (closeTimer != null) {
        closeTimer.cancel(false);
        closeTimer = null;
      }
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
    if (oversize) {
      return null; // already failed; the connection is aborted
    }
    if (closing) {
      // closed by this side: what still comes is dropped until the server's Close
      partial.setLength(0);
      partialBytes = 0;
      run(() -> webSocket.request(1));
      return null;
    }
    // the cap counts the parts as they come: an oversize message is never buffered whole
    partialBytes += Utf8.length(data);
    if (partialBytes > maxFrameBytes) {
      oversize = true;
      long seen = partialBytes;
      partial.setLength(0);
      partial.trimToSize();
      partialBytes = 0;
      abort();
      handler.onError(
          this,
          new ProtocolException(
              ElevenLabsSynthesizer.NAME,
              "server message of "
                  + (last ? "" : "more than ")
                  + seen
                  + " bytes exceeds max-frame-bytes ("
                  + maxFrameBytes
                  + ")"));
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
    partialBytes = 0;
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
    boolean ours;
    synchronized (this) {
      closed = true;
      queued.clear();
      ours = closing;
    }
    handler.onClose(this, statusCode, reason);
    end();
    if (ours) {
      // both Close frames are through: the handshake is over, drop the connection now (outside
      // this callback; the timer set by close() is the fallback)
      run(this::dropConnection);
    } else {
      // the JDK answers the server's Close once this returns, then closes the connection; drop it
      // if that has not happened a moment later
      synchronized (this) {
        if (closeTimer == null) {
          closeTimer = Timers.schedule(this::dropConnection, CLOSE_GRACE_NANOS);
        }
      }
    }
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
