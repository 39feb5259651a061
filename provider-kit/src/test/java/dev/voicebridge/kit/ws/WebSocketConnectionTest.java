package dev.voicebridge.kit.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hardened connection against a JDK socket the test drives by hand: it calls the JDK listener's
 * methods itself (as the JDK would, one at a time) and sees every request, send and abort.
 */
class WebSocketConnectionTest {
  static final String KEY = "sk-canary-kit-0d9a";

  /** A JDK WebSocket whose listener the test calls, recording what the connection does. */
  static final class JdkSocket implements WebSocket {
    final AtomicInteger requested = new AtomicInteger();
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<WebSocket>> pending = new CopyOnWriteArrayList<>();
    final List<Integer> closes = new CopyOnWriteArrayList<>();
    final AtomicInteger pings = new AtomicInteger();
    volatile boolean completeSends = true;
    volatile boolean answerPings;
    volatile boolean aborted;
    volatile WebSocket.Listener listener;

    @Override
    public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
      sent.add(data.toString());
      CompletableFuture<WebSocket> f = new CompletableFuture<>();
      pending.add(f);
      if (completeSends) {
        f.complete(this);
      }
      return f;
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
      return sendText("binary:" + data.remaining(), last);
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
      pings.incrementAndGet();
      if (answerPings) {
        listener.onPong(this, ByteBuffer.allocate(0)); // a live server answers at once
      }
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
      closes.add(statusCode);
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

  /** What the connection tells its owner. */
  static final class Recorder implements WebSocketConnection.Listener {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<VoicebridgeException> failures = new CopyOnWriteArrayList<>();
    final List<String> closes = new CopyOnWriteArrayList<>();
    final AtomicInteger opens = new AtomicInteger();
    volatile boolean requestOnOpen = true;

    @Override
    public void onOpen(WebSocketConnection c) {
      opens.incrementAndGet();
      if (requestOnOpen) {
        c.request();
      }
    }

    @Override
    public void onText(WebSocketConnection c, String text) {
      messages.add(text);
    }

    @Override
    public void onBinary(WebSocketConnection c, ByteBuffer data) {
      messages.add("binary:" + data.remaining());
    }

    @Override
    public void onClose(WebSocketConnection c, int code, String reason) {
      closes.add(code + " " + reason);
    }

    @Override
    public void onFailure(WebSocketConnection c, VoicebridgeException error) {
      failures.add(error);
    }

    int terminals() {
      return failures.size() + closes.size();
    }
  }

  /** Runs posted tasks on the calling thread, so the test sees their effect at once. */
  static final Executor DIRECT = Runnable::run;

  final JdkSocket jdk = new JdkSocket();
  final Recorder owner = new Recorder();

  WebSocketConnection.Options.Builder options() {
    return WebSocketConnection.Options.builder(
            "vendor",
            URI.create("ws://127.0.0.1:7/live"),
            HttpClient.newBuilder().executor(DIRECT).build())
        .header("Authorization", "Bearer " + KEY)
        .pingAfter(Duration.ZERO)
        .maxMessageBytes(64)
        .connector(
            (uri, headers, timeout, l) -> {
              jdk.listener = l;
              l.onOpen(jdk); // the JDK may open on the calling thread
              return CompletableFuture.completedFuture(jdk);
            });
  }

  WebSocketConnection open(WebSocketConnection.Options o) {
    WebSocketConnection c = WebSocketConnection.create(o, owner);
    c.connect();
    return c;
  }

