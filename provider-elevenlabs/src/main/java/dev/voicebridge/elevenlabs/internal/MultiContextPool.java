package dev.voicebridge.elevenlabs.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code multi-stream-input} sockets of one synthesizer. A session becomes a context on a
 * socket with the same URL (voice, model, format, query) and fewer than the maximum live contexts;
 * a context counts until its final frame (or its socket's end). When every socket is full a new one
 * is opened, so the vendor never sees a sixth context.
 */
final class MultiContextPool {
  private final ElevenLabsSynthesizer owner;
  private final List<MultiSocket> sockets = new ArrayList<>();
  private final AtomicLong contextIds = new AtomicLong();
  private boolean closed;

  MultiContextPool(ElevenLabsSynthesizer owner) {
    this.owner = owner;
  }

  ElevenLabsSynthesizer owner() {
    return owner;
  }

  String nextContextId() {
    return "vb-" + contextIds.incrementAndGet();
  }

  /** Where a context was placed, and whether the socket was open already when it was. */
  record Placement(MultiSocket socket, boolean reused) {}

  /**
   * The socket for {@code context}, opening one when needed. Whether the context reuses an open
   * socket is decided here, not by asking the socket afterwards: a socket opened for this context
   * can be open by then (a fast handshake completes on the calling thread), and a context that took
   * it for a reused one would treat a fault on it as a stale pooled socket and hide it by moving.
   */
  Placement acquire(URI uri, ContextBackend context) {
    MultiSocket chosen = null;
    boolean created = false;
    boolean reused = false;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the synthesizer is closed");
      }
      for (MultiSocket s : sockets) {
        if (s.uri().equals(uri)) {
          MultiSocket.Added added = s.tryAdd(context);
          if (added != MultiSocket.Added.NO_ROOM) {
            chosen = s;
            reused = added == MultiSocket.Added.REUSING;
            break;
          }
        }
      }
      if (chosen == null) {
        chosen = new MultiSocket(this, uri, owner.settings().maxContextsPerSocket());
        if (chosen.tryAdd(context) == MultiSocket.Added.NO_ROOM) {
          throw new IllegalStateException("a new socket refused its first context");
        }
        sockets.add(chosen);
        created = true;
      }
    }
    if (created) {
      chosen.connect();
    }
    return new Placement(chosen, reused);
  }

  synchronized void remove(MultiSocket s) {
    sockets.remove(s);
  }

  /** Sockets alive now (for tests and reports). */
  synchronized int size() {
    return sockets.size();
  }

  void close() {
    List<MultiSocket> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(sockets);
      sockets.clear();
    }
    all.forEach(MultiSocket::shutdown);
  }
}
