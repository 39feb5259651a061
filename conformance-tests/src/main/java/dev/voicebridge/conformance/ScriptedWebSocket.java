package dev.voicebridge.conformance;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link WebSocket} a test plays the server of, for the orderings a real server only hits by
 * chance: it opens on the calling thread (as the JDK does when the handshake completes inside
 * {@code buildAsync}), delivers what the test scripts only on demand and one callback at a time (as
 * the JDK does), records what the client sends, and can close, fail or reset where the script says.
 * Plain JDK types, so an adapter built on any WebSocket layer can use it through its own connector
 * seam.
 *
 * <pre>{@code
 * ScriptedWebSocket server = new ScriptedWebSocket();
 * // in the adapter's connector: (uri, headers, timeout, listener) -> server.open(listener)
 * session.sendText("Hi.");
 * server.serverText("{\"audio\":\"...\"}");
 * assertThat(server.sentText()).containsExactly(...);
 * }</pre>
 */
public final class ScriptedWebSocket implements WebSocket {
  private final List<String> sentText = new CopyOnWriteArrayList<>();
  private final List<ByteBuffer> sentBinary = new CopyOnWriteArrayList<>();
  private final List<Integer> sentCloses = new CopyOnWriteArrayList<>();
  private final ArrayDeque<Consumer<Listener>> inbox = new ArrayDeque<>(); // this
  private Listener listener; // this
  private long demand; // this
  private boolean delivering; // this
  private volatile boolean inputClosed;
  private volatile boolean outputClosed;
  private volatile boolean aborted;
  private volatile Consumer<String> onSend;

  /** A socket not yet opened. */
  public ScriptedWebSocket() {}

  /**
   * Opens: calls the listener's {@code onOpen} on this thread, then returns a completed future, as
   * the JDK does when the handshake completes while {@code buildAsync} is still running.
   *
   * @param l the client's listener
   * @return a future of this socket, complete once it is open
   */
  public CompletableFuture<WebSocket> open(Listener l) {
    synchronized (this) {
      listener = l;
    }
    l.onOpen(this);
    return CompletableFuture.completedFuture(this);
  }

  /**
   * Runs {@code action} with every text message the client sends (an answering server).
   *
   * @param action the action
   * @return this socket
   */
  public ScriptedWebSocket onSend(Consumer<String> action) {
    this.onSend = action;
    return this;
  }

  // ------------------------------------------------------------------ the script

  /**
   * The server sends a whole text message (delivered when the client has asked for one).
   *
   * @param text the text
   */
  public void serverText(String text) {
    enqueue(l -> l.onText(this, text, true));
  }

  /**
   * The server sends a text message in parts; the client joins them.
   *
   * @param parts the parts
   */
  public void serverTextParts(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      boolean last = i == parts.length - 1;
      enqueue(l -> l.onText(this, p, last));
    }
  }

  /**
   * The server sends a whole binary message.
   *
   * @param data the data
   */
  public void serverBinary(ByteBuffer data) {
    enqueue(l -> l.onBinary(this, data, true));
  }

  /**
   * The server sends one part of a binary message ({@code last} ends it).
   *
   * @param data the data
   * @param last whether this is the last part
   */
  public void serverBinaryPart(ByteBuffer data, boolean last) {
    enqueue(l -> l.onBinary(this, data, last));
  }

  /**
   * The server sends a Close.
   *
   * @param code the code
   * @param reason the reason
   */
  public void serverClose(int code, String reason) {
    enqueue(
        l -> {
          inputClosed = true;
          l.onClose(this, code, reason);
        });
  }

  /**
   * The connection fails (a reset, a broken pipe): the listener's {@code onError}, at once.
   *
   * @param error the error
   */
  public void fail(Throwable error) {
    Listener l;
    synchronized (this) {
      l = listener;
      inputClosed = true;
      outputClosed = true;
    }
    if (l != null) {
      l.onError(this, error);
    }
  }

  private void enqueue(Consumer<Listener> event) {
    synchronized (this) {
      inbox.add(event);
    }
    pump();
  }

  /** Delivers queued events while the client has demand, one at a time, never re-entrantly. */
  private void pump() {
    for (; ; ) {
      Consumer<Listener> next;
      Listener l;
      synchronized (this) {
        if (delivering || demand == 0 || inbox.isEmpty() || listener == null || aborted) {
          return;
        }
        delivering = true;
        demand--;
        next = inbox.poll();
        l = listener;
      }
      try {
        next.accept(l);
      } finally {
        synchronized (this) {
          delivering = false;
        }
      }
    }
  }

  // ------------------------------------------------------------------ what the client did

  /** {@return the text messages the client sent, in order} */
  public List<String> sentText() {
    return List.copyOf(sentText);
  }

  /** {@return the binary messages the client sent, in order} */
  public List<ByteBuffer> sentBinary() {
    return List.copyOf(sentBinary);
  }

  /** {@return the codes of the Close frames the client sent} */
  public List<Integer> sentCloses() {
    return List.copyOf(sentCloses);
  }

  /** {@return whether the client aborted the connection} */
  public boolean aborted() {
    return aborted;
  }

  /**
   * Messages the client asked for and has not received.
   *
   * @return the number of messages
   */
  public synchronized long demand() {
    return demand;
  }

  // ------------------------------------------------------------------ WebSocket

  @Override
  public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
    if (outputClosed) {
      return CompletableFuture.failedFuture(new java.io.IOException("output closed"));
    }
    String s = data.toString();
    sentText.add(s);
    Consumer<String> a = onSend;
    if (a != null) {
      a.accept(s);
    }
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
    if (outputClosed) {
      return CompletableFuture.failedFuture(new java.io.IOException("output closed"));
    }
    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
    copy.put(data).flip();
    sentBinary.add(copy);
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
    return outputClosed
        ? CompletableFuture.failedFuture(new java.io.IOException("output closed"))
        : CompletableFuture.completedFuture(this);
  }

  @Override
  public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
    sentCloses.add(statusCode);
    outputClosed = true;
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void request(long n) {
    synchronized (this) {
      demand += n;
    }
    pump();
  }

  @Override
  public String getSubprotocol() {
    return "";
  }

  @Override
  public boolean isOutputClosed() {
    return outputClosed;
  }

  @Override
  public boolean isInputClosed() {
    return inputClosed;
  }

  @Override
  public void abort() {
    aborted = true;
    inputClosed = true;
    outputClosed = true;
  }

  @Override
  public String toString() {
    return "ScriptedWebSocket[sent " + sentText.size() + " text, " + sentBinary.size() + " binary]";
  }
}
