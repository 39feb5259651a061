package dev.voicebridge.smallest.internal;

import java.util.concurrent.CompletableFuture;

/** One WebSocket connection as a session backend sees it (a seam for tests). */
interface WsLink {

  /** Receives what the server sends while a session is bound. Called on transport threads. */
  interface Handler {
    /** One whole text message. The handler calls {@link WsLink#request()} when it wants more. */
    void onMessage(String text);

    /** A binary message (Smallest sends none) or an oversize one. */
    void onProtocolError(String what);

    /** The server closed the connection. */
    void onClosed(int code, String reason);

    /** The connection failed. */
    void onError(Throwable error);
  }

  /** Connection number, for logs and tests. */
  int id();

  /** Queues a text message behind the previous ones; completes when it was written. */
  CompletableFuture<Void> send(String text);

  /** Binds the session that receives messages; null unbinds (the link then reads on its own). */
  void bind(Handler handler);

  /** Asks for the next message. */
  void request();

  /** Whether the connection is still usable. */
  boolean isOpen();

  /** Closes the connection abruptly. Idempotent. */
  void abort();
}
