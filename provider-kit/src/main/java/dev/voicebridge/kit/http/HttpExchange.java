package dev.voicebridge.kit.http;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.kit.Endpoints;
import dev.voicebridge.kit.Failures;
import dev.voicebridge.kit.HttpErrorMapper;
import dev.voicebridge.kit.HttpErrors;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Predicate;

/**
 * One streaming HTTP request over {@code java.net.http}, hardened once for every vendor:
 *
 * <ul>
 *   <li>the body of a success is handed to the {@link Handler} as soon as the headers arrive, chunk
 *       by chunk, one chunk at a time on demand ({@link #request()}): a slow application slows the
 *       connection;
 *   <li>an error status reads at most {@link HttpErrors#MAX_ERROR_BODY} bytes of its body and is
 *       mapped by the vendor's {@link HttpErrorMapper} once the JDK has finished the exchange
 *       (mapping it earlier would end the session before the JDK saw whether the server closed the
 *       connection, and the next request could go out on that dead pooled connection);
 *   <li>a success whose {@code Content-Type} is not what the vendor sends for audio (an HTML page
 *       from a captive portal or a misrouted proxy) is a {@link ProtocolException} quoting the
 *       start of the body, never audio;
 *   <li>{@link #cancel()} aborts the exchange, also while it still waits for the response headers;
 *   <li>a pooled connection found dead before the request went out (the JDK's {@code
 *       ConnectionExpiredException}) is retried once on a new connection; nothing else is retried
 *       (a request that may have reached the vendor is never sent twice);
 *   <li>failures are worded by {@link Failures} and name the host.
 * </ul>
 *
 * <p>The handler hears exactly one terminal event ({@link Handler#onComplete} or {@link
 * Handler#onFailure}), and none after {@link #cancel()}. Its methods are called one at a time, on
 * the client's threads, and must not block.
 */
public final class HttpExchange {
  /** What an exchange reports. */
  public interface Handler {
    /**
     * A success's status and headers; the body follows once {@link #request()} asks for it.
     *
     * @param exchange the exchange
     * @param status a 2xx status
     * @param headers the response headers
     */
    void onResponse(HttpExchange exchange, int status, HttpHeaders headers);

    /**
     * A chunk of the body, valid only during the call; call {@link #request()} for more.
     *
     * @param exchange the exchange
     * @param chunk the audio chunk
     */
    void onBody(HttpExchange exchange, ByteBuffer chunk);

    /**
     * The body ended (a terminal event).
     *
     * @param exchange the exchange
     */
    void onComplete(HttpExchange exchange);

    /**
     * The request failed, was refused, or its body broke off (a terminal event).
     *
     * @param exchange the exchange
     * @param error the error
     */
    void onFailure(HttpExchange exchange, VoicebridgeException error);
  }

  /**
   * The settings of the exchanges of one session.
   *
   * @param provider the provider's name
   * @param client the HTTP client
   * @param errors how an error response is read
   * @param contentType which {@code Content-Type} values are accepted as audio
   * @param allowInsecure whether a plain-text ({@code http}/{@code ws}) base URL is allowed
   * @param connectTimeout the connect timeout
   */
  public record Options(
      String provider,
      HttpClient client,
      HttpErrorMapper errors,
      Predicate<String> contentType,
      boolean allowInsecure,
      Duration connectTimeout) {
    /**
     * Compact constructor: checks nulls.
     *
     * @param provider the provider's name
     * @param client the HTTP client
     * @param errors how an error response is read
     * @param contentType which {@code Content-Type} values are accepted as audio
     * @param allowInsecure whether a plain-text ({@code http}/{@code ws}) base URL is allowed
     * @param connectTimeout the connect timeout
     */
    public Options {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(errors, "errors");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
    }
  }

  /**
   * {@return whether a {@code Content-Type} can carry audio: anything but text and HTML pages
   * (vendors label audio variously: {@code audio/*}, {@code application/octet-stream}, none at
   * all)}
   *
   * @param contentType the content type
   */
  public static boolean isAudio(String contentType) {
    String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
    return !(t.startsWith("text/") || t.contains("html") || t.startsWith("application/json"));
  }

  private final Options options;
  private final HttpRequest request;
  private final Handler handler;
  private final URI uri;

  // guarded by this
  private CompletableFuture<?> call;
  private Flow.Subscription subscription;
  private boolean ended;
  private boolean retried;
  private boolean bodyStarted;

  private HttpExchange(Options options, HttpRequest request, Handler handler) {
    this.options = options;
    this.request = request;
    this.handler = handler;
    this.uri = request.uri();
  }

