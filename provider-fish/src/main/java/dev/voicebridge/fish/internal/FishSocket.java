package dev.voicebridge.fish.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.Timers;
import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * One WebSocket to {@code /v1/tts/live}, serving one session at a time. It is its own listener:
 * messages are joined from partial frames, decoded and handed to the attached session; demand is
 * one message at a time, requested through the session's {@code whenReady} so a slow consumer slows
 * the socket (an idle socket keeps one request outstanding so it notices a close). Sends are
 * chained: one outstanding send at a time. Pings are answered by the JDK.
 */
final class FishSocket implements WebSocket.Listener {
  private final int id;
  private final String model;
  private final int maxFrameBytes;
  private final FishSocketPool pool;
  private final long probeNanos;

  // liveness probe while a session is attached (see probe())
  private final Object probeLock = new Object();
  private ScheduledFuture<?> probeTask; // probeLock
  private volatile long lastActivity = System.nanoTime();
  private volatile boolean demandOutstanding;
  private volatile long pingSentAt = -1;

  private volatile WebSocket ws;
  private volatile FishWsSession session;
  private volatile boolean dead;
  private volatile String closeReason;

  private final Object sendLock = new Object();
  private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);

  // receive state, touched only by the JDK's (serialized) listener calls
  private ByteArrayOutputStream partial;
  private boolean partialTooBig;
  private int partialBytes;

  FishSocket(int id, String model, int maxFrameBytes, Duration probeAfter, FishSocketPool pool) {
    this.id = id;
    this.model = model;
    this.maxFrameBytes = maxFrameBytes;
    this.pool = pool;
    this.probeNanos = probeAfter.toNanos();
  }

  int id() {
    return id;
  }

  String model() {
    return model;
  }

  /** Whether the socket is open and can serve a session. */
  boolean usable() {
    WebSocket w = ws;
    return !dead && w != null && !w.isOutputClosed() && !w.isInputClosed();
  }

  void attach(FishWsSession s) {
    session = s;
    lastActivity = System.nanoTime();
    pingSentAt = -1;
    schedule(probeNanos);
  }

  /** Detaches {@code s} if it is the current session. */
  void detach(FishWsSession s) {
    if (session == s) {
      session = null;
      synchronized (probeLock) {
        if (probeTask != null) {
          probeTask.cancel(false);
          probeTask = null;
        }
      }
    }
  }

  private void schedule(long nanos) {
    synchronized (probeLock) {
      if (probeTask != null) {
        probeTask.cancel(false);
      }
      probeTask = Timers.schedule(this::probe, nanos);
    }
  }

  /**
   * Liveness while a session runs: when the server has been silent for the probe interval while
   * this client waits for it (demand outstanding), a ping is sent; no answer of any kind within
   * another interval means the connection is gone (some closes by the peer are never reported by
   * the JDK's WebSocket), which fails the session with a retryable {@link TransportException}
   * instead of waiting for the response timeout. A server that is merely slow still answers pings.
   */
  private void probe() {
    FishWsSession s = session;
    WebSocket w = ws;
    if (s == null || w == null || dead) {
      return;
    }
    long now = System.nanoTime();
    if (!demandOutstanding) {
      // the application is slow, not the server: wait
      lastActivity = now;
      pingSentAt = -1;
      schedule(probeNanos);
      return;
    }
    long sent = pingSentAt;
    if (sent >= 0) {
      if (now - sent >= probeNanos) {
        lost(
            new TransportException(
                FishCodec.PROVIDER,
                "the WebSocket stopped answering (no pong within "
                    + Duration.ofNanos(probeNanos).toMillis()
                    + " ms) before the session's finish event"));
        discard();
        return;
      }
      schedule(probeNanos - (now - sent));
      return;
    }
    long silent = now - lastActivity;
    if (silent < probeNanos) {
      schedule(probeNanos - silent);
      return;
    }
    pingSentAt = now;
    w.sendPing(ByteBuffer.allocate(0));
    schedule(probeNanos);
  }

  private void activity() {
    lastActivity = System.nanoTime();
    pingSentAt = -1;
    demandOutstanding = false;
  }

  private void request(WebSocket w) {
    demandOutstanding = true;
    w.request(1);
  }

  /** Queues a binary message; the future fails if the socket cannot send it. */
  CompletableFuture<Void> send(byte[] message) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    synchronized (sendLock) {
      CompletableFuture<?> prev = sendTail;
      sendTail =
          prev.handle((r, e) -> null)
              .thenCompose(
                  x -> {
                    WebSocket w = ws;
                    if (dead || w == null || w.isOutputClosed()) {
                      result.completeExceptionally(
                          new TransportException(
                              FishCodec.PROVIDER, "the WebSocket is closed" + reasonSuffix()));
                      return CompletableFuture.completedFuture(null);
                    }
                    return w.sendBinary(ByteBuffer.wrap(message), true)
                        .handle(
                            (r, e) -> {
                              if (e != null) {
                                result.completeExceptionally(e);
                              } else {
                                result.complete(null);
                              }
                              return null;
                            });
                  });
    }
    return result;
  }

  private String reasonSuffix() {
    String r = closeReason;
    return r == null ? "" : " (" + r + ")";
  }

  /** Closes the socket abruptly (after an error, or a cancel mid-session). */
  void discard() {
    dead = true;
    pool.forget(this);
    WebSocket w = ws;
    if (w != null) {
      w.abort();
    }
  }

  /** Closes the socket politely: a close frame, then the TCP connection. */
  void close() {
    dead = true;
    pool.forget(this);
    WebSocket w = ws;
    if (w == null) {
      return;
    }
    if (w.isOutputClosed()) {
      w.abort();
      return;
    }
    synchronized (sendLock) {
      sendTail =
          sendTail
              .handle((r, e) -> null)
              .thenCompose(x -> w.sendClose(WebSocket.NORMAL_CLOSURE, "").handle((r, e) -> null))
              .whenComplete((r, e) -> w.abort());
    }
  }

  private void requestNext() {
    WebSocket w = ws;
    if (w == null || dead) {
      return;
    }
    FishWsSession s = session;
    if (s != null) {
      s.whenReady(() -> request(w));
    } else {
      request(w);
    }
  }

  // ------------------------------------------------------------------ listener

  @Override
  public void onOpen(WebSocket webSocket) {
    ws = webSocket;
    request(webSocket);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    activity();
    if (!last || partial != null) {
      if (partial == null) {
        partial = new ByteArrayOutputStream();
        partialBytes = 0;
        partialTooBig = false;
      }
      partialBytes += data.remaining();
      if (partialBytes > maxFrameBytes) {
        partialTooBig = true;
      } else {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.writeBytes(chunk);
      }
      if (!last) {
        request(webSocket);
        return null;
      }
      boolean tooBig = partialTooBig;
      int total = partialBytes;
      byte[] whole = partial.toByteArray();
      partial = null;
      if (tooBig) {
        oversize(total);
        return null;
      }
      deliver(ByteBuffer.wrap(whole));
      return null;
    }
    if (data.remaining() > maxFrameBytes) {
      oversize(data.remaining());
      return null;
    }
    deliver(data);
    return null;
  }

  private void oversize(int bytes) {
    failSession(
        new ProtocolException(
            FishCodec.PROVIDER,
            "server message of "
                + bytes
                + " bytes exceeds max-frame-bytes ("
                + maxFrameBytes
                + ")"),
        true);
  }

  private void deliver(ByteBuffer message) {
    FishCodec.ServerEvent event;
    try {
      event = FishCodec.decode(message);
    } catch (ProtocolException e) {
      failSession(e, true);
      return;
    } catch (RuntimeException e) {
      failSession(
          new ProtocolException(FishCodec.PROVIDER, "undecodable server message: " + e, e), true);
      return;
    }
    FishWsSession s = session;
    if (s != null) {
      s.onEvent(this, event);
    }
    requestNext();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    // Fish sends only binary frames; text frames are ignored (protocol note 1, CS)
    activity();
    if (last) {
      requestNext();
    } else {
      request(webSocket);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    activity();
    requestNext(); // the JDK answers with a pong by itself
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    activity();
    requestNext();
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason =
        "close code " + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason);
    lost(
        new TransportException(
            FishCodec.PROVIDER,
            "the server closed the WebSocket before the session's finish event ("
                + closeReason
                + ")"));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeReason = String.valueOf(error.getMessage());
    lost(
        new TransportException(
            FishCodec.PROVIDER,
            "the WebSocket failed before the session's finish event: " + error,
            error));
  }

  private void lost(VoicebridgeException error) {
    dead = true;
    synchronized (probeLock) {
      if (probeTask != null) {
        probeTask.cancel(false);
        probeTask = null;
      }
    }
    pool.forget(this);
    FishWsSession s = session;
    if (s != null) {
      s.connectionLost(this, error);
    }
  }

  private void failSession(VoicebridgeException error, boolean discardSocket) {
    FishWsSession s = session;
    session = null;
    if (discardSocket) {
      discard();
    }
    if (s != null) {
      s.fail(this, error);
    }
  }

  @Override
  public String toString() {
    return "FishSocket#" + id + "[" + model + (dead ? ", closed" : "") + "]";
  }
}
