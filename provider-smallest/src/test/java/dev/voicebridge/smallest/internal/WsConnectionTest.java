package dev.voicebridge.smallest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The JDK WebSocket adapter: partial frames, limits, idle reading, the send queue. */
class WsConnectionTest {
  private final AtomicInteger dead = new AtomicInteger();
  private final FakeSocket socket = new FakeSocket();
  private final WsConnection conn = new WsConnection(1, 64, dead::incrementAndGet);
  private final Recorder handler = new Recorder();

  WsConnectionTest() {
    conn.onOpen(socket);
    conn.attach(socket);
  }

  @Test
  void partialFramesAreJoinedAndDemandIsLeftToTheHandler() {
    conn.bind(handler);
    long before = socket.requested.get();
    conn.onText(socket, "{\"status\":", false);
    assertThat(socket.requested.get()).isEqualTo(before + 1);
    conn.onText(socket, "\"complete\"}", true);
    assertThat(handler.messages).containsExactly("{\"status\":\"complete\"}");
    assertThat(socket.requested.get()).as("the handler asks for more itself").isEqualTo(before + 1);
    conn.request();
    assertThat(socket.requested.get()).isEqualTo(before + 2);
  }

  @Test
  void anOversizeMessageIsAProtocolErrorAndKillsTheConnection() {
    conn.bind(handler);
    conn.onText(socket, "x".repeat(40), false);
    conn.onText(socket, "x".repeat(40), true);
    assertThat(handler.errors).singleElement().asString().contains("larger than 64");
    assertThat(socket.aborted).isTrue();
    assertThat(conn.isOpen()).isFalse();
    assertThat(dead.get()).isPositive();
  }

  @Test
  void aBinaryFrameIsAProtocolError() {
    conn.bind(handler);
    conn.onBinary(socket, ByteBuffer.allocate(3), true);
    assertThat(handler.errors).singleElement().asString().contains("binary");
    assertThat(socket.aborted).isTrue();
  }

  @Test
  void whileIdleStrayFramesAreIgnoredAndAnErrorFrameKillsTheConnection() {
    long before = socket.requested.get();
    conn.onText(socket, "{\"status\":\"complete\"}", true);
    assertThat(socket.aborted).isFalse();
    assertThat(socket.requested.get()).isEqualTo(before + 1);
    conn.onText(
        socket, "{\"status\":\"error\",\"message\":\"Connection timed out after 60 s\"}", true);
    assertThat(socket.aborted).isTrue();
    assertThat(conn.isOpen()).isFalse();
  }

  @Test
  void closeAndErrorReachTheBoundSession() {
    conn.bind(handler);
    conn.onClose(socket, 1000, "done");
    assertThat(handler.closes).containsExactly("1000 done");
    assertThat(conn.isOpen()).isFalse();
    WsConnection other = new WsConnection(2, 64, () -> {});
    other.attach(socket);
    other.bind(handler);
    other.onError(socket, new java.io.IOException("reset"));
    assertThat(handler.errors).singleElement().asString().contains("reset");
  }

  @Test
  void sendsGoOutOneAtATimeInOrder() {
    CompletableFuture<Void> a = conn.send("a");
    CompletableFuture<Void> b = conn.send("b");
    assertThat(socket.sent).containsExactly("a");
    assertThat(b).isNotDone();
    socket.pending.get(0).complete(socket);
    assertThat(a).isCompleted();
    assertThat(socket.sent).containsExactly("a", "b");
    socket.pending.get(1).complete(socket);
    assertThat(b).isCompleted();
  }

  static final class Recorder implements WsLink.Handler {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> closes = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(String text) {
      messages.add(text);
    }

    @Override
    public void onProtocolError(String what) {
      errors.add(what);
    }

    @Override
    public void onClosed(int code, String reason) {
      closes.add(code + " " + reason);
    }

    @Override
    public void onError(Throwable error) {
      errors.add(String.valueOf(error));
    }
  }

  static final class FakeSocket implements WebSocket {
    final AtomicInteger requested = new AtomicInteger();
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<WebSocket>> pending = new CopyOnWriteArrayList<>();
    volatile boolean aborted;

    @Override
    public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
      sent.add(data.toString());
      CompletableFuture<WebSocket> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public void request(long n) {
      requested.addAndGet((int) n);
    }

    @Override
    public String getSubprotocol() {
      return "";
    }

    @Override
    public boolean isOutputClosed() {
      return aborted;
    }

    @Override
    public boolean isInputClosed() {
      return aborted;
    }

    @Override
    public void abort() {
      aborted = true;
    }
  }
}
