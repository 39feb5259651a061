package dev.voicebridge.smallest.internal;

import dev.voicebridge.spi.Ticker;
import java.net.http.HttpClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Idle WebSocket connections of one synthesizer, reused by later sessions (one session per
 * connection at a time: Smallest has no multiplexing). A connection the server closed, or one idle
 * longer than the keep-alive time, is dropped rather than reused.
 */
final class WsPool implements WsConnector {
  private static final int MAX_IDLE = 8;

  private final SmallestSettings settings;
  private final Supplier<HttpClient> client;
  private final Ticker ticker;
  private final AtomicInteger ids = new AtomicInteger();
  private final ArrayDeque<WsConnection> idle = new ArrayDeque<>();
  private final List<WsConnection> all = new ArrayList<>();
  private boolean closed;

  WsPool(SmallestSettings settings, Supplier<HttpClient> client, Ticker ticker) {
    this.settings = settings;
    this.client = client;
    this.ticker = ticker;
  }

  @Override
  public CompletableFuture<Lease> acquire() {
    List<WsConnection> stale = new ArrayList<>();
    WsConnection found = null;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("synthesizer closed"));
      }
      long now = ticker.nanoTime();
      long maxIdle = settings.keepAlive().toNanos();
      while (!idle.isEmpty()) {
        WsConnection c = idle.pollLast();
        if (c.isOpen() && (maxIdle == 0 || now - c.lastUsedNanos() < maxIdle)) {
          found = c;
          break;
        }
        stale.add(c);
      }
    }
    stale.forEach(WsConnection::abort);
    if (found != null) {
      return CompletableFuture.completedFuture(new Lease(found, true));
    }
    return connectFresh();
  }

  @Override
  public CompletableFuture<Lease> connectFresh() {
    WsConnection c;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("synthesizer closed"));
      }
      int id = ids.incrementAndGet();
      WsConnection[] self = new WsConnection[1];
      c = new WsConnection(id, settings.maxFrameBytes(), () -> forget(self[0]));
      self[0] = c;
      all.add(c);
    }
    WsConnection conn = c;
    CompletableFuture<java.net.http.WebSocket> opening;
    try {
      opening =
          client
              .get()
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + settings.apiKey().reveal())
              .connectTimeout(settings.connectTimeout())
              .buildAsync(settings.webSocketUri(), conn);
    } catch (RuntimeException e) {
      forget(conn);
      return CompletableFuture.failedFuture(e);
    }
    return opening.handle(
        (ws, error) -> {
          if (error != null) {
            forget(conn);
            throw new java.util.concurrent.CompletionException(
                SmallestErrors.forTransport(
                    "opening " + settings.webSocketUri(), error, settings.connectTimeout()));
          }
          conn.attach(ws);
          boolean late;
          synchronized (this) {
            late = closed;
          }
          if (late) {
            conn.abort();
            throw new java.util.concurrent.CompletionException(
                new IllegalStateException("synthesizer closed"));
          }
          return new Lease(conn, false);
        });
  }

  @Override
  public void release(WsLink link) {
    WsConnection c = (WsConnection) link;
    c.bind(null);
    boolean keep;
    WsConnection evicted = null;
    synchronized (this) {
      keep = !closed && c.isOpen();
      if (keep) {
        c.touch(ticker.nanoTime());
        idle.addLast(c);
        if (idle.size() > MAX_IDLE) {
          evicted = idle.pollFirst();
        }
      }
    }
    if (!keep) {
      c.abort();
    } else {
      c.request(); // keep reading while idle, to notice a close
    }
    if (evicted != null) {
      evicted.abort();
    }
  }

  private synchronized void forget(WsConnection c) {
    idle.remove(c);
    all.remove(c);
  }

  /** Idle connections now (for tests). */
  synchronized int idleCount() {
    return idle.size();
  }

  /** Closes every connection. */
  void close() {
    List<WsConnection> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayList<>(all);
      idle.clear();
    }
    toClose.forEach(WsConnection::abort);
  }
}
