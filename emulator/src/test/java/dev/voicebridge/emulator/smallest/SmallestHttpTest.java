package dev.voicebridge.emulator.smallest;

import static dev.voicebridge.emulator.smallest.WsProbe.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.TapRecorder;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.kit.audio.G711;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Smallest emulator: SSE and sync HTTP")
class SmallestHttpTest {
  static final Pattern AUDIO_LINE =
      Pattern.compile(
          "^data: \\{\"audio\": \"([A-Za-z0-9+/=]*)\", \"done\": false, \"status\": \"206\"\\}$");
  static final String DONE_LINE = "data: {\"status\": \"200\", \"done\": true}";

  static HttpClient http;
  static final TapRecorder TAP = new TapRecorder();
  static SmallestEmulator emulator;

  @BeforeAll
  static void start() {
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    emulator = SmallestEmulator.start(EmulatorConfig.defaults().toBuilder().audioTap(TAP).build());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @BeforeEach
  void reset() {
    emulator.control().reset();
    TAP.clear();
  }

  static HttpResponse<byte[]> post(SmallestEmulator e, String path, String body, String key)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(e.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String body(String voice, String text, String... extra) {
    ObjectNode o = WsProbe.request(voice, text);
    for (int i = 0; i < extra.length; i += 2) {
      o.set(extra[i], WsProbe.parse(extra[i + 1]));
    }
    return o.toString();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Parsed SSE stream: the decoded audio events and the raw lines. */
  record Sse(List<byte[]> chunks, List<String> lines) {
    byte[] audio() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      chunks.forEach(out::writeBytes);
      return out.toByteArray();
    }
  }

  static Sse parseSse(String body) {
    List<String> lines = Arrays.asList(body.split("\n", -1));
    List<byte[]> chunks = new ArrayList<>();
    for (String l : lines) {
      var m = AUDIO_LINE.matcher(l);
      if (m.matches()) {
        chunks.add(Base64.getDecoder().decode(m.group(1)));
      }
    }
    return new Sse(chunks, lines);
  }

  @Test
  @DisplayName(
      "SSE: event: audio frames of 1024 decoded bytes, Python spacing, then the terminator")
  void sse() throws Exception {
    String text = "Server sent events are simple.";
    HttpResponse<byte[]> r =
        post(
            emulator,
            "/waves/v1/tts/live",
            body("meher", text, "sample_rate", "24000"),
            "test-key");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .get()
        .asString()
        .startsWith("text/event-stream");
    String body = text(r);
    Sse sse = parseSse(body);
    byte[] expected = Voice.tone().synthesize(text, 24000);
    assertThat(sse.audio()).isEqualTo(expected);
    for (int i = 0; i < sse.chunks().size() - 1; i++) {
      assertThat(sse.chunks().get(i)).hasSize(1024);
    }
    // every audio data line follows an "event: audio" line; the terminator has none
    List<String> lines = sse.lines();
    int audioEvents = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (AUDIO_LINE.matcher(lines.get(i)).matches()) {
        assertThat(lines.get(i - 1)).isEqualTo("event: audio");
        audioEvents++;
      }
    }
    assertThat(audioEvents).isEqualTo(sse.chunks().size());
    assertThat(body).endsWith("\n\n" + DONE_LINE + "\n\n");
    assertThat(body.indexOf(DONE_LINE)).isEqualTo(body.lastIndexOf(DONE_LINE));
    assertThat(r.headers().firstValue("x-session-id")).isPresent();
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
    ServerRecord rec = emulator.control().lastSession();
    assertThat(rec.text()).isEqualTo(text);
    assertThat(rec.completed()).isTrue();
    assertThat(rec.audioSha256()).isEqualTo(sha256(sse.audio()));
    assertThat(TAP.sha256()).isEqualTo(rec.audioSha256());
    assertThat(rec.audioFramesSent()).isEqualTo(sse.chunks().size());
    // word_timestamps is ignored on SSE
    HttpResponse<byte[]> w =
        post(
            emulator,
            "/waves/v1/tts/live",
            body("meher", "Hi.", "word_timestamps", "true"),
            "test-key");
    assertThat(text(w)).doesNotContain("word_timestamp");
  }

  @Test
  @DisplayName("sync: audio/wav content type whatever the format; pcm raw, wav, ulaw, alaw, mp3")
  void sync() throws Exception {
    String text = "Sync.";
    byte[] pcm = Voice.tone().synthesize(text, 16000);
    HttpResponse<byte[]> raw =
        post(
            emulator,
            "/waves/v1/tts",
            body(
                "magnus",
                text,
                "sample_rate",
                "16000",
                "session_id",
                "\"s-1\"",
                "request_id",
                "\"r.2\""),
            "test-key");
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("content-type")).get().asString().startsWith("audio/wav");
    assertThat(raw.body()).isEqualTo(pcm);
    assertThat(raw.headers().firstValue("x-external-session-id")).contains("s-1");
    assertThat(raw.headers().firstValue("x-external-request-id")).contains("r.2");
    assertThat(raw.headers().firstValue("x-session-id")).get().asString().isNotBlank();
    assertThat(emulator.control().lastSession().audioSha256()).isEqualTo(sha256(pcm));

    HttpResponse<byte[]> wav =
        post(
            emulator,
            "/waves/v1/tts",
            body("magnus", text, "sample_rate", "16000", "output_format", "\"wav\""),
            "test-key");
    assertThat(wav.headers().firstValue("content-type")).get().asString().startsWith("audio/wav");
    WavInfo info = Wav.read(wav.body());
    assertThat(info.sampleRate()).isEqualTo(16000);
    assertThat(Arrays.copyOfRange(wav.body(), (int) info.dataOffset(), wav.body().length))
        .isEqualTo(pcm);
    assertThat(wav.headers().firstValue("x-external-session-id")).contains("");

    HttpResponse<byte[]> ulaw =
        post(
            emulator,
            "/waves/v1/tts",
            body("magnus", text, "sample_rate", "16000", "output_format", "\"ulaw\""),
            "test-key");
    assertThat(ulaw.headers().firstValue("content-type")).get().asString().startsWith("audio/wav");
    assertThat(ulaw.body()).isEqualTo(G711.encodeMuLaw(pcm, 0, pcm.length));

    HttpResponse<byte[]> alaw =
        post(
            emulator,
            "/waves/v1/tts",
            body("magnus", text, "sample_rate", "16000", "output_format", "\"alaw\""),
            "test-key");
    assertThat(alaw.body()).isEqualTo(G711.encodeALaw(pcm, 0, pcm.length));

    HttpResponse<byte[]> mp3 =
        post(
            emulator,
            "/waves/v1/tts",
            body("magnus", text, "sample_rate", "16000", "output_format", "\"mp3\""),
            "test-key");
    assertThat(mp3.statusCode()).isEqualTo(200);
    assertThat(mp3.body().length).isGreaterThan(100);
    assertThat(mp3.body()[0] & 0xFF).isEqualTo(0xFF);
    assertThat(mp3.body()[1] & 0xE0).isEqualTo(0xE0);
  }

