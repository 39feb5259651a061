package dev.voicebridge.smallest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.spi.ProviderContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport security guarantees of docs/security.md for Smallest: no plain http/ws to a remote
 * host unless allowed, no redirect that carries the key to another server, values from the options
 * never reach the request line or the headers.
 */
class SmallestSecurityTest {
  private static final String KEY = "sk-canary-53cur1ty";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final List<HttpServer> servers = new ArrayList<>();
  private final List<ExecutorService> executors = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    servers.forEach(s -> s.stop(0));
    for (ExecutorService e : executors) {
      e.shutdownNow();
      assertThat(e.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://example.com",
        "http://api.smallest.ai/",
        "http://10.0.0.7:8080",
        "http://127.0.0.1.example.com"
      })
  void plainHttpToARemoteHostIsRefusedAtCreateNamingTheKey(String url) {
    assertThatThrownBy(() -> create(Map.of("voicebridge.smallest.base-url", url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.smallest.base-url")
        .hasMessageContaining("allow-insecure")
        .hasMessageNotContaining(KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws://example.com", "ftp://example.com", "file:///etc/passwd"})
  void otherSchemesAreRefusedAtCreateNamingTheKey(String url) {
    assertThatThrownBy(() -> create(Map.of("voicebridge.smallest.base-url", url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.smallest.base-url")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void httpsAndExplicitlyAllowedHttpAreAccepted() {
    create(Map.of("voicebridge.smallest.base-url", "https://example.com")).close();
    create(
            Map.of(
                "voicebridge.smallest.base-url", "http://example.com",
                "voicebridge.smallest.allow-insecure", "true"))
        .close();
  }

  /** A 307 to another server: the adapter must not follow it with the key (or at all). */
  @ParameterizedTest
  @ValueSource(strings = {"sse", "websocket"})
  void aRedirectNeverCarriesTheKeyToAnotherServer(String transport) throws Exception {
    List<String> seenByOther = new CopyOnWriteArrayList<>();
    HttpServer other =
        start(
            ex -> {
              seenByOther.add(
                  ex.getRequestMethod()
                      + " "
                      + ex.getRequestURI()
                      + " "
                      + ex.getRequestHeaders().entrySet());
              respond(ex, 200, "data: {\"done\":true}\n\n");
            });
    String location = "http://127.0.0.1:" + other.getAddress().getPort() + "/waves/v1/tts/live";
    HttpServer first =
        start(
            ex -> {
              ex.getResponseHeaders().add("Location", location);
              respond(ex, 307, "");
            });
    try (StreamingSynthesizer s =
        create(
            Map.of(
                "voicebridge.smallest.base-url",
                "http://127.0.0.1:" + first.getAddress().getPort(),
                "voicebridge.smallest.transport",
                transport,
                "voicebridge.smallest.response-timeout",
                "2s"))) {
      RecordingSubscriber rec = run(s, SynthesisOptions.builder().voice("liam").build());
      assertThat(rec.completed()).as("a redirect is not a successful synthesis").isFalse();
      assertThat(rec.error()).isInstanceOf(VoicebridgeException.class);
      assertThat(SmallestSecretsTest.stackTrace(rec.error())).doesNotContain(KEY);
    }
    assertThat(seenByOther).as("requests that reached the redirect target").isEmpty();
  }

  /**
   * Voice ids travel in the JSON body, never in the URL or a header: path segments and line breaks
   * in them change neither the request line nor the headers.
   */
  @ParameterizedTest
  @ValueSource(strings = {"../../admin", "a\r\nX-Injected: yes", "liam?x=1#frag", "%2e%2e%2f"})
  void optionValuesNeverReachTheRequestLineOrHeaders(String voice) throws Exception {
    List<String> paths = new CopyOnWriteArrayList<>();
    List<String> headerNames = new CopyOnWriteArrayList<>();
    HttpServer server =
        start(
            ex -> {
              paths.add(ex.getRequestURI().toString());
              headerNames.addAll(ex.getRequestHeaders().keySet());
              try {
                ex.getRequestBody().readAllBytes();
              } catch (IOException e) {
                // the client went away
              }
              respond(ex, 200, "data: {\"done\":true}\n\n");
            });
    try (StreamingSynthesizer s =
        create(
            Map.of(
                "voicebridge.smallest.base-url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "voicebridge.smallest.transport",
                "sse",
                "voicebridge.smallest.response-timeout",
                "2s"))) {
      SynthesisOptions options =
          SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).voice(voice).build();
      RecordingSubscriber rec;
      try {
        rec = run(s, options);
      } catch (VoicebridgeException refusedBeforeIo) {
        assertThat(paths).isEmpty();
        return;
      }
      assertThat(rec.error() == null || rec.error() instanceof VoicebridgeException).isTrue();
    }
    assertThat(paths).allMatch("/waves/v1/tts/live"::equals);
    assertThat(headerNames).noneMatch(h -> h.equalsIgnoreCase("X-Injected"));
  }

  private static RecordingSubscriber run(StreamingSynthesizer s, SynthesisOptions options)
      throws InterruptedException {
    SynthesisSession session = s.open(options);
    RecordingSubscriber rec = new RecordingSubscriber();
    session.events().subscribe(rec);
    session.sendText("Where does this go?");
    session.finish();
    assertThat(rec.awaitTerminal(TIMEOUT)).isTrue();
    session.close();
    return rec;
  }

  private HttpServer start(Consumer<HttpExchange> script) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor =
        Executors.newFixedThreadPool(2, r -> new Thread(r, "smallest-security-stub"));
    executors.add(executor);
    server.setExecutor(executor);
    server.createContext(
        "/",
        ex -> {
          try {
            script.accept(ex);
          } finally {
            ex.close();
          }
        });
    server.start();
    servers.add(server);
    return server;
  }

  private static void respond(HttpExchange ex, int status, String body) {
    try {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
      if (b.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static StreamingSynthesizer create(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("voicebridge.smallest.api-key", KEY);
    props.putAll(extra);
    return new SmallestProvider()
        .create(ProviderContext.of("smallest", VoicebridgeConfig.of(props)));
  }
}
