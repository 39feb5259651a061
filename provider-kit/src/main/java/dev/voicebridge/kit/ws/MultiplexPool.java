package dev.voicebridge.kit.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The shared sockets of one synthesizer for a vendor that multiplexes sessions as contexts on one
 * WebSocket. A session becomes a context on a socket with the same key (the URL: voice, model,
 * format, query) and fewer than the maximum live contexts; when every socket is full a new one is
 * opened. Whether a context reuses an open socket is decided here, under the socket's lock: a
 * socket opened for this context can be open by the time it would ask (a fast handshake completes
 * on the calling thread), and a context that took it for a reused one would hide a fault on it by
 * moving.
 *
 * @param <F> the vendor's decoded frame
 */
public final class MultiplexPool<F> {
  /**
   * Where a context was placed.
   *
   * @param socket the socket
   * @param reused whether the socket was open already (the context hears of no open)
   * @param <F> the vendor's decoded frame
   */
  public record Placement<F>(MultiplexedSocket<F> socket, boolean reused) {}

  private final String provider;
  private final int maxContextsPerSocket;
  private final Duration idleTimeout;
  private final Duration responseTimeout;
  private final MultiplexedSocket.Protocol<F> protocol;
  private final Function<Object, WebSocketConnection.Options> options;
  private final List<MultiplexedSocket<F>> sockets = new ArrayList<>(); // this
  private boolean closed; // this

  /**
   * A pool.
   *
   * @param provider the provider's name, for messages
   * @param maxContextsPerSocket live contexts the vendor allows on one socket
   * @param idleTimeout how long a socket without contexts is kept
   * @param responseTimeout the sessions' response timeout (a socket silent for half of it while a
   *     cancelled context's final frame is owed has stalled)
   * @param protocol the vendor's framing
   * @param options the connection settings for a socket of a key (its URL, headers, limits)
   */
  public MultiplexPool(
      String provider,
      int maxContextsPerSocket,
      Duration idleTimeout,
      Duration responseTimeout,
      MultiplexedSocket.Protocol<F> protocol,
      Function<Object, WebSocketConnection.Options> options) {
    if (maxContextsPerSocket < 1) {
      throw new IllegalArgumentException("maxContextsPerSocket must be positive");
    }
    this.provider = Objects.requireNonNull(provider, "provider");
    this.maxContextsPerSocket = maxContextsPerSocket;
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.options = Objects.requireNonNull(options, "options");
  }

  String provider() {
    return provider;
  }

  Duration idleTimeout() {
    return idleTimeout;
  }

  Duration responseTimeout() {
    return responseTimeout;
  }

  /**
   * {@return the socket for {@code context} among those of {@code key}, opening one when needed}
   *
   * @param key the key
   * @param context the context
   * @throws IllegalStateException if the pool is closed
   */
  public Placement<F> acquire(Object key, MultiplexedSocket.Context<F> context) {
    MultiplexedSocket<F> chosen = null;
    boolean created = false;
    boolean reused = false;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the synthesizer is closed");
      }
      for (MultiplexedSocket<F> s : sockets) {
        if (s.key().equals(key)) {
          MultiplexedSocket.Added added = s.tryAdd(context);
          if (added != MultiplexedSocket.Added.NO_ROOM) {
            chosen = s;
            reused = added == MultiplexedSocket.Added.REUSING;
            break;
          }
        }
      }
      if (chosen == null) {
        chosen = new MultiplexedSocket<>(this, key, maxContextsPerSocket, protocol);
        if (chosen.tryAdd(context) == MultiplexedSocket.Added.NO_ROOM) {
          throw new IllegalStateException("a new socket refused its first context");
        }
        sockets.add(chosen);
        created = true;
      }
    }
    if (created) {
      chosen.connect(WebSocketConnection.create(options.apply(key), chosen));
    }
    return new Placement<>(chosen, reused);
  }

  /**
   * Opens a socket for {@code key} ahead of the sessions that will need it, unless one of the key
   * with room for a context is open or opening already. A socket opened here without a context is
   * closed after the idle timeout like any idle socket.
   *
   * @param key the key
   * @return completes when the socket (found or opened) is open; fails with its failure (a refused
   *     handshake: the socket is gone from the pool)
   * @throws IllegalStateException if the pool is closed
   */
  public CompletableFuture<Void> prewarm(Object key) {
    MultiplexedSocket<F> chosen = null;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the synthesizer is closed");
      }
      for (MultiplexedSocket<F> s : sockets) {
        if (s.key().equals(key) && s.hasRoom()) {
          return s.opened().copy();
        }
      }
      chosen = new MultiplexedSocket<>(this, key, maxContextsPerSocket, protocol);
      sockets.add(chosen);
    }
    chosen.connect(WebSocketConnection.create(options.apply(key), chosen));
    return chosen.opened().copy();
  }

  synchronized void remove(MultiplexedSocket<F> s) {
    sockets.remove(s);
  }

  /**
   * Sockets alive now (for tests and reports).
   *
   * @return the number of sockets
   */
  public synchronized int size() {
    return sockets.size();
  }

  /** Aborts every socket; the pool opens no more. */
  public void close() {
    List<MultiplexedSocket<F>> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(sockets);
      sockets.clear();
    }
    all.forEach(MultiplexedSocket::shutdown);
  }
}
