package dev.voicebridge.smallest.internal;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@code java.net.http} WebSocket with a send queue (one outstanding send at a time), joined
 * partial frames, a size limit, and demand passed one message at a time. While no session is bound
 * it keeps reading on its own (so a server close or idle-timeout frame is noticed) and ignores
 * stray frames.
 */
final class WsConnection implements WsLink, WebSocket.Listener {
  private final int id;
  private final int maxMessageChars;
  private final Runnable onDead;
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket ws;
  private volatile Handler handler;
  private volatile boolean open = true;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private volatile long lastUsedNanos;

  WsConnection(int id, int maxMessageChars, Runnable onDead) {
    this.id = id;
    this.maxMessageChars = maxMessageChars;
    this.onDead = onDead;
  }

  @Override
  public int id() {
    return id;
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }

  void touch(long nanos) {
    lastUsedNanos = nanos;
  }

  @Override
  public synchronized CompletableFuture<Void> send(String text) {
    WebSocket w = ws;
    tail = tail.thenCompose(v -> w.sendText(text, true)).thenApply(x -> null);
    return tail;
  }

  @Override
  public void bind(Handler h) {
    handler = h;
  }

  @Override
  public void request() {
    WebSocket w = ws;
    if (w != null && open) {
      w.request(1);
    }
  }

  @Override
  public boolean isOpen() {
    WebSocket w = ws;
    return open && w != null && !w.isInputClosed() && !w.isOutputClosed();
  }

  @Override
  public void abort() {
    open = false;
    WebSocket w = ws;
    if (w != null) {
      w.abort();
    }
    onDead.run();
  }

  // ------------------------------------------------------------------ listener

  /** Sets the socket once the handshake is done (also set by {@link #onOpen}). */
  void attach(WebSocket webSocket) {
    ws = webSocket;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    ws = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (partial.length() + data.length() > maxMessageChars) {
      partial.setLength(0);
      Handler h = handler;
      abort();
      if (h != null) {
        h.onProtocolError("a message larger than " + maxMessageChars + " characters");
      }
      return null;
    }
    partial.append(data);
    if (!last) {
      webSocket.request(1);
      return null;
    }
    String message = partial.toString();
    partial.setLength(0);
    Handler h = handler;
    if (h != null) {
      h.onMessage(message);
    } else {
      idleMessage(message);
      webSocket.request(1);
    }
    return null;
  }

  private void idleMessage(String message) {
    try {
      if (SmallestCodec.decodeWs(message) instanceof SmallestCodec.ErrorFrame) {
        abort(); // e.g. the idle timeout; the server closes next
      }
    } catch (RuntimeException malformed) {
      abort();
    }
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    Handler h = handler;
    abort();
    if (h != null) {
      h.onProtocolError("a binary frame (Smallest sends JSON text frames only)");
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    open = false;
    onDead.run();
    Handler h = handler;
    if (h != null) {
      h.onClosed(statusCode, reason);
    }
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    open = false;
    onDead.run();
    Handler h = handler;
    if (h != null) {
      h.onError(error);
    }
  }

  @Override
  public String toString() {
    return "WsConnection#" + id + (open ? "" : " (closed)");
  }
}
