package dev.voicebridge.emulator.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.TapRecorder;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ElevenLabs emulator: HTTP streaming")
class HttpStreamTest {
  static final TapRecorder TAP = new TapRecorder();
  static ElevenLabsEmulator emu;

  @BeforeAll
  static void start() {
    emu = ElevenLabsEmulator.start(EmulatorConfig.defaults().toBuilder().audioTap(TAP).build());
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @BeforeEach
  void reset() {
    emu.control().reset();
    TAP.clear();
  }

  static HttpRequest post(String path, String key, String body) {
    return post(emu, path, key, body);
  }

  static HttpRequest post(ElevenLabsEmulator e, String path, String key, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(e.baseUrl() + path))
            .timeout(RawWs.WAIT)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("xi-api-key", key);
    }
    return b.build();
  }

  static HttpResponse<byte[]> send(String path, String key, String body) throws Exception {
    return send(emu, path, key, body);
  }

  static HttpResponse<byte[]> send(ElevenLabsEmulator e, String path, String key, String body)
      throws Exception {
    return RawWs.CLIENT.send(post(e, path, key, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return RawWs.JSON.readTree(r.body());
  }

  @Test
  @DisplayName("/stream answers chunked raw audio with request-id and character-cost")
  void stream() throws Exception {
    String text = "Streaming over plain HTTP.";
    HttpResponse<byte[]> r =
        send(
            "/v1/text-to-speech/voice1/stream?output_format=pcm_22050",
            "test-key",
            "{\"text\":\"" + text + "\",\"model_id\":\"eleven_flash_v2_5\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("audio/pcm");
    assertThat(r.headers().firstValue("request-id")).isPresent();
    assertThat(r.headers().firstValue("character-cost")).hasValue(String.valueOf(text.length()));
    assertThat(r.headers().firstValue("content-length")).isEmpty();
    // tone voice: 60 ms per character
    assertThat(r.body().length).isEqualTo(text.length() * 22050 * 60 / 1000 * 2);
    ServerRecord rec = emu.control().lastSession();
    assertThat(rec.audioSha256()).isEqualTo(StreamInputTest.sha256(r.body()));
    assertThat(TAP.sha256()).isEqualTo(rec.audioSha256());
    assertThat(rec.audioFramesSent()).isGreaterThan(1);
    assertThat(rec.text()).isEqualTo(text);
    // the client can hold the whole body a moment before the server marks the session complete
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> emu.control().lastSession().completed());
  }

  @Test
  @DisplayName("the default output format is mp3_44100_128")
  void defaultMp3() throws Exception {
    HttpResponse<byte[]> r =
        send("/v1/text-to-speech/voice1/stream", "test-key", "{\"text\":\"Hi.\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("audio/mpeg");
    assertThat(r.body().length).isGreaterThan(0);
    assertThat(emu.control().lastSession().audioSha256())
        .isEqualTo(StreamInputTest.sha256(r.body()));
  }

  @Test
  @DisplayName("/stream/with-timestamps answers NDJSON with alignment in seconds from the start")
  void withTimestamps() throws Exception {
    String text = "Time stamps in seconds.";
    HttpResponse<byte[]> r =
        send(
            "/v1/text-to-speech/voice1/stream/with-timestamps?output_format=pcm_16000",
            "test-key",
            "{\"text\":\"" + text + "\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    String[] lines = new String(r.body(), StandardCharsets.UTF_8).split("\n");
    assertThat(lines.length).isGreaterThan(1);
    StringBuilder chars = new StringBuilder();
    ByteArrayOutputStream audio = new ByteArrayOutputStream();
    double lastEnd = 0;
    for (String line : lines) {
      JsonNode j = RawWs.JSON.readTree(line);
      audio.writeBytes(Base64.getDecoder().decode(j.get("audio_base64").asText()));
      JsonNode a = j.get("alignment");
      assertThat(j.get("normalized_alignment")).isEqualTo(a);
      for (int i = 0; i < a.get("characters").size(); i++) {
        chars.append(a.get("characters").get(i).asText());
        double s = a.get("character_start_times_seconds").get(i).asDouble();
        double e = a.get("character_end_times_seconds").get(i).asDouble();
        assertThat(s).isCloseTo(lastEnd, org.assertj.core.data.Offset.offset(0.0015));
        assertThat(e).isGreaterThan(s);
        lastEnd = e;
      }
    }
    assertThat(chars.toString()).isEqualTo(text);
    assertThat(lastEnd)
        .isCloseTo(text.length() * 0.060, org.assertj.core.data.Offset.offset(0.002));
    assertThat(emu.control().lastSession().audioSha256())
        .isEqualTo(StreamInputTest.sha256(audio.toByteArray()));
  }

  @Test
  @DisplayName("errors use the vendor's bodies: 401, 404, 422")
  void errors() throws Exception {
    String path = "/v1/text-to-speech/voice1/stream?output_format=pcm_16000";
    HttpResponse<byte[]> bad = send(path, "wrong", "{\"text\":\"x\"}");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(json(bad).at("/detail/status").asText()).isEqualTo("invalid_api_key");
    assertThat(json(send(path, null, "{\"text\":\"x\"}")).at("/detail/status").asText())
        .isEqualTo("needs_authorization");
    HttpResponse<byte[]> quota = send(path, "no-quota-key", "{\"text\":\"x\"}");
    assertThat(quota.statusCode()).isEqualTo(401);
    assertThat(json(quota).at("/detail/status").asText()).isEqualTo("quota_exceeded");
    HttpResponse<byte[]> voice =
        send("/v1/text-to-speech/unknown-voice/stream", "test-key", "{\"text\":\"x\"}");
    assertThat(voice.statusCode()).isEqualTo(404);
    assertThat(json(voice).at("/detail/status").asText()).isEqualTo("voice_not_found");
    HttpResponse<byte[]> nulls =
        send(path, "test-key", "{\"text\":\"x\",\"voice_settings\":{\"stability\":null}}");
    assertThat(nulls.statusCode()).isEqualTo(422);
    JsonNode d = json(nulls).get("detail").get(0);
    assertThat(d.get("type").asText()).isEqualTo("float_type");
    assertThat(d.get("loc").toString()).isEqualTo("[\"body\",\"voice_settings\",\"stability\"]");
    HttpResponse<byte[]> missing = send(path, "test-key", "{\"model_id\":\"eleven_flash_v2_5\"}");
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(json(missing).get("detail").get(0).get("type").asText()).isEqualTo("missing");
    HttpResponse<byte[]> format =
        send("/v1/text-to-speech/voice1/stream?output_format=flac", "test-key", "{\"text\":\"x\"}");
    assertThat(format.statusCode()).isEqualTo(422);
    assertThat(json(format).at("/detail/0/loc/1").asText()).isEqualTo("output_format");
  }

  @Test
  @DisplayName("MalformedFrame on with-timestamps sends a line that is not JSON")
  void malformedLine() throws Exception {
    emu.control().inject(new Fault.MalformedFrame(1));
    HttpResponse<byte[]> r =
        send(
            "/v1/text-to-speech/voice1/stream/with-timestamps?output_format=pcm_16000",
            "test-key",
            "{\"text\":\"Several words of text.\"}");
    String[] lines = new String(r.body(), StandardCharsets.UTF_8).split("\n");
    RawWs.JSON.readTree(lines[0]);
    assertThat(lines[1]).contains(Fault.MESSAGE).doesNotStartWith("{");
  }

  @Test
  @DisplayName("single-use tokens authenticate one WebSocket")
  void singleUseToken() throws Exception {
    HttpResponse<byte[]> t = send("/v1/single-use-token/tts_websocket", "test-key", "");
    assertThat(t.statusCode()).isEqualTo(200);
    String token = json(t).get("token").asText();
    URI u =
        URI.create(
            emu.webSocketBaseUrl()
                + "/v1/text-to-speech/voice1/stream-input?output_format=pcm_16000&single_use_token="
                + token);
    for (String expected : java.util.List.of("isFinal", "invalid_api_key")) {
      try (RawWs ws = RawWs.connect(u, java.util.Map.of())) {
        ws.send("{\"text\":\" \"}");
        try {
          ws.send("{\"text\":\"\"}");
        } catch (java.util.concurrent.ExecutionException e) {
          // with a spent token the server may already have answered the first message and closed
          assertThat(expected).isEqualTo("invalid_api_key");
        }
        JsonNode j = ws.nextJson();
        assertThat(j.has(expected) || expected.equals(j.path("error").asText())).isTrue();
      }
    }
  }

  @Test
  @DisplayName("over the concurrency limit: 429 too_many_concurrent_requests with Retry-After")
  void concurrency() throws Exception {
    try (ElevenLabsEmulator one =
        ElevenLabsEmulator.start(
            EmulatorConfig.defaults(),
            ElevenLabsEmulator.Options.builder().maxConcurrentRequests(1).build())) {
      one.control().inject(new Fault.Stall(0));
      String path = one.baseUrl() + "/v1/text-to-speech/voice1/stream?output_format=pcm_16000";
      CompletableFuture<HttpResponse<InputStream>> held =
          RawWs.CLIENT.sendAsync(
              HttpRequest.newBuilder(URI.create(path))
                  .header("xi-api-key", "test-key")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"held\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      HttpResponse<InputStream> first = held.get(10, TimeUnit.SECONDS);
      assertThat(first.statusCode()).isEqualTo(200);
      HttpResponse<byte[]> second =
          RawWs.CLIENT.send(
              HttpRequest.newBuilder(URI.create(path))
                  .header("xi-api-key", "test-key")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("retry-after")).hasValue("1");
      assertThat(json(second).at("/detail/status").asText())
          .isEqualTo("too_many_concurrent_requests");
      first.body().close();
    }
  }
}
