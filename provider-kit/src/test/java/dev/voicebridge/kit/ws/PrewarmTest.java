package dev.voicebridge.kit.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.kit.ws.WebSocketConnectionTest.JdkSocket;
import dev.voicebridge.kit.ws.WebSocketConnectionTest.Recorder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The pools' prewarm against scripted JDK sockets: a connection opened ahead of the session waits
 * idle and the next session reuses it; a refused one leaves nothing behind.
 */
class PrewarmTest {
  /** Every handshake the connector was asked for, answered by {@link #answer}. */
  final List<CompletableFuture<WebSocket>> handshakes = new CopyOnWriteArrayList<>();

  final List<JdkSocket> sockets = new CopyOnWriteArrayList<>();
  volatile Supplier<CompletableFuture<WebSocket>> answer = this::openNow;

  private CompletableFuture<WebSocket> openNow() {
    return CompletableFuture.completedFuture(null); // replaced below by the opened socket
  }

  WebSocketConnection.Options options() {
    return WebSocketConnection.Options.builder(
            "vendor",
            URI.create("ws://127.0.0.1:7/live"),
            HttpClient.newBuilder().executor(WebSocketConnectionTest.DIRECT).build())
        .pingAfter(Duration.ZERO)
        .connector(
            (uri, headers, timeout, l) -> {
              CompletableFuture<WebSocket> f = answer.get();
              if (f.isDone() && !f.isCompletedExceptionally()) {
                JdkSocket s = new JdkSocket();
                s.listener = l;
                sockets.add(s);
                l.onOpen(s);
                f = CompletableFuture.completedFuture(s);
              }
              handshakes.add(f);
              return f;
            })
        .build();
  }

  WebSocketConnection create(WebSocketConnection.Listener l) {
    return WebSocketConnection.create(options(), l);
  }

  final WebSocketPool<String> pool = new WebSocketPool<>(2, Duration.ofMinutes(1), null);

  @Test
  void aPrewarmedConnectionWaitsIdleAndTheNextSessionReusesIt() {
    CompletableFuture<Void> warm = pool.prewarm("s1", this::create);
    assertThat(warm).isCompleted();
    assertThat(pool.idleCount()).isEqualTo(1);
    assertThat(sockets.get(0).requested.get())
        .as("an idle connection keeps reading, to notice a Close")
        .isEqualTo(1);

    Recorder session = new Recorder();
    WebSocketPool.Lease lease = pool.acquire("s1", session, this::create);
    assertThat(lease.reused()).isTrue();
    assertThat(handshakes).as("one handshake for the prewarm and the session").hasSize(1);
    assertThat(pool.idleCount()).isZero();
  }

  @Test
  void aPrewarmFindsAnIdleConnectionAndOpensNoOther() {
    pool.prewarm("s1", this::create).join();
    pool.prewarm("s1", this::create).join();
    assertThat(handshakes).hasSize(1);
    pool.prewarm("s2", this::create).join();
    assertThat(handshakes).as("another key needs its own").hasSize(2);
  }

  @Test
  void aPrewarmWhileOneIsOpeningSharesItsOutcome() {
    CompletableFuture<WebSocket> slow = new CompletableFuture<>();
    answer = () -> slow;
    CompletableFuture<Void> first = pool.prewarm("s1", this::create);
    CompletableFuture<Void> second = pool.prewarm("s1", this::create);
    assertThat(handshakes).hasSize(1);
    assertThat(first).isNotDone();
    slow.completeExceptionally(new ConnectException("Connection refused"));
    assertThat(first).isCompletedExceptionally();
    assertThat(second).isCompletedExceptionally();
  }

  @Test
  void aRefusedPrewarmSurfacesItsErrorAndLeavesNothingBehind() {
    answer = () -> CompletableFuture.failedFuture(new IOException("connection refused"));
    CompletableFuture<Void> warm = pool.prewarm("s1", this::create);
    assertThatThrownBy(warm::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TransportException.class);
    assertThat(pool.idleCount()).isZero();

    answer = this::openNow;
    WebSocketPool.Lease lease = pool.acquire("s1", new Recorder(), this::create);
    assertThat(lease.reused()).as("nothing was left to reuse").isFalse();
  }

  @Test
  void closingThePoolFailsAPrewarmStillOpeningAndRefusesMore() {
    answer = CompletableFuture::new;
    CompletableFuture<Void> warm = pool.prewarm("s1", this::create);
    pool.close();
    assertThat(warm).isCompletedExceptionally();
    assertThatThrownBy(() -> pool.prewarm("s1", this::create))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aPoolThatKeepsNothingIdlePrewarmsNothing() {
    WebSocketPool<String> none = new WebSocketPool<>(0, Duration.ofMinutes(1), null);
    assertThat(none.prewarm("s1", this::create)).isCompleted();
    assertThat(handshakes).isEmpty();
  }

  // ------------------------------------------------------------------ multiplexed sockets

  /** Frames are "context:text"; "context:final" ends a context. */
  static final class Protocol implements MultiplexedSocket.Protocol<String> {
    @Override
    public String decode(String text) {
      return text;
    }

    @Override
    public String contextOf(String frame) {
      int i = frame.indexOf(':');
      return i < 0 ? null : frame.substring(0, i);
    }

    @Override
    public VoicebridgeException errorOf(String frame) {
      return null;
    }

    @Override
    public VoicebridgeException closed(int code, String reason) {
      return new TransportException("vendor", "closed " + code);
    }
  }

  /** A context that records what its socket tells it. */
  static final class Ctx implements MultiplexedSocket.Context<String> {
    final String id;
    volatile int opens;

    Ctx(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public void onSocketOpen() {
      opens++;
    }

    @Override
    public boolean onFrame(String frame) {
      return frame.endsWith(":final");
    }

    @Override
    public void onError(VoicebridgeException error) {}

    @Override
    public void onSocketLost(VoicebridgeException error) {}

    @Override
    public boolean isDone() {
      return false;
    }

    @Override
    public void whenReady(Runnable action) {
      action.run();
    }
  }

  MultiplexPool<String> multiplexed() {
    return new MultiplexPool<>(
        "vendor", 5, Duration.ofMinutes(1), Duration.ofSeconds(20), new Protocol(), k -> options());
  }

  @Test
  void aPrewarmedMultiplexedSocketTakesTheNextContextAsReused() {
    MultiplexPool<String> mp = multiplexed();
    mp.prewarm("voice-a").join();
    assertThat(mp.size()).isEqualTo(1);
    MultiplexPool.Placement<String> p = mp.acquire("voice-a", new Ctx("c1"));
    assertThat(p.reused()).isTrue();
    assertThat(handshakes).hasSize(1);
    mp.prewarm("voice-a").join();
    assertThat(handshakes).as("a socket with room is there: nothing more opened").hasSize(1);
    mp.close();
  }

  @Test
  void aRefusedMultiplexedPrewarmLeavesNoSocket() {
    MultiplexPool<String> mp = multiplexed();
    answer = () -> CompletableFuture.failedFuture(new IOException("connection refused"));
    CompletableFuture<Void> warm = mp.prewarm("voice-a");
    assertThatThrownBy(warm::join).hasCauseInstanceOf(TransportException.class);
    assertThat(mp.size()).isZero();
    mp.close();
    assertThatThrownBy(() -> mp.prewarm("voice-a")).isInstanceOf(IllegalStateException.class);
  }
}
