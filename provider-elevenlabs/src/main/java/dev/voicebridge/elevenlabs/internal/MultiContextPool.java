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

  /** The socket for {@code context}, opening one when needed. */
  MultiSocket acquire(URI uri, ContextBackend context) {
    MultiSocket chosen = null;
    boolean created = false;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the synthesizer is closed");
      }
      for (MultiSocket s : sockets) {
        if (s.uri().equals(uri) && s.tryAdd(context)) {
          chosen = s;
          break;
        }
      }
      if (chosen == null) {
        chosen = new MultiSocket(this, uri, owner.settings().maxContextsPerSocket());
        if (!chosen.tryAdd(context)) {
          throw new IllegalStateException("a new socket refused its first context");
        }
        sockets.add(chosen);
        created = true;
      }
    }
    if (created) {
      chosen.connect();
    }
    return chosen;
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
