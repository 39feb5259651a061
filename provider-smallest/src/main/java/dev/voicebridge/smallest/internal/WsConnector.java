package dev.voicebridge.smallest.internal;

import java.util.concurrent.CompletableFuture;

/** Where sessions get WebSocket connections from and give them back (a seam for tests). */
interface WsConnector {

  /**
   * A connection acquired for one session.
   *
   * @param link the connection
   * @param reused whether it served an earlier session
   */
  record Lease(WsLink link, boolean reused) {}

  /** A pooled connection if one is open, else a new one. */
  CompletableFuture<Lease> acquire();

  /** A new connection, never a pooled one. */
  CompletableFuture<Lease> connectFresh();

  /** Gives a clean connection back for reuse (closed ones are dropped). */
  void release(WsLink link);
}
