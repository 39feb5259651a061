package dev.voicebridge.emulator.fish;

import static dev.voicebridge.emulator.fish.FishTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.TapRecorder;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FishHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final TapRecorder TAP = new TapRecorder();
  static FishEmulator fish;

  @BeforeAll
  static void start() {
    fish = FishEmulator.start(EmulatorConfig.defaults().toBuilder().audioTap(TAP).build());
  }

  @AfterAll
  static void stop() {
    fish.close();
  }

  @BeforeEach
  void reset() {
    fish.control().reset();
    TAP.clear();
  }

  static HttpResponse<byte[]> post(String contentType, byte[] body, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fish.baseUrl() + "/v1/tts"))
            .header("Content-Type", contentType)
            .header("model", "s1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return FishTestClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> postJson(String json) throws Exception {
    return post("application/json", json.getBytes(), "test-key");
  }

  @Test
  void aJsonBodyStreamsWavInChunks() throws Exception {
    HttpRequest rq =
        HttpRequest.newBuilder(URI.create(fish.baseUrl() + "/v1/tts"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer test-key")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"text\":\"Hello over HTTP.\",\"format\":\"wav\",\"sample_rate\":24000}"))
            .build();
    HttpResponse<InputStream> r =
        FishTestClient.HTTP.send(rq, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("audio/wav");
    assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
    assertThat(r.headers().firstValue("content-length")).isEmpty();
    byte[] audio;
    try (InputStream in = r.body()) {
      audio = in.readAllBytes();
    }
    assertThat(Wav.read(audio).isStreaming()).isTrue();
    assertThat(audio).hasSize(Wav.HEADER_BYTES + 16 * 24000 * 60 / 1000 * 2);
    ServerRecord rec = fish.control().lastSession();
    assertThat(rec.completed()).isTrue();
    assertThat(rec.text()).isEqualTo("Hello over HTTP.");
    assertThat(rec.audioFramesSent()).isGreaterThan(1);
    assertThat(rec.audioSha256()).isEqualTo(FishTestClient.sha256(audio));
    assertThat(TAP.sha256()).isEqualTo(rec.audioSha256());
  }

  @Test
  void aMessagePackBodyStreamsPcm() throws Exception {
    byte[] body =
        FishTestClient.pack(
            map(
                "text",
                "Packed.",
                "format",
                "pcm",
                "sample_rate",
                8000,
                "reference_id",
                null,
                "references",
                List.of()));
    HttpResponse<byte[]> r = post("application/msgpack", body, "test-key");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/octet-stream");
    assertThat(r.body()).hasSize(7 * 8000 * 60 / 1000 * 2);
    ServerRecord rec = fish.control().lastSession();
    assertThat(rec.audioSha256()).isEqualTo(FishTestClient.sha256(r.body()));
    assertThat(rec.frames().get(0)).contains("\"text\":\"Packed.\"");
    assertThat(fish.effectiveModels()).containsExactly("s1");
  }

  @Test
  void mp3IsTheDefaultFormat() throws Exception {
    HttpResponse<byte[]> r = postJson("{\"text\":\"Default format.\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("audio/mpeg");
    byte[] a = r.body();
    assertThat((a[0] & 0xFF) == 0xFF && (a[1] & 0xE0) == 0xE0 || (a[0] == 'I' && a[1] == 'D'))
        .isTrue();
  }

  @Test
  void schemaErrorsAre422WithAPydanticStyleArray() throws Exception {
    HttpResponse<byte[]> r = postJson("{\"text\":\"x\",\"chunk_length\":50,\"latency\":\"fast\"}");
    assertThat(r.statusCode()).isEqualTo(422);
    JsonNode errors = JSON.readTree(r.body());
    assertThat(errors.isArray()).isTrue();
    List<String> locs = new ArrayList<>();
    errors.forEach(e -> locs.add(e.get("loc").toString()));
    assertThat(locs).containsExactlyInAnyOrder("[\"chunk_length\"]", "[\"latency\"]");
    JsonNode chunk =
        errors.get(0).get("loc").get(0).asText().equals("chunk_length")
            ? errors.get(0)
            : errors.get(1);
    assertThat(chunk.get("type").asText()).isEqualTo("greater_than_equal");
    assertThat(chunk.get("msg").asText()).isEqualTo("Input should be greater than or equal to 100");
    assertThat(chunk.get("ctx").get("ge").asInt()).isEqualTo(100);

    HttpResponse<byte[]> missing = postJson("{\"format\":\"pcm\"}");
    assertThat(missing.statusCode()).isEqualTo(422);
    JsonNode m = JSON.readTree(missing.body()).get(0);
    assertThat(m.get("type").asText()).isEqualTo("missing");
    assertThat(m.get("loc").toString()).isEqualTo("[\"text\"]");
    assertThat(m.get("msg").asText()).isEqualTo("Field required");
  }

  @Test
  void semanticErrorsAre400WithStatusAndMessage() throws Exception {
    HttpResponse<byte[]> opus = postJson("{\"text\":\"x\",\"format\":\"opus\"}");
    assertThat(opus.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(opus.body());
    assertThat(body.get("status").asInt()).isEqualTo(400);
    assertThat(body.get("message").asText()).contains("opus");
    HttpResponse<byte[]> rate =
        postJson("{\"text\":\"x\",\"format\":\"wav\",\"sample_rate\":22050}");
    assertThat(rate.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(rate.body()).get("message").asText()).contains("22050");
  }

  @Test
  void anUnparsableBodyGetsAPlainTextError() throws Exception {
    HttpResponse<byte[]> r = postJson("{not json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(new String(r.body())).contains("parse");
    HttpResponse<byte[]> mp = post("application/msgpack", new byte[] {(byte) 0xC1}, "test-key");
    assertThat(mp.statusCode()).isEqualTo(400);
    assertThat(mp.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
  }

  @Test
  void badKeysAndTypesAreRefusedWithJson() throws Exception {
    HttpResponse<byte[]> bad = post("application/json", "{\"text\":\"x\"}".getBytes(), "wrong");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(new String(bad.body())).isEqualTo("{\"status\":401,\"message\":\"Invalid Token\"}");
    HttpResponse<byte[]> none = post("application/json", "{\"text\":\"x\"}".getBytes(), null);
    assertThat(none.statusCode()).isEqualTo(401);
    HttpResponse<byte[]> broke =
        post("application/json", "{\"text\":\"x\"}".getBytes(), "no-credit");
    assertThat(broke.statusCode()).isEqualTo(402);
    HttpResponse<byte[]> type = post("text/plain", "hello".getBytes(), "test-key");
    assertThat(type.statusCode()).isEqualTo(415);
    assertThat(fish.control().sessions()).isEmpty();
  }
}
