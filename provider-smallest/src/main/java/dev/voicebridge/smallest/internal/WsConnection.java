package dev.voicebridge.smallest.internal;

import dev.voicebridge.internal.Utf8;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@code java.net.http} WebSocket with a send queue (one outstanding send at a time), joined
 * partial frames, a size limit ({@code max-frame-bytes}, counted in UTF-8 bytes as the parts
 * arrive, so an oversized message is refused before it is buffered whole), and demand passed one
 * message at a time. While no session is bound it keeps reading on its own (so a server close or
 * idle-timeout frame is noticed) and ignores stray frames.
 */
final class WsConnection implements WsLink, WebSocket.Listener {
  private final int id;
  private final int maxFrameBytes;
  private final Runnable onDead;
  private final StringBuilder partial = new StringBuilder();
  private long partialBytes; // UTF-8 bytes of partial: exact, or an upper bound (3 per char)
  private boolean partialExact = true;
  private volatile WebSocket ws;
  private volatile Handler handler;
  private volatile boolean open = true;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private volatile long lastUsedNanos;

  WsConnection(int id, int maxFrameBytes, Runnable onDead) {
    this.id = id;
    this.maxFrameBytes = maxFrameBytes;
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
    // a char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2): count exactly only near the cap
    long bytes = partialBytes + 3L * data.length();
    boolean exact = partialExact && data.length() == 0;
    if (bytes > maxFrameBytes) {
      if (!partialExact) {
        partialBytes = Utf8.length(partial);
        partialExact = true;
      }
      bytes = partialBytes + Utf8.length(data);
      exact = true;
    }
    if (bytes > maxFrameBytes) {
      partial.setLength(0);
      partial.trimToSize();
      partialBytes = 0;
      partialExact = true;
      Handler h = handler;
      // the session hears why first: aborting fails the sends in flight, and their failure must
      // not be the session's terminal error
      if (h != null) {
        h.onProtocolError(
            "a message larger than "
                + maxFrameBytes
                + " bytes (max-frame-bytes); the connection was closed");
      }
      abort();
      return null;
    }
    if (!last) {
      partial.append(data);
      partialBytes = bytes;
      partialExact = exact;
      webSocket.request(1);
      return null;
    }
    String message;
    if (partial.length() == 0) {
      message = data.toString(); // the usual case: a message in one part
    } else {
      message = partial.append(data).toString();
      partial.setLength(0);
      partialBytes = 0;
      partialExact = true;
    }
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
    if (h != null) { // before the abort, as in onText
      h.onProtocolError("a binary frame (Smallest sends JSON text frames only)");
    }
    abort();
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
