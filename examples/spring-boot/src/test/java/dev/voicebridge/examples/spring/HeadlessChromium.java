package dev.voicebridge.examples.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven through the DevTools protocol over {@code java.net.http}'s
 * WebSocket: opens a page and evaluates JavaScript in it, awaiting promises. Bound to loopback; the
 * profile is a fresh directory; {@link #close()} ends the process.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final Pattern WS_URL =
      Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/devtools/page/[^\"]+)\"");

  private final Process process;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  static Path find() {
    for (String c :
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(c))) {
        return Path.of(c);
      }
    }
    return null;
  }

  /** Starts Chromium on {@code url}, with a fresh profile in {@code profile}. */
  static HeadlessChromium open(Path chromium, Path profile, String url) throws Exception {
    Process p =
        new ProcessBuilder(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--mute-audio",
                "--autoplay-policy=no-user-gesture-required",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                url)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling("chromium.log").toFile())
            .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String port = null;
      while (port == null) {
        if (Files.exists(portFile)) {
          List<String> lines = Files.readAllLines(portFile, StandardCharsets.UTF_8);
          if (!lines.isEmpty() && !lines.get(0).isBlank()) {
            port = lines.get(0).trim();
            break;
          }
        }
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("chromium did not open its DevTools port");
        }
        p.waitFor(50, TimeUnit.MILLISECONDS); // waits on the process, not on time
      }
      HttpClient http = HttpClient.newHttpClient();
      String page = null;
      while (page == null) {
        String list =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = WS_URL.matcher(list);
        if (m.find()) {
          page = m.group(1);
        } else if (System.nanoTime() > deadline) {
          throw new IOException("chromium has no page target: " + list);
        } else {
          p.waitFor(50, TimeUnit.MILLISECONDS);
        }
      }
      HeadlessChromium[] self = new HeadlessChromium[1];
      StringBuilder partial = new StringBuilder();
      WebSocket ws =
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create(page),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(
                        WebSocket webSocket, CharSequence data, boolean last) {
                      partial.append(data);
                      if (last) {
                        String msg = partial.toString();
                        partial.setLength(0);
                        Matcher id = Pattern.compile("^\\{\"id\":(\\d+),").matcher(msg);
                        if (id.find() && self[0] != null) {
                          CompletableFuture<String> f =
                              self[0].pending.remove(Integer.parseInt(id.group(1)));
                          if (f != null) {
                            f.complete(msg);
                          }
                        }
                      }
                      webSocket.request(1);
                      return null;
                    }
                  })
              .get(30, TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(p, ws);
      return self[0];
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /**
   * Evaluates {@code expression} in the page, awaiting a promise, and returns the protocol's JSON
   * answer (the value under {@code result.result.value}).
   */
  String evaluate(String expression, Duration timeout) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<String> answer = new CompletableFuture<>();
    pending.put(id, answer);
    String msg =
        "{\"id\":"
            + id
            + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
            + quote(expression)
            + ",\"awaitPromise\":true,\"returnByValue\":true}}";
    socket.sendText(msg, true).get(10, TimeUnit.SECONDS);
    return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
