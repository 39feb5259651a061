package dev.voicebridge.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.VoicebridgeException;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * The exchange against an HTTP client the test plays by hand: it takes the body handler {@code
 * sendAsync} was given and drives the body subscriber as the JDK would.
 */
class HttpExchangeTest {

  /** A client that only records the body handler of its one request. */
  static final class ScriptedClient extends HttpClient {
    volatile HttpResponse.BodyHandler<?> handler;
    final CompletableFuture<HttpResponse<byte[]>> response = new CompletableFuture<>();

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, HttpResponse.BodyHandler<T> h) {
      handler = h;
      return (CompletableFuture<HttpResponse<T>>) (CompletableFuture<?>) response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request,
        HttpResponse.BodyHandler<T> h,
        HttpResponse.PushPromiseHandler<T> push) {
      return sendAsync(request, h);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> h)
        throws IOException {
      throw new IOException("not scripted");
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      return null;
    }

    @Override
    public SSLParameters sslParameters() {
      return null;
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }

  /** What the exchange tells its handler; asks for the body chunk by chunk. */
  static final class Recorder implements HttpExchange.Handler {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onResponse(HttpExchange exchange, int status, HttpHeaders headers) {
      events.add("response " + status);
      exchange.request();
    }

    @Override
    public void onBody(HttpExchange exchange, ByteBuffer chunk) {
      events.add("body " + chunk.remaining());
      exchange.request();
    }

    @Override
    public void onComplete(HttpExchange exchange) {
      events.add("complete");
    }

    @Override
    public void onFailure(HttpExchange exchange, VoicebridgeException error) {
      events.add("failure " + error.getMessage());
    }
  }

  /** A subscription that counts what the subscriber asked for. */
  static final class Subscription implements Flow.Subscription {
    long requested;
    boolean cancelled;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  final ScriptedClient client = new ScriptedClient();
  final Recorder handler = new Recorder();

  static HttpExchange send(HttpClient c, HttpExchange.Handler h) {
    return HttpExchange.send(
        new HttpExchange.Options(
            "vendor",
            c,
            (status, headers, body) -> new VoicebridgeException("vendor", "HTTP " + status),
            HttpExchange::isAudio,
            false,
            Duration.ofSeconds(1)),
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:7/tts")).build(),
        h);
  }

  static HttpResponse.ResponseInfo info(int status, String contentType) {
    HttpHeaders headers =
        HttpHeaders.of(Map.of("content-type", List.of(contentType)), (k, v) -> true);
    return new HttpResponse.ResponseInfo() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public HttpHeaders headers() {
        return headers;
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
  }

  @Test
  void theBodysFutureCompletesAtTheEndOfTheBodyNotAtItsStart() {
    send(client, handler);
    HttpResponse.BodySubscriber<?> body = client.handler.apply(info(200, "audio/pcm"));
    Subscription s = new Subscription();
    body.onSubscribe(s);
    // completing it here would let the JDK start a thread for the response while the body streams
    assertThat(body.getBody().toCompletableFuture()).isNotDone();
    assertThat(s.requested).isEqualTo(1);

    body.onNext(List.of(ByteBuffer.allocate(4800)));
    body.onNext(List.of(ByteBuffer.allocate(4800), ByteBuffer.allocate(100)));
    assertThat(body.getBody().toCompletableFuture()).isNotDone();
    assertThat(s.requested).as("one request per delivery").isEqualTo(3);

    body.onComplete();
    assertThat(body.getBody().toCompletableFuture()).isCompleted();
    assertThat(handler.events)
        .containsExactly("response 200", "body 4800", "body 4800", "body 100", "complete");
  }

  @Test
  void theBodysFutureCompletesWhenTheBodyBreaksOffOrIsDropped() {
    send(client, handler);
    HttpResponse.BodySubscriber<?> broken = client.handler.apply(info(200, "audio/pcm"));
    broken.onSubscribe(new Subscription());
    broken.onError(new IOException("connection reset"));
    assertThat(broken.getBody().toCompletableFuture()).isCompleted();
    assertThat(handler.events).last().asString().startsWith("failure ").contains("broke off");

    ScriptedClient other = new ScriptedClient();
    HttpExchange cancelled = send(other, new Recorder());
    HttpResponse.BodySubscriber<?> body = other.handler.apply(info(200, "audio/pcm"));
    cancelled.cancel();
    Subscription s = new Subscription();
    body.onSubscribe(s);
    assertThat(s.cancelled).isTrue();
    assertThat(body.getBody().toCompletableFuture()).isCompleted();
  }
}
