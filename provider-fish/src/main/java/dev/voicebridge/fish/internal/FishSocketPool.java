package dev.voicebridge.fish.internal;

import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle {@code /v1/tts/live} sockets, per model (the {@code model} header is fixed at handshake
 * time; the API key is fixed per synthesizer). A socket returns here after a {@code finish{stop}}
 * and serves the next session of the same model; a socket the server closes leaves at once.
 */
final class FishSocketPool {
  private volatile HttpClient client; // dropped on close so the JDK can stop its threads
  private final FishSettings settings;
  private final URI uri;
  private final Duration probeAfter;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, ArrayDeque<FishSocket>> idle = new HashMap<>();
  private final Set<FishSocket> all = ConcurrentHashMap.newKeySet();
  private boolean closed;

  /** A socket handed to a session. */
  record Lease(FishSocket socket, boolean reused) {}

  FishSocketPool(HttpClient client, FishSettings settings) {
    this.client = client;
    this.settings = settings;
    this.uri = settings.ws("/v1/tts/live");
    // a quarter of the response timeout, so a dead socket is found well before it
    long quarter = settings.responseTimeout().toMillis() / 4;
    this.probeAfter = Duration.ofMillis(Math.max(250, Math.min(15_000, quarter)));
  }

  /** An idle open socket for {@code model}, or a new one. */
  CompletableFuture<Lease> acquire(String model) {
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new TransportException(FishCodec.PROVIDER, "the synthesizer is closed"));
      }
      ArrayDeque<FishSocket> q = idle.get(model);
      while (q != null && !q.isEmpty()) {
        FishSocket s = q.pollLast();
        if (s.usable()) {
          return CompletableFuture.completedFuture(new Lease(s, true));
        }
      }
    }
    return connect(model).thenApply(s -> new Lease(s, false));
  }

  /** A new socket for {@code model}. */
  CompletableFuture<FishSocket> connect(String model) {
    FishSocket socket =
        new FishSocket(ids.incrementAndGet(), model, settings.maxFrameBytes(), probeAfter, this);
    CompletableFuture<FishSocket> result = new CompletableFuture<>();
    HttpClient c = client;
    if (c == null) {
      return CompletableFuture.failedFuture(
          new TransportException(FishCodec.PROVIDER, "the synthesizer is closed"));
    }
    try {
      c.newWebSocketBuilder()
          .connectTimeout(settings.connectTimeout())
          .header("Authorization", "Bearer " + settings.apiKey().reveal())
          .header("model", model)
          .buildAsync(uri, socket)
          .whenComplete(
              (ws, error) -> {
                if (error != null) {
                  result.completeExceptionally(connectFailure(error));
                  return;
                }
                boolean keep;
                synchronized (this) {
                  keep = !closed;
                  if (keep) {
                    all.add(socket);
                  }
                }
                if (!keep) {
                  socket.discard();
                  result.completeExceptionally(
                      new TransportException(FishCodec.PROVIDER, "the synthesizer is closed"));
                  return;
                }
                result.complete(socket);
              });
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(
          new TransportException(
              FishCodec.PROVIDER, "cannot open " + uri + ": a header value was refused"));
    }
    return result;
  }

  private VoicebridgeException connectFailure(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof WebSocketHandshakeException h) {
      var response = h.getResponse();
      Object body = response.body();
      byte[] bytes =
          body instanceof byte[] b
              ? b
              : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : new byte[0];
      return FishErrors.forStatus(
          response.statusCode(),
          response.headers(),
          bytes,
          "WebSocket handshake",
          settings.apiKey());
    }
    if (e instanceof HttpTimeoutException) {
      return new SynthesisTimeoutException(
          FishCodec.PROVIDER,
          "connecting to "
              + uri
              + " timed out after "
              + settings.connectTimeout().toMillis()
              + " ms");
    }
    if (e instanceof VoicebridgeException v) {
      return v;
    }
    return new TransportException(FishCodec.PROVIDER, "cannot connect to " + uri + ": " + e, e);
  }

  /** Returns a socket after a clean {@code finish{stop}}: kept for reuse, or closed. */
  void release(FishSocket socket) {
    boolean keep = false;
    synchronized (this) {
      if (!closed && socket.usable()) {
        ArrayDeque<FishSocket> q = idle.computeIfAbsent(socket.model(), m -> new ArrayDeque<>());
        if (q.size() < settings.maxIdleConnections()) {
          q.addLast(socket);
          keep = true;
        }
      }
    }
    if (!keep) {
      socket.close();
    }
  }

  /** Called by a socket that closed or was discarded. */
  void forget(FishSocket socket) {
    synchronized (this) {
      ArrayDeque<FishSocket> q = idle.get(socket.model());
      if (q != null) {
        q.remove(socket);
      }
    }
    all.remove(socket);
  }

  /** Closes every socket, idle or busy. */
  void close() {
    List<FishSocket> sockets;
    synchronized (this) {
      closed = true;
      client = null;
      idle.clear();
      sockets = new ArrayList<>(all);
    }
    for (FishSocket s : sockets) {
      s.discard(); // the executor is about to stop: no close handshake
    }
  }

  /** The API key, to mask it in vendor messages that echo it. */
  Secret secret() {
    return settings.apiKey();
  }

  /** Idle sockets, for tests. */
  synchronized int idleCount() {
    return idle.values().stream().mapToInt(ArrayDeque::size).sum();
  }
}
