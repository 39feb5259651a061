package dev.voicebridge.cartesia;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.WordTiming;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.spi.ProviderContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SSE and bytes against a scripted JDK HTTP server on loopback. */
class CartesiaHttpStubTest {
  private static final String SECRET = "sk-stub-cartesia-31c7";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the server saw it. */
  record Seen(String path, Map<String, String> headers, JsonNode body) {}

  /** What the server answers to one request. */
  @FunctionalInterface
  interface Script {
    void answer(HttpExchange ex, int index, JsonNode body) throws Exception;
  }

  private HttpServer server;
  private ExecutorService executor;
  private StreamingSynthesizer synth;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private void start(String transport, Map<String, String> more, Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "cartesia-http-stub"));
    server.setExecutor(executor);
    server.createContext(
        "/tts/",
        ex -> {
          try {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            Map<String, String> h = new LinkedHashMap<>();
            for (String name :
                List.of("Authorization", "Cartesia-Version", "Accept", "Content-Type")) {
              h.put(name, ex.getRequestHeaders().getFirst(name));
            }
            int index = seen.size();
            seen.add(new Seen(ex.getRequestURI().toString(), h, body));
            script.answer(ex, index, body);
          } catch (Exception e) {
            // the client went away
          } finally {
            ex.close();
          }
        });
    server.start();
    Map<String, String> c = new LinkedHashMap<>();
    c.put("voicebridge.cartesia.api-key", SECRET);
    c.put("voicebridge.cartesia.base-url", "http://127.0.0.1:" + server.getAddress().getPort());
    c.put("voicebridge.cartesia.transport", transport);
    c.put("voicebridge.cartesia.response-timeout", "5s");
    more.forEach((k, v) -> c.put("voicebridge.cartesia." + k, v));
    synth = new CartesiaProvider().create(ProviderContext.of("cartesia", VoicebridgeConfig.of(c)));
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

  private static void sse(HttpExchange ex, String... events) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (String e : events) {
        out.write(e.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  private static String data(String json) {
    return "data: " + json + "\n\n";
  }

  private static String chunk(byte[] audio) {
    return data(
        "{\"type\":\"chunk\",\"data\":\""
            + Base64.getEncoder().encodeToString(audio)
            + "\",\"done\":false,\"status_code\":206}");
  }

  private static String words(String words, String start, String end) {
    return data(
        "{\"type\":\"timestamps\",\"done\":false,\"status_code\":206,\"word_timestamps\":"
            + "{\"words\":["
            + words
            + "],\"start\":["
            + start
            + "],\"end\":["
            + end
            + "]}}");
  }

  private static final String DONE = data("{\"type\":\"done\",\"done\":true,\"status_code\":206}");

  private static void error(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private RecordingSubscriber run(SynthesisOptions o, String... texts) throws Exception {
    SynthesisSession s = synth.open(o);
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    for (String t : texts) {
      s.sendText(t);
    }
    s.finish();
    assertThat(rec.awaitTerminal(Duration.ofSeconds(10))).isTrue();
    return rec;
  }

  @Test
  void sseSendsOneRequestPerSentenceTwoInFlightAndOffsetsTheirTimings() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    start(
        "sse",
        Map.of(),
        (ex, i, body) -> {
          both.countDown();
          // the first answer waits for the second request: it is only sent if they are pipelined
          assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
          if (body.get("transcript").asText().startsWith("Hello")) {
            sse(
                ex,
                chunk(new byte[48000]),
                words("\"Hello\",\"there.\"", "0,0.5", "0.4,0.9"),
                DONE);
          } else {
            sse(
                ex,
                words("\"How\",\"are\",\"you?\"", "0,0.2,0.4", "0.1,0.3,0.6"),
                chunk(new byte[] {1, 2}),
                DONE);
          }
        });
    RecordingSubscriber rec = run(SynthesisOptions.defaults(), "Hello there. ", "How are you?");
    assertThat(rec.error()).isNull();
    assertThat(seen).hasSize(2);
    assertThat(seen)
        .extracting(x -> x.body().get("transcript").asText())
        .containsExactlyInAnyOrder("Hello there.", "How are you?");
    Seen first = seen.get(0);
    assertThat(first.path()).isEqualTo("/tts/sse");
    assertThat(first.headers())
        .containsEntry("Authorization", "Bearer " + SECRET)
        .containsEntry("Cartesia-Version", "2026-08-14")
        .containsEntry("Accept", "text/event-stream")
        .containsEntry("Content-Type", "application/json");
    assertThat(first.body().get("output_format").toString())
        .isEqualTo("{\"container\":\"raw\",\"encoding\":\"pcm_s16le\",\"sample_rate\":24000}");
    assertThat(first.body().get("add_timestamps").asBoolean()).isTrue();
    assertThat(first.body().has("context_id")).isFalse();
    assertThat(rec.audio()).hasSize(48002);
    assertThat(rec.timings())
        .extracting(WordTiming::word)
        .containsExactly("Hello", "there.", "How", "are", "you?");
    assertThat(rec.timings().get(2).start()).isEqualTo(Duration.ofSeconds(1));
    assertThat(rec.timings().get(4).end()).isEqualTo(Duration.ofMillis(1600));
  }

  @Test
  void anSseErrorEventIsTypedAndAStreamWithoutDoneIsATransportError() throws Exception {
    start(
        "sse",
        Map.of("http-pipeline", "1"),
        (ex, i, body) -> {
          String t = body.get("transcript").asText();
          if (t.startsWith("Limit")) {
            sse(
                ex,
                chunk(new byte[] {1, 1}),
                "event: error\ndata: {\"type\":\"error\",\"done\":true,\"status_code\":429,"
                    + "\"error_code\":\"concurrency_limited\",\"title\":\"Too many concurrent"
                    + " requests\",\"message\":\"Slow down.\",\"request_id\":\"r\"}\n\n");
          } else if (t.startsWith("Frame")) {
            sse(
                ex,
                data(
                    "{\"type\":\"error\",\"done\":true,\"status_code\":400,\"error\":\"Invalid"
                        + " voice\"}"));
          } else {
            sse(ex, chunk(new byte[] {2, 2}));
          }
        });
    RecordingSubscriber limited = run(SynthesisOptions.defaults(), "Limit me.");
    assertThat(limited.error())
        .isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("concurrency_limited")
        .hasMessageContaining("Slow down.");
    assertThat(limited.audio()).containsExactly(1, 1);
    assertThat(run(SynthesisOptions.defaults(), "Frame me.").error())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Invalid voice");
    RecordingSubscriber cut = run(SynthesisOptions.defaults(), "Cut me.");
    assertThat(cut.error())
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("without its done");
    assertThat(cut.audio()).containsExactly(2, 2);
  }

  @Test
  void refusalsReadBothErrorFormatsAndNeverShowTheKey() throws Exception {
    start(
        "sse",
        Map.of(),
        (ex, i, body) ->
            error(
                ex,
                401,
                "application/json",
                "{\"error_code\":\"invalid_api_key\",\"title\":\"Unauthorized\",\"message\":\"Key "
                    + SECRET
                    + " is not valid.\",\"request_id\":\"r\"}"));
    Throwable e = run(SynthesisOptions.defaults(), "Hi.").error();
    assertThat(e)
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("invalid_api_key")
        .hasMessageContaining("Unauthorized: Key");
    assertThat(e.getMessage()).doesNotContain(SECRET);
    stop();
    seen.clear();
    start(
        "bytes",
        Map.of("version", "2024-11-13"),
        (ex, i, body) -> error(ex, 400, "text/plain", "Bad Request: voice not found"));
    Throwable old = run(SynthesisOptions.defaults(), "Hi.").error();
    assertThat(old)
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Bad Request: voice not found");
    assertThat(seen.get(0).headers()).containsEntry("Cartesia-Version", "2024-11-13");
    assertThat(seen.get(0).body().get("voice").toString()).contains("\"mode\":\"id\"");
  }

  @Test
  void bytesStreamsRawAudioConvertsFloatsAndRefusesAPage() throws Exception {
    ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    f.putFloat(0.5f).putFloat(-0.5f);
    start(
        "bytes",
        Map.of(),
        (ex, i, body) -> {
          if (body.get("transcript").asText().startsWith("Page")) {
            error(ex, 200, "text/html", "<html>Sign in to the Wi-Fi</html>");
            return;
          }
          ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(f.array(), 0, 5);
            out.flush();
            out.write(f.array(), 5, 3);
          }
        });
    RecordingSubscriber rec =
        run(
            SynthesisOptions.builder()
                .format(AudioFormat.pcm(16000))
                .set(CartesiaOptions.WIRE_ENCODING, "pcm_f32le")
                .build(),
            "One sentence.");
    assertThat(rec.error()).isNull();
    Seen s = seen.get(0);
    assertThat(s.path()).isEqualTo("/tts/bytes");
    assertThat(s.body().get("output_format").toString())
        .isEqualTo("{\"container\":\"raw\",\"encoding\":\"pcm_f32le\",\"sample_rate\":16000}");
    assertThat(s.body().has("add_timestamps")).isFalse();
    ByteBuffer pcm = ByteBuffer.wrap(rec.audio()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(rec.audio()).hasSize(4);
    assertThat(pcm.getShort()).isEqualTo((short) 16384);
    assertThat(pcm.getShort()).isEqualTo((short) -16383); // -16383.5 rounds up
    assertThat(run(SynthesisOptions.defaults(), "Page please.").error())
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void oneRequestPerFlushWhenAsked() throws Exception {
    start(
        "bytes",
        Map.of(),
        (ex, i, body) -> {
          ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
          ex.sendResponseHeaders(200, 0);
          byte b = (byte) (body.get("transcript").asText().startsWith("First") ? 0 : 1);
          ex.getResponseBody().write(new byte[] {b, b});
        });
    SynthesisSession s =
        synth.open(
            SynthesisOptions.builder()
                .set(CartesiaOptions.HTTP_REQUEST_UNIT, CartesiaOptions.PER_FLUSH)
                .build());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText("First. Second. ");
    s.flush();
    s.sendText("Third.");
    s.finish();
    assertThat(rec.awaitTerminal(Duration.ofSeconds(10))).isTrue();
    assertThat(rec.error()).isNull();
    assertThat(seen)
        .extracting(x -> x.body().get("transcript").asText())
        .containsExactlyInAnyOrder("First. Second.", "Third.");
    assertThat(rec.audio()).as("in the order of the requests").containsExactly(0, 0, 1, 1);
  }

  @Test
  void aCancelStopsTheAudio() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(
        "sse",
        Map.of(),
        (ex, i, body) -> {
          ex.getResponseHeaders().set("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          OutputStream out = ex.getResponseBody();
          out.write(chunk(new byte[] {1, 1}).getBytes(StandardCharsets.UTF_8));
          out.flush();
          release.await(5, TimeUnit.SECONDS);
          out.write(chunk(new byte[] {2, 2}).getBytes(StandardCharsets.UTF_8));
          out.write(DONE.getBytes(StandardCharsets.UTF_8));
          out.close();
        });
    SynthesisSession s = synth.open(SynthesisOptions.defaults());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText("Hello.");
    s.flush();
    assertThat(rec.awaitFirstAudio(Duration.ofSeconds(5))).isTrue();
    s.cancel();
    rec.fence();
    release.countDown();
    assertThat(rec.awaitTerminal(Duration.ofSeconds(5))).isTrue();
    assertThat(rec.error()).isInstanceOf(SynthesisCancelledException.class);
    assertThat(rec.eventsAfterFence()).isZero();
    assertThat(rec.audio()).containsExactly(1, 1);
  }
}
