package dev.voicebridge.smallest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.spi.ProviderContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SSE edge cases the emulator does not produce (error bodies such as 410, framing variants), from a
 * scripted JDK HTTP server on loopback.
 */
class SmallestSseStubTest {
  private static final String SECRET = "sk_stub_secret";
  private HttpServer server;
  private ExecutorService executor;
  private StreamingSynthesizer synth;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> auth = new CopyOnWriteArrayList<>();

  private void start(Consumer<HttpExchange> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "smallest-sse-stub"));
    server.setExecutor(executor);
    server.createContext(
        "/waves/v1/tts/live",
        ex -> {
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          auth.add(ex.getRequestHeaders().getFirst("Authorization"));
          script.accept(ex);
          ex.close();
        });
    server.start();
    synth =
        new SmallestProvider()
            .create(
                ProviderContext.of(
                    "smallest",
                    VoicebridgeConfig.of(
                        Map.of(
                            "voicebridge.smallest.api-key",
                            SECRET,
                            "voicebridge.smallest.base-url",
                            "http://127.0.0.1:" + server.getAddress().getPort(),
                            "voicebridge.smallest.transport",
                            "sse",
                            "voicebridge.smallest.response-timeout",
                            "3s"))));
  }

  @AfterEach
  void stop() {
    if (synth != null) {
      synth.close();
    }
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private static void respond(
      HttpExchange ex, int status, Map<String, String> headers, String body) {
    try {
      headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
      if (b.length > 0) {
        ex.getResponseBody().write(b);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes the pieces as separate network chunks. */
  private static void stream(HttpExchange ex, String... pieces) {
    try {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      for (String p : pieces) {
        out.write(p.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private RecordingSubscriber run(String text) throws InterruptedException {
    SynthesisSession s =
        synth.open(
            SynthesisOptions.builder().format(AudioFormat.pcm(16000)).voice("avery").build());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText(text);
    s.finish();
    assertThat(rec.awaitTerminal(Duration.ofSeconds(10))).isTrue();
    return rec;
  }

  private static String b64(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Base64.getEncoder().encodeToString(b);
  }

  @Test
  void framingVariantsAndTheRequestOnTheWire() throws Exception {
    start(
        ex ->
            stream(
                ex,
                ": comment\r\n",
                "event: audio\r\ndata: {\"audio\": \"" + b64(1, 2, 3) + "\",",
                "\r\ndata: \"done\": false, \"status\": \"206\"}\r",
                "\n\r\n",
                "data: {\"audio\":\"" + b64(4) + "\"}\n\n",
                "data: {\"status\": \"200\", \"done\": true}\n\n"));
    RecordingSubscriber rec = run("Hello.");
    assertThat(rec.error()).isNull();
    assertThat(rec.audio()).containsExactly(1, 2, 3, 4);
    assertThat(bodies)
        .containsExactly(
            "{\"voice_id\":\"avery\",\"text\":\"Hello.\",\"model\":\"lightning_v3.1\","
                + "\"sample_rate\":16000,\"output_format\":\"pcm\"}");
    assertThat(auth).containsExactly("Bearer " + SECRET);
  }

  @Test
  void aStreamWithoutDoneIsATransportError() throws Exception {
    start(ex -> stream(ex, "data: {\"audio\":\"" + b64(1, 2) + "\"}\n\n"));
    RecordingSubscriber rec = run("Hello.");
    assertThat(rec.error()).isInstanceOf(TransportException.class).hasMessageContaining("done");
    assertThat(rec.audio()).containsExactly(1, 2);
  }

  @Test
  void retiredModelNamesTheRecommendedEndpoint() throws Exception {
    start(
        ex ->
            respond(
                ex,
                410,
                Map.of("Content-Type", "application/json"),
                "{\"status\":\"error\",\"error_code\":\"MODEL_DEPRECATED\",\"message\":\"This"
                    + " model is retired. Please migrate to lightning-v3.1.\","
                    + "\"recommended_endpoint\":\"/waves/v1/lightning-v3.1/get_speech\"}"));
    RecordingSubscriber rec = run("Hello.");
    assertThat(rec.error())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("410")
        .hasMessageContaining("MODEL_DEPRECATED")
        .hasMessageContaining("/waves/v1/lightning-v3.1/get_speech");
    assertThat(rec.error().getMessage()).doesNotContain(SECRET);
  }

  @Test
  void badRequestCarriesTheVendorMessage() throws Exception {
    start(
        ex ->
            respond(
                ex,
                400,
                Map.of(),
                "{\"error\":\"InvalidRequest\",\"message\":\"The 'text' field is required.\"}"));
    RecordingSubscriber rec = run("Hello.");
    assertThat(rec.error())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("The 'text' field is required.");
    assertThat(((InvalidRequestException) rec.error()).vendorCode()).isEqualTo("InvalidRequest");
  }

  @Test
  void tooManyRequestsWithRetryAfter() throws Exception {
    start(
        ex ->
            respond(
                ex,
                429,
                Map.of("Retry-After", "4"),
                "{\"error\":\"TooManyRequests\",\"message\":\"slow down\"}"));
    RecordingSubscriber rec = run("Hello.");
    assertThat(rec.error()).isInstanceOf(RateLimitedException.class);
    assertThat(((RateLimitedException) rec.error()).retryAfter()).contains(Duration.ofSeconds(4));
  }

  @Test
  void badGatewayWithAnHtmlBody() throws Exception {
    start(ex -> respond(ex, 502, Map.of(), "<html>Bad Gateway</html>"));
    RecordingSubscriber rec = run("Hello.");
    assertThat(rec.error())
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("502")
        .hasMessageContaining("Bad Gateway");
  }

  @Test
  void anEndlessErrorBodyIsReadOnlyUpToTheBoundAndEndsTheSession() throws Exception {
    AtomicLong written = new AtomicLong();
    CountDownLatch hungUp = new CountDownLatch(1);
    start(
        ex -> {
          try {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(500, 0); // chunked, never ends
            OutputStream out = ex.getResponseBody();
            out.write(
                "{\"message\":\"endless error page\",\"padding\":\""
                    .getBytes(StandardCharsets.UTF_8));
            byte[] padding = new byte[8192];
            Arrays.fill(padding, (byte) 'x');
            while (written.get() < (256L << 20)) { // the test fails long before this
              out.write(padding);
              out.flush();
              written.addAndGet(padding.length);
            }
          } catch (IOException e) {
            hungUp.countDown(); // the client hung up: expected
          }
        });
    RecordingSubscriber rec = run("Hello.");
    assertThat(rec.error())
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("500")
        .hasMessageContaining("endless error page")
        .hasMessageNotContaining(SECRET);
    // the client hung up: the server's writes fail soon after the bound
    assertThat(hungUp.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(written.get()).isLessThan(64L << 20);
  }

  @Test
  void anErrorEventInsideTheStream() throws Exception {
    start(
        ex ->
            stream(
                ex,
                "data: {\"audio\":\"" + b64(1, 2) + "\"}\n\n",
                "data: {\"status\":\"error\",\"message\":\"synthesis failed\"}\n\n"));
    RecordingSubscriber rec = run("Hello.");
    assertThat(rec.error())
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("synthesis failed");
  }
}