  @Test
  @DisplayName("errors: 400 InvalidRequest, 401 Unauthorized, 404, 405, 410 MODEL_DEPRECATED")
  void errors() throws Exception {
    HttpResponse<byte[]> noText =
        post(emulator, "/waves/v1/tts", "{\"voice_id\":\"a\"}", "test-key");
    assertThat(noText.statusCode()).isEqualTo(400);
    JsonNode e = WsProbe.parse(text(noText));
    assertThat(e.path("error").asText()).isEqualTo("InvalidRequest");
    assertThat(e.path("message").asText()).isEqualTo("The 'text' field is required.");

    for (String bad :
        new String[] {
          body("a", "x", "speed", "3"),
          body("a", "x", "sample_rate", "11025"),
          body("a", "x", "request_id", "\"bad/id\""),
          body("a", "x", "max_buffer_flush_ms", "-1"),
          body("a", "x", "complete_backoff_ms", "20000"),
          "{\"text\":\"x\"}",
          "not json"
        }) {
      HttpResponse<byte[]> r = post(emulator, "/waves/v1/tts/live", bad, "test-key");
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(WsProbe.parse(text(r)).path("error").asText()).isEqualTo("InvalidRequest");
    }

    for (String key : new String[] {null, "nope"}) {
      HttpResponse<byte[]> r = post(emulator, "/waves/v1/tts", body("a", "x"), key);
      assertThat(r.statusCode()).isEqualTo(401);
      JsonNode u = WsProbe.parse(text(r));
      assertThat(u.path("error").asText()).isEqualTo("Unauthorized");
      assertThat(u.path("message").asText()).isNotBlank();
    }

    for (String path :
        new String[] {
          "/waves/v1/lightning-v2/get_speech",
          "/waves/v1/lightning-v2/get_speech/stream",
          "/waves/v1/lightning-large/stream"
        }) {
      HttpResponse<byte[]> r = post(emulator, path, body("a", "x"), "test-key");
      assertThat(r.statusCode()).isEqualTo(410);
      JsonNode g = WsProbe.parse(text(r));
      assertThat(g.path("error_code").asText()).isEqualTo("MODEL_DEPRECATED");
      assertThat(g.path("status").asText()).isEqualTo("error");
      assertThat(g.path("recommended_endpoint").asText())
          .isEqualTo("/waves/v1/lightning-v3.1/get_speech");
    }

    assertThat(post(emulator, "/waves/v1/nothing", body("a", "x"), "test-key").statusCode())
        .isEqualTo(404);
    HttpResponse<byte[]> get =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/waves/v1/tts"))
                .header("Authorization", "Bearer test-key")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  @DisplayName("legacy lightning-v3.1 routes speak the same protocol")
  void legacyRoutes() throws Exception {
    HttpResponse<byte[]> sync =
        post(emulator, "/waves/v1/lightning-v3.1/get_speech", body("a", "Hi"), "test-key");
    assertThat(sync.body()).isEqualTo(Voice.tone().synthesize("Hi", 44100));
    HttpResponse<byte[]> sse =
        post(emulator, "/waves/v1/lightning-v3.1/stream", body("a", "Hi"), "test-key");
    assertThat(parseSse(text(sse)).audio()).isEqualTo(Voice.tone().synthesize("Hi", 44100));
  }

  @Test
  @DisplayName("429 TooManyRequests with Retry-After over the per-key concurrency")
  void concurrency() throws Exception {
    // real-time pacing: a 6 s utterance keeps the only slot busy while we knock again
    EmulatorConfig paced =
        EmulatorConfig.builder()
            .profile(new LatencyProfile(Duration.ZERO, 1.0, Duration.ZERO))
            .build();
    try (SmallestEmulator e = SmallestEmulator.start(paced)) {
      HttpRequest first =
          HttpRequest.newBuilder(URI.create(e.baseUrl() + "/waves/v1/tts/live"))
              .header("Authorization", "Bearer test-key")
              .POST(HttpRequest.BodyPublishers.ofString(body("a", "x".repeat(100))))
              .build();
      HttpResponse<InputStream> streaming =
          http.send(first, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = streaming.body()) {
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        assertThat(reader.readLine()).isEqualTo("event: audio");
        HttpResponse<byte[]> second = post(e, "/waves/v1/tts", body("a", "y"), "test-key");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("retry-after")).isPresent();
        assertThat(WsProbe.parse(text(second)).path("error").asText()).isEqualTo("TooManyRequests");
      }
      // once the first client is gone, the slot frees up
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> post(e, "/waves/v1/tts", body("a", "y"), "test-key").statusCode() == 200);
    }
  }
}
