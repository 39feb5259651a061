package dev.voicebridge.emulator.cartesia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.kit.audio.G711;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Cartesia emulator: /tts/bytes, /tts/sse and /access-token")
class CartesiaHttpTest {
  static final String KEY = "test-key";
  static final String TEXT = "Hello from bytes.";
  static CartesiaEmulator emu;

  @BeforeAll
  static void start() {
    emu = CartesiaEmulator.start(EmulatorConfig.defaults());
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @BeforeEach
  void reset() {
    emu.control().reset();
  }

  /** A request body: {@code container} raw/wav with an encoding, or mp3 with a bit rate. */
  static ObjectNode body(String text, String container, String encoding, int rate) {
    ObjectNode o = WsClient.JSON.createObjectNode();
    o.put("model_id", "sonic-3");
    o.put("transcript", text);
    o.putObject("voice").put("mode", "id").put("id", "voice-1");
    ObjectNode f =
        o.putObject("output_format").put("container", container).put("sample_rate", rate);
    if (container.equals("mp3")) {
      f.put("bit_rate", 128000);
    } else {
      f.put("encoding", encoding);
    }
    return o;
  }

  static HttpResponse<byte[]> post(
      CartesiaEmulator e, String path, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(e.baseUrl() + path))
            .timeout(WsClient.WAIT)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return WsClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static Map<String, String> auth(String version) {
    return Map.of(
        "Authorization",
        "Bearer " + KEY,
        "Cartesia-Version",
        version,
        "Content-Type",
        "application/json");
  }

  static HttpResponse<byte[]> post(String path, JsonNode body) throws Exception {
    return post(emu, path, auth("2026-08-14"), body.toString());
  }

  /** An access token from {@code e}, with or without the tts grant. */
  static String token(CartesiaEmulator e, boolean tts) throws Exception {
    HttpResponse<byte[]> r =
        post(
            e,
            "/access-token",
            auth("2026-08-14"),
            "{\"grants\":{\"tts\":" + tts + "},\"expires_in\":60}");
    assertThat(r.statusCode()).isEqualTo(200);
    return WsClient.JSON.readTree(r.body()).get("token").asText();
  }

  static String sha256(byte[] b) throws Exception {
    return CartesiaWebSocketTest.sha256(b);
  }

  static int samples(String text, int rate) {
    return text.length() * Voice.TONE_MILLIS_PER_CHAR * rate / 1000;
  }

  /** An SSE body's events: each as {@code [event name or null, data]}. */
  static List<String[]> events(byte[] body) {
    List<String[]> out = new ArrayList<>();
    for (String block : new String(body, StandardCharsets.UTF_8).split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        } else {
          throw new AssertionError("not an SSE line: " + line);
        }
      }
      out.add(new String[] {event, data.toString()});
    }
    return out;
  }

  // ---------------------------------------------------------------- bytes

  @Test
  @DisplayName(
      "bytes, raw pcm_s16le: the audio itself, application/octet-stream; the record matches")
  void bytesRaw() throws Exception {
    HttpResponse<byte[]> r = post("/tts/bytes", body(TEXT, "raw", "pcm_s16le", 24000));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("application/octet-stream");
    assertThat(r.body().length).isEqualTo(samples(TEXT, 24000) * 2);
    ServerRecord rec = emu.control().lastSession();
    assertThat(rec.text()).isEqualTo(TEXT);
    assertThat(rec.finished()).isTrue();
    assertThat(rec.completed()).isTrue();
    assertThat(rec.audioSha256()).isEqualTo(sha256(r.body()));
    assertThat(rec.audioFramesSent()).isGreaterThan(1);
    assertThat(emu.control().sessionNotes().get(0))
        .containsEntry("endpoint", "bytes")
        .containsEntry("model", "sonic-3");
  }

  @ParameterizedTest
  @CsvSource({"pcm_f32le,4", "pcm_mulaw,1", "pcm_alaw,1", "pcm_s16le,2"})
  @DisplayName("bytes, raw encodings: the documented sizes per sample")
  void bytesEncodings(String encoding, int bytesPerSample) throws Exception {
    HttpResponse<byte[]> r = post("/tts/bytes", body(TEXT, "raw", encoding, 8000));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body().length).isEqualTo(samples(TEXT, 8000) * bytesPerSample);
    HttpResponse<byte[]> pcm = post("/tts/bytes", body(TEXT, "raw", "pcm_s16le", 8000));
    byte[] expected =
        switch (encoding) {
          case "pcm_mulaw" -> G711.encodeMuLaw(pcm.body(), 0, pcm.body().length);
          case "pcm_alaw" -> G711.encodeALaw(pcm.body(), 0, pcm.body().length);
          case "pcm_f32le" -> {
            ByteBuffer in = ByteBuffer.wrap(pcm.body()).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer out =
                ByteBuffer.allocate(pcm.body().length * 2).order(ByteOrder.LITTLE_ENDIAN);
            while (in.hasRemaining()) {
              out.putFloat(in.getShort() / 32768f);
            }
            yield out.array();
          }
          default -> pcm.body();
        };
    assertThat(Arrays.equals(r.body(), expected)).as("the %s bytes of the PCM", encoding).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"pcm_s16le,1,16", "pcm_f32le,3,32", "pcm_mulaw,7,8", "pcm_alaw,6,8"})
  @DisplayName("bytes, wav: a streaming header (sizes 0xFFFFFFFF) with the encoding's format code")
  void bytesWav(String encoding, int code, int bits) throws Exception {
    HttpResponse<byte[]> r = post("/tts/bytes", body(TEXT, "wav", encoding, 22050));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("audio/wav");
    ByteBuffer h = ByteBuffer.wrap(r.body()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new String(r.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(h.getInt(4)).isEqualTo(-1);
    assertThat(new String(r.body(), 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
    assertThat(h.getShort(20)).isEqualTo((short) code);
    assertThat(h.getShort(22)).isEqualTo((short) 1);
    assertThat(h.getInt(24)).isEqualTo(22050);
    assertThat(h.getShort(34)).isEqualTo((short) bits);
    assertThat(new String(r.body(), 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
    assertThat(h.getInt(40)).isEqualTo(-1);
    assertThat(r.body().length - 44).isEqualTo(samples(TEXT, 22050) * bits / 8);
  }

  @Test
  @DisplayName("bytes, mp3: audio/mpeg and MPEG audio frames")
  void bytesMp3() throws Exception {
    HttpResponse<byte[]> r = post("/tts/bytes", body(TEXT, "mp3", null, 44100));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("audio/mpeg");
    assertThat(r.body().length).isGreaterThan(100);
    assertThat(r.body()[0] & 0xFF).isEqualTo(0xFF);
    assertThat(r.body()[1] & 0xE0).isEqualTo(0xE0);
    assertThat(emu.control().lastSession().audioSha256()).isEqualTo(sha256(r.body()));
  }

  // ---------------------------------------------------------------- SSE

  @Test
  @DisplayName("sse: chunk and timestamps events, then done, then the body ends; context_id echoed")
  void sse() throws Exception {
    ObjectNode b = body("Two words.", "raw", "pcm_s16le", 16000);
    b.put("add_timestamps", true).put("add_phoneme_timestamps", true).put("context_id", "s1");
    HttpResponse<byte[]> r = post("/tts/sse", b);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
    List<String[]> ev = events(r.body());
    List<String> types = new ArrayList<>();
    java.io.ByteArrayOutputStream audio = new java.io.ByteArrayOutputStream();
    List<String> words = new ArrayList<>();
    for (String[] e : ev) {
      assertThat(e[0]).as("no event: line but for errors").isNull();
      JsonNode j = WsClient.JSON.readTree(e[1]);
      types.add(j.get("type").asText());
      assertThat(j.get("context_id").asText()).isEqualTo("s1");
      assertThat(j.get("status_code").asInt()).isEqualTo(206);
      assertThat(j.has("flush_id")).isFalse();
      if (j.get("type").asText().equals("chunk")) {
        audio.writeBytes(Base64.getDecoder().decode(j.get("data").asText()));
      }
      if (j.get("type").asText().equals("timestamps")) {
        j.get("word_timestamps").get("words").forEach(w -> words.add(w.asText()));
      }
    }
    assertThat(types.get(0)).isEqualTo("chunk");
    assertThat(types.get(types.size() - 1)).isEqualTo("done");
    assertThat(types).contains("timestamps", "phoneme_timestamps").doesNotContain("flush_done");
    assertThat(words).containsExactly("Two", "words.");
    assertThat(audio.size()).isEqualTo(samples("Two words.", 16000) * 2);
    assertThat(emu.control().lastSession().audioSha256()).isEqualTo(sha256(audio.toByteArray()));
    assertThat(emu.control().lastSession().completed()).isTrue();
  }

  @Test
  @DisplayName("sse takes raw only; bytes takes raw, wav or mp3")
  void containers() throws Exception {
    HttpResponse<byte[]> r = post("/tts/sse", body(TEXT, "wav", "pcm_s16le", 16000));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(WsClient.JSON.readTree(r.body()).get("error_code").asText())
        .isEqualTo("invalid_request");
  }

  // ---------------------------------------------------------------- errors

  @Test
  @DisplayName("HTTP errors: JSON from 2026-03-01, plain text Title: Message before")
  void errorsByVersion() throws Exception {
    ObjectNode bad = body(TEXT, "raw", "pcm_s16le", 16000).put("model_id", "nope");
    HttpResponse<byte[]> now = post(emu, "/tts/bytes", auth("2026-03-01"), bad.toString());
    assertThat(now.statusCode()).isEqualTo(400);
    assertThat(now.headers().firstValue("content-type")).contains("application/json");
    JsonNode j = WsClient.JSON.readTree(now.body());
    assertThat(j.get("error_code").asText()).isEqualTo("model_not_found");
    assertThat(j.get("title").asText()).isNotBlank();
    assertThat(j.get("message").asText()).contains("nope");
    assertThat(j.get("request_id").asText()).isNotBlank();
    HttpResponse<byte[]> old = post(emu, "/tts/bytes", auth("2025-11-04"), bad.toString());
    assertThat(old.statusCode()).isEqualTo(400);
    assertThat(old.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(new String(old.body(), StandardCharsets.UTF_8))
        .startsWith("Invalid model: ")
        .contains("nope");
  }

  @Test
  @DisplayName("401 without or with a wrong key, 402 for the no-credit key; X-API-Key works")
  void keys() throws Exception {
    String b = body(TEXT, "raw", "pcm_s16le", 16000).toString();
    assertThat(post(emu, "/tts/bytes", Map.of("Cartesia-Version", "2026-08-14"), b).statusCode())
        .isEqualTo(401);
    assertThat(post(emu, "/tts/bytes", Map.of("Authorization", "Bearer nope"), b).statusCode())
        .isEqualTo(401);
    assertThat(post(emu, "/tts/sse", Map.of("X-API-Key", "no-credit-key"), b).statusCode())
        .isEqualTo(402);
    assertThat(post(emu, "/tts/bytes", Map.of("X-API-Key", KEY), b).statusCode()).isEqualTo(200);
    assertThat(emu.control().sessions()).hasSize(1);
    assertThat(emu.control().sessionNotes().get(0))
        .containsEntry("auth", "x-api-key")
        .containsEntry("version-given", "false");
  }

  @Test
  @DisplayName("access tokens: tts-granted ones authenticate /tts, not /access-token; they expire")
  void accessTokens() throws Exception {
    Instant[] now = {Instant.parse("2026-09-01T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    try (CartesiaEmulator e =
        CartesiaEmulator.start(
            EmulatorConfig.defaults(), CartesiaEmulator.Options.builder().clock(clock).build())) {
      String b = body(TEXT, "raw", "pcm_s16le", 16000).toString();
      String tts = token(e, true);
      String stt = token(e, false);
      assertThat(post(e, "/tts/bytes", Map.of("Authorization", "Bearer " + tts), b).statusCode())
          .isEqualTo(200);
      assertThat(post(e, "/tts/bytes", Map.of("Authorization", "Bearer " + stt), b).statusCode())
          .isEqualTo(401);
      assertThat(
              post(e, "/access-token", Map.of("Authorization", "Bearer " + tts), "{}").statusCode())
          .isEqualTo(401);
      assertThat(post(e, "/access-token", auth("2026-08-14"), "{\"expires_in\":3601}").statusCode())
          .isEqualTo(400);
      now[0] = now[0].plusSeconds(61);
      assertThat(post(e, "/tts/bytes", Map.of("Authorization", "Bearer " + tts), b).statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  @DisplayName("unknown paths get 404, a GET on a POST endpoint 405")
  void routes() throws Exception {
    assertThat(post(emu, "/tts/nothing", auth("2026-08-14"), "{}").statusCode()).isEqualTo(404);
    HttpResponse<byte[]> get =
        WsClient.HTTP.send(
            HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/tts/bytes")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  @DisplayName("over the concurrency limit a request gets 429 concurrency_limited; a slot frees")
  void concurrency() throws Exception {
    try (CartesiaEmulator e =
        CartesiaEmulator.start(
            EmulatorConfig.defaults(),
            CartesiaEmulator.Options.builder().concurrencyLimit(1).build())) {
      String b = body(TEXT, "raw", "pcm_s16le", 16000).toString();
      e.control().inject(new Fault.Stall(0)); // holds the first request open
      HttpRequest.Builder rq =
          HttpRequest.newBuilder(URI.create(e.baseUrl() + "/tts/sse"))
              .POST(HttpRequest.BodyPublishers.ofString(b));
      auth("2026-08-14").forEach(rq::header);
      HttpResponse<InputStream> held =
          WsClient.HTTP.send(rq.build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(held.statusCode()).isEqualTo(200);
      HttpResponse<byte[]> refused = post(e, "/tts/sse", auth("2026-08-14"), b);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(WsClient.JSON.readTree(refused.body()).get("error_code").asText())
          .isEqualTo("concurrency_limited");
      held.body().close(); // the client leaves: the slot is free again
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> post(e, "/tts/bytes", auth("2026-08-14"), b).statusCode() == 200);
    }
  }

  @Test
  @DisplayName("the bytes body is chunked (no Content-Length) and carries an x-request-id")
  void streamedBody() throws Exception {
    HttpRequest.Builder rq =
        HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/tts/bytes"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    body(TEXT, "raw", "pcm_s16le", 16000).toString()));
    auth("2026-08-14").forEach(rq::header);
    CompletableFuture<HttpResponse<byte[]>> f =
        WsClient.HTTP.sendAsync(rq.build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> r = f.get(10, TimeUnit.SECONDS);
    assertThat(r.headers().firstValue("content-length")).isEmpty();
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
  }
}