  @Test
  void theOwnerHearsOfTheOpenEvenWhenItHappensInsideConnect() {
    WebSocketConnection c = open(options().build());
    assertThat(owner.opens.get()).isEqualTo(1);
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void partialFramesAreJoinedAndDemandIsLeftToTheOwner() {
    open(options().build());
    int before = jdk.requested.get();
    jdk.listener.onText(jdk, "{\"status\":", false);
    assertThat(jdk.requested.get())
        .as("the rest of a message is read at once")
        .isEqualTo(before + 1);
    jdk.listener.onText(jdk, "\"complete\"}", true);
    assertThat(owner.messages).containsExactly("{\"status\":\"complete\"}");
    assertThat(jdk.requested.get()).as("the owner asks for more itself").isEqualTo(before + 1);
  }

  @Test
  void theFirstMessageIsReadBeforeTheOwnerAsksAndHeldUntilItDoes() {
    owner.requestOnOpen = false;
    WebSocketConnection c = open(options().build());
    assertThat(jdk.requested.get()).as("read from the start").isEqualTo(1);
    jdk.listener.onText(jdk, "first", true);
    assertThat(owner.messages).isEmpty();
    assertThat(jdk.requested.get()).as("nothing more until asked").isEqualTo(1);
    c.request();
    assertThat(owner.messages).containsExactly("first");
  }

  @Test
  void anOversizeMessageEndsTheConnectionTheMomentItPassesTheLimit() {
    WebSocketConnection c = open(options().build());
    jdk.listener.onText(jdk, "x".repeat(40), false);
    jdk.listener.onText(jdk, "x".repeat(40), false);
    assertThat(owner.failures)
        .singleElement()
        .isInstanceOf(ProtocolException.class)
        .asString()
        .contains("more than 80 bytes", "max-frame-bytes (64)");
    assertThat(jdk.aborted).isTrue();
    assertThat(c.isOpen()).isFalse();
  }

  @Test
  void anEndlessMessageEndsTheConnectionTheMomentItPassesTheLimit() {
    WebSocketConnection c = open(options().maxMessageBytes(16L << 20).build());
    ByteBuffer fragment = ByteBuffer.allocate(1 << 20);
    int fragments = 0;
    // a server that never ends its message: the script stops only when the connection does
    while (!jdk.aborted && fragments < 1_000) {
      jdk.listener.onBinary(jdk, fragment.duplicate(), false);
      fragments++;
    }
    assertThat(fragments).as("16 MiB accepted, the 17th fragment passes the limit").isEqualTo(17);
    assertThat(owner.failures)
        .singleElement()
        .isInstanceOf(ProtocolException.class)
        .asString()
        .contains("more than 17825792 bytes");
    assertThat(c.isOpen()).isFalse();
    int requests = jdk.requested.get();
    jdk.listener.onBinary(jdk, fragment.duplicate(), false);
    assertThat(jdk.requested.get()).as("nothing more is read").isEqualTo(requests);
  }

  @Test
  void aMessageOfTheOtherKindIsAProtocolErrorOrIgnoredWhereTheVendorSaysSo() {
    open(options().accept(WebSocketConnection.Accept.TEXT, false).build());
    jdk.listener.onBinary(jdk, ByteBuffer.allocate(3), true);
    assertThat(owner.failures).singleElement().asString().contains("binary message");
    assertThat(jdk.aborted).isTrue();

    JdkSocket other = new JdkSocket();
    Recorder r = new Recorder();
    WebSocketConnection.create(
            options()
                .accept(WebSocketConnection.Accept.BINARY, true)
                .connector(
                    (uri, headers, timeout, l) -> {
                      other.listener = l;
                      l.onOpen(other);
                      return CompletableFuture.completedFuture(other);
                    })
                .build(),
            r)
        .connect();
    int before = other.requested.get();
    other.listener.onText(other, "ignored", true);
    assertThat(r.messages).isEmpty();
    assertThat(r.failures).isEmpty();
    assertThat(other.requested.get()).as("reads on past it").isEqualTo(before + 1);
  }

  @Test
  void sendsGoOutOneAtATimeInOrderAndQueueWhileConnecting() {
    jdk.completeSends = false;
    CompletableFuture<WebSocket> handshake = new CompletableFuture<>();
    WebSocketConnection c =
        WebSocketConnection.create(
            options().connector((uri, headers, timeout, l) -> handshake).build(), owner);
    c.connect();
    CompletableFuture<Void> a = c.sendText("a");
    CompletableFuture<Void> b = c.sendText("b");
    assertThat(jdk.sent).isEmpty();
    handshake.complete(jdk);
    assertThat(jdk.sent).containsExactly("a");
    assertThat(b).isNotDone();
    jdk.pending.get(0).complete(jdk);
    assertThat(a).isCompleted();
    assertThat(jdk.sent).containsExactly("a", "b");
    jdk.pending.get(1).complete(jdk);
    assertThat(b).isCompleted();
  }

  @Test
  void aServerThatStopsReadingFailsTheConnectionInsteadOfFillingMemory() {
    jdk.completeSends = false;
    WebSocketConnection c = open(options().maxQueuedBytes(100).build());
    for (int i = 0; i < 20 && owner.failures.isEmpty(); i++) {
      c.sendText("0123456789");
    }
    assertThat(owner.failures)
        .singleElement()
        .isInstanceOf(TransportException.class)
        .asString()
        .contains("stopped reading", "100 bytes");
    assertThat(jdk.aborted).isTrue();
  }

  @Test
  void theOwnerHearsTheEndOnceAndNothingAfterItsOwnCloseOrAbort() {
    open(options().build());
    jdk.listener.onClose(jdk, 1000, "done");
    jdk.listener.onError(jdk, new java.io.IOException("reset"));
    assertThat(owner.closes).containsExactly("1000 done");
    assertThat(owner.terminals()).isEqualTo(1);

    JdkSocket other = new JdkSocket();
    Recorder r = new Recorder();
    WebSocketConnection c =
        WebSocketConnection.create(
            options()
                .connector(
                    (uri, headers, timeout, l) -> {
                      other.listener = l;
                      l.onOpen(other);
                      return CompletableFuture.completedFuture(other);
                    })
                .build(),
            r);
    c.connect();
    c.abort();
    other.listener.onError(other, new java.io.IOException("reset"));
    assertThat(r.terminals()).isZero();
    assertThat(other.aborted).isTrue();
  }

  @Test
  void aPoliteCloseDrainsToTheServersCloseAndThenDropsTheConnection() {
    WebSocketConnection c = open(options().build());
    int before = jdk.requested.get();
    c.close();
    assertThat(jdk.closes).containsExactly(1000);
    jdk.listener.onText(jdk, "late audio", true);
    assertThat(owner.messages).as("dropped while closing").isEmpty();
    assertThat(jdk.requested.get()).as("reads on to the server's Close").isGreaterThan(before);
    jdk.listener.onClose(jdk, 1000, "");
    assertThat(jdk.aborted).isTrue();
    assertThat(owner.terminals()).isZero();
  }

  @Test
  void aFailureBeforeTheServersFirstMessageSaysTheRequestMayHaveBeenRefused() {
    open(options().build());
    jdk.listener.onError(jdk, new java.io.IOException("Broken pipe"));
    assertThat(owner.failures)
        .singleElement()
        .isInstanceOf(TransportException.class)
        .asString()
        .contains("127.0.0.1:7", "before the server's first message", "Broken pipe");
    assertThat(owner.failures.get(0).isRetryable()).isTrue();
  }

  @Test
  void aRefusedHeaderIsAConfigurationErrorThatDoesNotQuoteIt() {
    WebSocketConnection c =
        WebSocketConnection.create(
            options()
                .connector(
                    (uri, headers, timeout, l) -> {
                      throw new IllegalArgumentException(
                          "invalid header value: " + headers.get("Authorization"));
                    })
                .build(),
            owner);
    c.connect();
    assertThat(owner.failures)
        .singleElement()
        .isInstanceOf(ConfigurationException.class)
        .asString()
        .doesNotContain(KEY)
        .contains("a header value was refused");
  }

  @Test
  void plainTextToAHostThatIsNotLoopbackIsRefusedBeforeConnecting() {
    AtomicInteger connects = new AtomicInteger();
    WebSocketConnection c =
        WebSocketConnection.create(
            WebSocketConnection.Options.builder(
                    "vendor", URI.create("ws://10.1.2.3:7/live"), HttpClient.newHttpClient())
                .connector(
                    (uri, headers, timeout, l) -> {
                      connects.incrementAndGet();
                      return new CompletableFuture<>();
                    })
                .build(),
            owner);
    c.connect();
    assertThat(connects.get()).isZero();
    assertThat(owner.failures).singleElement().isInstanceOf(ConfigurationException.class);
  }

  @Test
  void anAbortWhileTheHandshakeRunsCancelsIt() {
    CompletableFuture<WebSocket> handshake = new CompletableFuture<>();
    WebSocketConnection c =
        WebSocketConnection.create(
            options().connector((uri, headers, timeout, l) -> handshake).build(), owner);
    c.connect();
    c.abort();
    assertThat(handshake).isCancelled();
    assertThat(owner.terminals()).isZero();
  }

  @Test
  void aSilentServerIsPingedAndAConnectionThatNeverAnswersFails() {
    jdk.completeSends = true;
    open(options().pingAfter(Duration.ofMillis(50)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> jdk.pings.get() > 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> !owner.failures.isEmpty());
    assertThat(owner.failures)
        .singleElement()
        .isInstanceOf(TransportException.class)
        .asString()
        .contains("stopped answering");
    assertThat(jdk.aborted).isTrue();
  }

  @Test
  void aServerThatAnswersPingsIsAlive() {
    jdk.answerPings = true;
    WebSocketConnection c = open(options().pingAfter(Duration.ofMillis(50)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> jdk.pings.get() > 3);
    assertThat(owner.failures).isEmpty();
    assertThat(c.isOpen()).isTrue();
    c.abort();
  }

  @Test
  void anUpgradeAnsweredWithAnHtmlPageIsAProtocolErrorQuotingIt() {
    java.net.http.HttpHeaders headers =
        java.net.http.HttpHeaders.of(
            java.util.Map.of("content-type", List.of("text/html")), (a, b) -> true);
    java.net.http.HttpResponse<String> page =
        new java.net.http.HttpResponse<>() {
          public int statusCode() {
            return 200;
          }

          public java.net.http.HttpRequest request() {
            return null;
          }

          public java.util.Optional<java.net.http.HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
          }

          public java.net.http.HttpHeaders headers() {
            return headers;
          }

          public String body() {
            return "<html>Please sign in to the Wi-Fi</html>";
          }

          public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
          }

          public URI uri() {
            return URI.create("ws://127.0.0.1:7/live");
          }

          public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
          }
        };
    WebSocketConnection c =
        WebSocketConnection.create(
            options()
                .connector(
                    (uri, h, timeout, l) ->
                        CompletableFuture.failedFuture(
                            new java.net.http.WebSocketHandshakeException(page)))
                .build(),
            owner);
    c.connect();
    assertThat(owner.failures)
        .singleElement()
        .isInstanceOf(ProtocolException.class)
        .asString()
        .contains("HTTP 200 text/html", "sign in to the Wi-Fi");
  }
}
