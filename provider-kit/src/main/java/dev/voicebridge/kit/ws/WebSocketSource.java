package dev.voicebridge.kit.ws;

import java.util.Objects;
import java.util.function.Function;

/**
 * Where a {@link WebSocketSessionBackend} gets its connection: from a {@link WebSocketPool} (a
 * connection serves one session at a time and goes back to the pool after a clean completion) or
 * new for every session.
 */
public interface WebSocketSource {

  /**
   * {@return an open pooled connection, bound to {@code listener}, or a new one (not connected
   * yet)}
   *
   * @param listener the listener
   */
  WebSocketPool.Lease acquire(WebSocketConnection.Listener listener);

  /**
   * {@return a new connection (not connected yet), never a pooled one}
   *
   * @param listener the listener
   */
  WebSocketConnection fresh(WebSocketConnection.Listener listener);

  /**
   * The session ended cleanly: the connection may serve another session.
   *
   * @param connection the connection
   */
  void release(WebSocketConnection connection);

  /**
   * The session is done with the connection and it serves no other: abort it.
   *
   * @param connection the connection
   */
  void discard(WebSocketConnection connection);

  /**
   * The session ended cleanly but the connection serves no other (the vendor's protocol ends it
   * with the session, or it carries state): close it politely.
   *
   * @param connection the connection
   */
  void close(WebSocketConnection connection);

  /**
   * {@return a new connection for every session, closed politely after a clean completion}
   *
   * @param create makes the value
   */
  static WebSocketSource perSession(
      Function<WebSocketConnection.Listener, WebSocketConnection> create) {
    Objects.requireNonNull(create, "create");
    return new WebSocketSource() {
      @Override
      public WebSocketPool.Lease acquire(WebSocketConnection.Listener listener) {
        return new WebSocketPool.Lease(create.apply(listener), false);
      }

      @Override
      public WebSocketConnection fresh(WebSocketConnection.Listener listener) {
        return create.apply(listener);
      }

      @Override
      public void release(WebSocketConnection connection) {
        connection.close();
      }

      @Override
      public void discard(WebSocketConnection connection) {
        connection.abort();
      }

      @Override
      public void close(WebSocketConnection connection) {
        connection.close();
      }
    };
  }

  /**
   * Connections of {@code pool} under {@code key}, new ones made by {@code create}.
   *
   * @param pool the pool
   * @param key the key
   * @param create makes the value
   * @param <K> the type of the pool key
   * @return the source
   */
  static <K> WebSocketSource pooled(
      WebSocketPool<K> pool,
      K key,
      Function<WebSocketConnection.Listener, WebSocketConnection> create) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(create, "create");
    return new WebSocketSource() {
      @Override
      public WebSocketPool.Lease acquire(WebSocketConnection.Listener listener) {
        return pool.acquire(key, listener, create);
      }

      @Override
      public WebSocketConnection fresh(WebSocketConnection.Listener listener) {
        return pool.adopt(key, create.apply(listener));
      }

      @Override
      public void release(WebSocketConnection connection) {
        pool.release(connection);
      }

      @Override
      public void discard(WebSocketConnection connection) {
        pool.discard(connection);
      }

      @Override
      public void close(WebSocketConnection connection) {
        pool.retire(connection);
      }
    };
  }
}
