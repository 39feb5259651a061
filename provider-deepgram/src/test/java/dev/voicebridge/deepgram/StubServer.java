package dev.voicebridge.deepgram;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ProviderContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted Deepgram stand-in on loopback (the JDK's HTTP server, port chosen by the OS): records
 * every request to {@code /v1/speak} and answers with what the test's script says.
 */
final class StubServer implements AutoCloseable {
  static final String KEY = "dg-stub-canary-93c1";

  /** One request as the server saw it. */
  record Request(
      String method, String query, Map<String, String> headers, String body, int index) {}

  /** What the server answers request {@code index} with. */
  @FunctionalInterface
  interface Script {
    void answer(HttpExchange exchange, Request request) throws Exception;
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger count = new AtomicInteger();

  StubServer(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            4, r -> new Thread(r, "deepgram-stub-" + threads.incrementAndGet()));
    server.setExecutor(executor);
    server.createContext(
        "/v1/speak",
        ex -> {
          try {
            Map<String, String> h = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            Request r =
                new Request(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getRawQuery(),
                    h,
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    count.getAndIncrement());
            requests.add(r);
            script.answer(ex, r);
          } catch (Exception e) {
            // the client went away, or the test ended
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  StreamingSynthesizer synthesizer(String transport, String... more) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("voicebridge.deepgram.api-key", KEY);
    c.put("voicebridge.deepgram.base-url", baseUrl());
    c.put("voicebridge.deepgram.transport", transport);
    c.put("voicebridge.deepgram.response-timeout", "5s");
    for (int i = 0; i + 1 < more.length; i += 2) {
      c.put("voicebridge.deepgram." + more[i], more[i + 1]);
    }
    return new DeepgramProvider().create(ProviderContext.of("deepgram", VoicebridgeConfig.of(c)));
  }

  /** An error: status, headers and a body. */
  static void respond(HttpExchange ex, int status, Map<String, String> headers, String body)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  /** A 200 whose body is {@code chunks}, each its own network write. */
  static void stream(HttpExchange ex, Map<String, String> headers, byte[]... chunks) {
    try {
      headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      for (byte[] c : chunks) {
        out.write(c);
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