  /**
   * Sends {@code request} (it should carry a timeout: a connect plus response timeout) and reports
   * to {@code handler}. Never throws: failures reach the handler, possibly on this thread.
   *
   * @param options the options
   * @param request the request
   * @param handler the handler
   * @return the exchange, to cancel it
   */
  public static HttpExchange send(Options options, HttpRequest request, Handler handler) {
    HttpExchange e =
        new HttpExchange(
            Objects.requireNonNull(options, "options"),
            Objects.requireNonNull(request, "request"),
            Objects.requireNonNull(handler, "handler"));
    e.start();
    return e;
  }

  /**
   * Sends {@code request} and collects the whole body of its success, for a small answer read at
   * once (a vendor's JSON catalog) rather than streamed. Everything {@link #send} guarantees holds:
   * an error status is mapped by the vendor's mapper, a success whose {@code Content-Type} {@code
   * options} refuses is a {@link ProtocolException}, a dead pooled connection is retried once.
   *
   * @param maxBytes the largest body accepted; a larger one fails with a {@link ProtocolException}
   *     as soon as it passes the limit (the rest is not read)
   * @param options the options
   * @param request the request
   * @return the body; fails with the exchange's {@link VoicebridgeException}; cancelling it aborts
   *     the exchange
   */
  public static CompletableFuture<byte[]> fetch(
      Options options, HttpRequest request, int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative");
    }
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    HttpExchange exchange =
        send(
            options,
            request,
            new Handler() {
              private final ByteArrayOutputStream body = new ByteArrayOutputStream();

              @Override
              public void onResponse(HttpExchange e, int status, HttpHeaders headers) {
                e.request();
              }

              @Override
              public void onBody(HttpExchange e, ByteBuffer chunk) {
                if (body.size() + (long) chunk.remaining() > maxBytes) {
                  throw new ProtocolException(
                      options.provider(),
                      "the answer from "
                          + Failures.target(e.uri())
                          + " is larger than "
                          + maxBytes
                          + " bytes");
                }
                byte[] part = new byte[chunk.remaining()];
                chunk.get(part);
                body.writeBytes(part);
                e.request();
              }

              @Override
              public void onComplete(HttpExchange e) {
                result.complete(body.toByteArray());
              }

              @Override
              public void onFailure(HttpExchange e, VoicebridgeException error) {
                result.completeExceptionally(error);
              }
            });
    result.whenComplete(
        (b, t) -> {
          if (result.isCancelled()) {
            exchange.cancel();
          }
        });
    return result;
  }

  /** {@return the URI requested} */
  public URI uri() {
    return uri;
  }

  private void start() {
    String insecure = Endpoints.plainTextProblem(uri, options.allowInsecure());
    if (insecure != null) {
      end(new ConfigurationException(options.provider(), insecure));
      return;
    }
    CompletableFuture<HttpResponse<byte[]>> f;
    try {
      f = options.client().sendAsync(request, this::bodyFor);
    } catch (IllegalArgumentException e) {
      end(
          new ConfigurationException(
              options.provider(),
              "a header value was refused by the HTTP client for "
                  + Failures.target(uri)
                  + " (only visible ASCII is allowed)"));
      return;
    } catch (RuntimeException e) {
      end(Failures.connecting(options.provider(), uri, e, options.connectTimeout(), null));
      return;
    }
    synchronized (this) {
      if (ended) {
        f.cancel(true); // cancelled while it was being sent
        return;
      }
      call = f;
    }
    f.whenComplete(this::finished);
  }

  /** Picks the subscriber for the response once its status and headers are in. */
  private HttpResponse.BodySubscriber<byte[]> bodyFor(HttpResponse.ResponseInfo info) {
    int status = info.statusCode();
    if (status / 100 != 2) {
      return new CappedBody(HttpErrors.MAX_ERROR_BODY, true);
    }
    String type = info.headers().firstValue("content-type").orElse("");
    Predicate<String> ok = options.contentType();
    if (ok != null && !ok.test(type)) {
      return new CappedBody(512, true); // for the message: what came instead of audio
    }
    synchronized (this) {
      if (ended) {
        return HttpResponse.BodySubscribers.replacing(null);
      }
      bodyStarted = true;
    }
    handler.onResponse(this, status, info.headers());
    return new Reader();
  }

  /** The JDK finished the exchange: the response (its body read or being read) or a failure. */
  private void finished(HttpResponse<byte[]> response, Throwable error) {
    synchronized (this) {
      call = null;
      if (ended) {
        return; // cancelled or failed already: a CancellationException is ours
      }
    }
    if (error != null) {
      if (retriable(error)) {
        start();
        return;
      }
      boolean started;
      synchronized (this) {
        started = bodyStarted;
      }
      end(
          started
              ? Failures.broken(options.provider(), uri, error)
              : Failures.connecting(
                  options.provider(), uri, error, options.connectTimeout(), null));
      return;
    }
    int status = response.statusCode();
    byte[] body = response.body();
    if (status / 100 != 2) {
      end(options.errors().map(status, response.headers(), body == null ? new byte[0] : body));
    } else if (body != null) {
      // the content type was not audio: the body holds what came instead
      String type = response.headers().firstValue("content-type").orElse("(none)");
      end(
          new ProtocolException(
              options.provider(),
              "HTTP "
                  + status
                  + " from "
                  + Failures.target(uri)
                  + " is "
                  + type
                  + ", not audio: "
                  + HttpErrors.quote(new String(body, StandardCharsets.UTF_8))));
    }
    // a success with audio: the Reader drives the rest
  }

  /**
   * The JDK's ConnectionExpiredException: a pooled connection was found closed before the request
   * was written, so the request never left. Retried once.
   */
  private boolean retriable(Throwable error) {
    for (Throwable t = Failures.unwrap(error); t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("ConnectionExpiredException")) {
        synchronized (this) {
          if (retried || bodyStarted) {
            return false;
          }
          retried = true;
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * Asks for the next chunk of the body. Asked for while chunks are being handed over (one read may
   * bring several), or before the body has started, it takes effect once that is over.
   */
  public void request() {
    Flow.Subscription s;
    synchronized (this) {
      if (ended) {
        return;
      }
      if (delivering || subscription == null) {
        wanted = true;
        return;
      }
      s = subscription;
    }
    s.request(1);
  }

  private boolean delivering; // this: inside onNext
  private boolean wanted; // this: a request() to pass on once onNext (or onSubscribe) is done

  /**
   * The handler has what it needs (the vendor's end-of-stream event came before the body's end):
   * the rest of the body is read and dropped so the connection can serve another request, and the
   * handler hears nothing more.
   */
  public void drain() {
    Flow.Subscription s;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      s = subscription;
      subscription = null;
      call = null;
    }
    if (s != null) {
      s.request(Long.MAX_VALUE);
    }
  }

  /** Aborts the exchange (also one still waiting for its headers); the handler hears nothing. */
  public void cancel() {
    Flow.Subscription s;
    CompletableFuture<?> c;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      s = subscription;
      c = call;
      subscription = null;
      call = null;
    }
    abort(s, c);
  }

  private static void abort(Flow.Subscription s, CompletableFuture<?> c) {
    if (s != null) {
      s.cancel();
    }
    if (c != null) {
      c.cancel(true); // since JDK 16 this aborts the exchange, headers or not
    }
  }

  private void end(VoicebridgeException error) {
    Flow.Subscription s;
    CompletableFuture<?> c;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      s = subscription;
      c = call;
      subscription = null;
      call = null;
    }
    handler.onFailure(this, error);
    abort(s, c);
  }

  private void completed() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      subscription = null;
    }
    handler.onComplete(this);
  }

  private synchronized boolean isEnded() {
    return ended;
  }

  /** Streams a success's body to the handler; its own body is null. */
  private final class Reader implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();

    /**
     * Completes once the body has ended (or is dropped), not when it starts: a client with an
     * executor of its own completes the future sendAsync returns through CompletableFuture's
     * default executor, which on fewer than three cores starts a new thread for it, and a thread
     * started while the body streams competes with it for the CPU (every later chunk waited for
     * it). The body's end and failures come to this subscriber, never through that future.
     */
    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      boolean cancel;
      boolean go;
      synchronized (HttpExchange.this) {
        cancel = ended;
        go = wanted;
        wanted = false;
        if (!cancel) {
          subscription = s;
        }
      }
      if (cancel) {
        s.cancel();
        body.complete(null);
      } else if (go) {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      synchronized (HttpExchange.this) {
        delivering = true;
      }
      try {
        for (ByteBuffer b : items) {
          if (isEnded()) {
            return;
          }
          if (b.hasRemaining()) {
            try {
              handler.onBody(HttpExchange.this, b);
            } catch (VoicebridgeException e) {
              end(e);
              return;
            } catch (RuntimeException e) {
              end(
                  new ProtocolException(
                      options.provider(), "an undecodable response body: " + e, e));
              return;
            }
          }
        }
      } finally {
        Flow.Subscription next = null;
        synchronized (HttpExchange.this) {
          delivering = false;
          if (wanted && !ended) {
            next = subscription;
          }
          wanted = false;
        }
        if (next != null) {
          next.request(1);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      body.complete(null);
      end(
          new TransportException(
              options.provider(),
              "the response from "
                  + Failures.target(uri)
                  + " broke off ("
                  + Failures.describe(t)
                  + ")",
              Failures.unwrap(t)));
    }

    @Override
    public void onComplete() {
      body.complete(null);
      completed();
    }
  }
}
