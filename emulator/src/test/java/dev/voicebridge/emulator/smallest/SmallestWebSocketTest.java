package dev.voicebridge.emulator.smallest;

import static dev.voicebridge.emulator.smallest.WsProbe.audio;
import static dev.voicebridge.emulator.smallest.WsProbe.request;
import static dev.voicebridge.emulator.smallest.WsProbe.sha256;
import static dev.voicebridge.emulator.smallest.WsProbe.withStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.GatedVoice;
import dev.voicebridge.emulator.TapRecorder;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Smallest emulator: WebSocket /waves/v1/tts/live")
class SmallestWebSocketTest {
  static final Duration BACKOFF = Duration.ofMillis(100);
  static HttpClient http;
  static final TapRecorder TAP = new TapRecorder();
  static SmallestEmulator emulator;

  @BeforeAll
  static void start() {
    http = HttpClient.newHttpClient();
    emulator =
        SmallestEmulator.start(
            EmulatorConfig.defaults().toBuilder().audioTap(TAP).build(),
            SmallestEmulator.Options.builder().completeBackoffOverride(BACKOFF).build());
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

  static WsProbe connect(SmallestEmulator e) {
    return WsProbe.connect(http, e.webSocketUrl(), e.config().apiKey());
  }

  static byte[] tone(String text, int rate) {
    return Voice.tone().synthesize(text, rate);
  }

  @Test
  @DisplayName("a request gives chunk frames of base64 PCM at the asked rate, then complete")
  void chunksAtRate() {
    try (WsProbe ws = connect(emulator)) {
      ObjectNode rq = request("magnus", "Hello there.");
      rq.put("sample_rate", 16000);
      ws.send(rq);
      List<JsonNode> frames = ws.until("complete");
      assertThat(audio(frames)).isEqualTo(tone("Hello there.", 16000));
      List<JsonNode> chunks = withStatus(frames, "chunk");
      assertThat(chunks).hasSizeGreaterThan(1);
      // 100 ms frames at 16 kHz = 3200 bytes
      assertThat(chunks.get(0).path("data").path("audio").asText()).hasSize(4 * ((3200 + 2) / 3));
      JsonNode complete = frames.get(frames.size() - 1);
      assertThat(complete.fieldNames())
          .toIterable()
          .containsExactly("session_id", "request_id", "status");
      assertThat(complete.path("session_id").asText()).startsWith("ws_");
      assertThat(complete.path("request_id").asText()).startsWith("task_");
      for (JsonNode c : chunks) {
        assertThat(c.path("session_id").asText()).isEqualTo(complete.path("session_id").asText());
        assertThat(c.path("request_id").asText()).isEqualTo(complete.path("request_id").asText());
        assertThat(c.has("external_session_id")).isFalse();
        assertThat(c.has("external_request_id")).isFalse();
      }
      ServerRecord r = emulator.control().lastSession();
      assertThat(r.text()).isEqualTo("Hello there.");
      assertThat(r.completed()).isTrue();
      assertThat(r.finished()).isTrue();
      assertThat(r.audioSha256()).isEqualTo(sha256(audio(frames)));
      assertThat(r.audioFramesSent()).isEqualTo(chunks.size());
      assertThat(TAP.sha256()).isEqualTo(r.audioSha256());
      assertThat(TAP.vendors()).containsExactly("smallest");
      assertThat(r.headers().get("authorization")).containsExactly("Bearer test-key");
      assertThat(r.frames()).containsExactly(rq.toString());
    }
  }

  @Test
  @DisplayName("a message without continue speaks all its sentences, not only the last")
  void everySentenceOfOneMessage() {
    try (WsProbe ws = connect(emulator)) {
      ws.send(request("magnus", "One. Two. Three."));
      assertThat(audio(ws.until("complete"))).isEqualTo(tone("One. Two. Three.", 44100));
    }
  }

  @Test
  @DisplayName("a long message is synthesized a sentence at a time: audio starts before the rest")
  void longMessageStreamsBeforeItIsAllSynthesized() throws Exception {
    String sentence =
        "Long answers are read aloud one sentence at a time, and the first must come. ";
    String text = sentence.repeat(20).strip(); // 1.5 KB: seven requests of three sentences
    GatedVoice voice = new GatedVoice();
    try (SmallestEmulator e =
            SmallestEmulator.start(
                EmulatorConfig.defaults().toBuilder().voice(voice).build(),
                SmallestEmulator.Options.builder().completeBackoffOverride(BACKOFF).build());
        WsProbe ws = connect(e)) {
      ws.send(request("magnus", text)); // one message, synthesized at once
      JsonNode first = ws.nextJson();
      int synthesizedAtFirstAudio = voice.asked().size();
      voice.open();
      List<JsonNode> frames = new ArrayList<>(List.of(first));
      frames.addAll(ws.until("complete"));
      assertThat(first.path("status").asText()).isEqualTo("chunk");
      assertThat(synthesizedAtFirstAudio).isLessThanOrEqualTo(2);
      assertThat(voice.asked()).hasSize(7);
      assertThat(voice.asked().get(0)).isEqualTo(sentence.repeat(3));
      assertThat(String.join("", voice.asked())).isEqualTo(text);
      // the audio is the whole text's, as before; each piece is a request of its own
      assertThat(audio(frames)).isEqualTo(tone(text, 44100));
      Set<String> ids = new LinkedHashSet<>();
      withStatus(frames, "chunk").forEach(c -> ids.add(c.path("request_id").asText()));
      assertThat(ids).hasSize(7);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 24000, 44100})
  @DisplayName("every supported sample_rate is honoured; 44100 is the default")
  void rates(int rate) {
    try (WsProbe ws = connect(emulator)) {
      ObjectNode rq = request("magnus", "Hi.");
      if (rate != 44100) {
        rq.put("sample_rate", rate);
      }
      ws.send(rq);
      assertThat(audio(ws.until("complete"))).isEqualTo(tone("Hi.", rate));
    }
  }

  @Test
  @DisplayName("continue:true buffers until flush; the flush releases one request")
  void continueBuffersUntilFlush() {
    try (WsProbe ws = connect(emulator)) {
      for (String t : new String[] {"Hello ", "big ", "world"}) {
        ObjectNode rq = request("magnus", t);
        rq.put("continue", true);
        rq.put("flush", false);
        ws.send(rq);
      }
      ObjectNode flush = request("magnus", "");
      flush.put("continue", false);
      flush.put("flush", true);
      ws.send(flush);
      List<JsonNode> frames = ws.until("complete");
      Set<String> ids = new HashSet<>();
      withStatus(frames, "chunk").forEach(c -> ids.add(c.path("request_id").asText()));
      assertThat(ids).hasSize(1);
      assertThat(audio(frames)).isEqualTo(tone("Hello big world", 44100));
      ServerRecord r = emulator.control().lastSession();
      assertThat(r.text()).isEqualTo("Hello big world");
      assertThat(r.textMessages()).isEqualTo(3);
      assertThat(r.flushes()).isEqualTo(1);
      assertThat(r.frames()).hasSize(4);
    }
  }

  @Test
  @DisplayName("buffered text is released at a sentence end without a flush")
  void sentenceEndReleases() {
    try (WsProbe ws = connect(emulator)) {
      ObjectNode a = request("magnus", "One. ");
      a.put("continue", true);
      ws.send(a);
      ObjectNode b = request("magnus", "Two");
      b.put("continue", true);
      ws.send(b);
      JsonNode first = ws.nextJson();
      assertThat(first.path("status").asText()).isEqualTo("chunk");
      ObjectNode flush = request("magnus", "");
      flush.put("flush", true);
      ws.send(flush);
      List<JsonNode> frames = new ArrayList<>(List.of(first));
      frames.addAll(ws.until("complete"));
      Set<String> ids = new LinkedHashSet<>();
      withStatus(frames, "chunk").forEach(c -> ids.add(c.path("request_id").asText()));
      assertThat(ids).hasSize(2);
      byte[] expected = concat(tone("One.", 44100), tone("Two", 44100));
      assertThat(audio(frames)).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("max_buffer_flush_ms releases buffered text without a flush")
  void maxBufferFlush() {
    try (WsProbe ws = connect(emulator)) {
      ObjectNode a = request("magnus", "no sentence end");
      a.put("continue", true);
      a.put("max_buffer_flush_ms", 50);
      ws.send(a);
      List<JsonNode> frames = ws.until("complete");
      assertThat(audio(frames)).isEqualTo(tone("no sentence end", 44100));
    }
  }

  @Test
  @DisplayName("a flush of an empty buffer sends nothing, not even complete")
  void emptyFlushSendsNothing() {
    try (WsProbe ws = connect(emulator)) {
      ObjectNode flush = request("magnus", "");
      flush.put("continue", false);
      flush.put("flush", true);
      ws.send(flush);
      ws.send(request("magnus", "   ")); // a keep-alive: blank text, nothing either
      ws.send(request("magnus", "Hi"));
      JsonNode first = ws.nextJson();
      assertThat(first.path("status").asText()).isEqualTo("chunk");
      List<JsonNode> rest = ws.until("complete");
      assertThat(withStatus(rest, "complete")).hasSize(1);
      // outside a session they start none (and take no fault): the session is the request's
      assertThat(emulator.control().sessions()).hasSize(1);
      assertThat(emulator.control().lastSession().text()).isEqualTo("Hi");
    }
  }

  @Test
  @DisplayName("back-to-back requests run FIFO and share one complete; the next turn gets its own")
  void backToBackShareOneComplete() {
    SmallestEmulator slow =
        SmallestEmulator.start(
            EmulatorConfig.defaults(),
            SmallestEmulator.Options.builder()
                .completeBackoffOverride(Duration.ofSeconds(2))
                .build());
    try (slow;
        WsProbe ws = connect(slow)) {
      ws.send(request("magnus", "First request."));
      JsonNode first = ws.nextJson();
      assertThat(first.path("status").asText()).isEqualTo("chunk");
      // more input within the back-off restarts the timer
      ws.send(request("magnus", "Second."));
      List<JsonNode> frames = new ArrayList<>(List.of(first));
      frames.addAll(ws.until("complete"));
      List<String> order = new ArrayList<>();
      for (JsonNode c : withStatus(frames, "chunk")) {
        String id = c.path("request_id").asText();
        if (order.isEmpty() || !order.get(order.size() - 1).equals(id)) {
          order.add(id);
        }
      }
      assertThat(order).hasSize(2).doesNotHaveDuplicates();
      assertThat(withStatus(frames, "complete")).hasSize(1);
      assertThat(frames.get(frames.size() - 1).path("request_id").asText()).isEqualTo(order.get(1));
      assertThat(audio(frames))
          .isEqualTo(concat(tone("First request.", 44100), tone("Second.", 44100)));
      ws.send(request("magnus", "Third."));
      List<JsonNode> next = ws.until("complete");
      assertThat(withStatus(next, "chunk")).isNotEmpty();
      List<ServerRecord> sessions = slow.control().sessions();
      assertThat(sessions).hasSize(2);
      assertThat(sessions.get(0).text()).isEqualTo("First request.Second.");
      assertThat(sessions.get(0).completed()).isTrue();
      assertThat(sessions.get(1).connection()).isEqualTo(sessions.get(0).connection());
    }
  }

  @Test
  @DisplayName("without an override the client's complete_backoff_ms is honoured")
  void clientBackoff() {
    try (SmallestEmulator plain = SmallestEmulator.start(EmulatorConfig.defaults());
        WsProbe ws = connect(plain)) {
      ObjectNode rq = request("magnus", "Quick.");
      rq.put("complete_backoff_ms", 0);
      ws.send(rq);
      assertThat(withStatus(ws.until("complete"), "complete")).hasSize(1);
    }
  }

  @Test
  @DisplayName("word_timestamp frames only for the six voices, only when asked, in audio order")
  void wordTimestamps() {
    String text = "Pay $100 now, please.";
    try (WsProbe ws = connect(emulator)) {
      ObjectNode rq = request("liam", text);
      rq.put("word_timestamps", true);
      rq.put("sample_rate", 24000);
      ws.send(rq);
      List<JsonNode> frames = ws.until("complete");
      List<JsonNode> words = withStatus(frames, "word_timestamp");
      assertThat(words)
          .extracting(w -> w.path("data").path("word").asText())
          .containsExactly("Pay", "$100", "now,", "please.");
      assertThat(words)
          .extracting(w -> w.path("data").path("id").asInt())
          .containsExactly(0, 1, 2, 3);
      double previous = -1;
      for (JsonNode w : words) {
        JsonNode d = w.path("data");
        assertThat(d.path("start").isDouble() || d.path("start").isInt()).isTrue();
        assertThat(d.path("start").asDouble()).isGreaterThan(previous);
        assertThat(d.path("end").asDouble()).isGreaterThan(d.path("start").asDouble());
        previous = d.path("start").asDouble();
      }
      assertThat(words.get(0).path("data").path("start").asDouble()).isEqualTo(0.0);
      // 60 ms per character: "please." starts at character 14
      assertThat(words.get(3).path("data").path("start").asDouble()).isEqualTo(0.84);
      // interleaved: the first word frame comes before the last chunk
      int firstWord = frames.indexOf(words.get(0));
      int lastChunk =
          frames.lastIndexOf(
              withStatus(frames, "chunk").get(withStatus(frames, "chunk").size() - 1));
      assertThat(firstWord).isLessThan(lastChunk);

      // a second request on the socket restarts its timestamps near 0
      ws.send(rq);
      List<JsonNode> again = withStatus(ws.until("complete"), "word_timestamp");
      assertThat(again.get(0).path("data").path("start").asDouble()).isEqualTo(0.0);

      ObjectNode other = request("magnus", text);
      other.put("word_timestamps", true);
      ws.send(other);
      assertThat(withStatus(ws.until("complete"), "word_timestamp")).isEmpty();

      ws.send(request("liam", text));
      assertThat(withStatus(ws.until("complete"), "word_timestamp")).isEmpty();
    }
  }

  @Test
  @DisplayName("external_session_id / external_request_id echo the client's ids")
  void externalIds() {
    try (WsProbe ws = connect(emulator)) {
      ObjectNode rq = request("magnus", "Echo.");
      rq.put("session_id", "my-session-123");
      rq.put("request_id", "my.request_456");
      ws.send(rq);
      List<JsonNode> frames = ws.until("complete");
      for (JsonNode c : withStatus(frames, "chunk")) {
        assertThat(c.path("external_session_id").asText()).isEqualTo("my-session-123");
        assertThat(c.path("external_request_id").asText()).isEqualTo("my.request_456");
        assertThat(c.path("request_id").asText()).startsWith("task_");
      }
      ObjectNode only = request("magnus", "Echo.");
      only.put("request_id", "r1");
      ws.send(only);
      for (JsonNode c : withStatus(ws.until("complete"), "chunk")) {
        assertThat(c.has("external_session_id")).isFalse();
        assertThat(c.path("external_request_id").asText()).isEqualTo("r1");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"voice_id\":\"magnus\",\"text\":\"x\",\"speed\":2.5}",
        "{\"voice_id\":\"magnus\",\"text\":\"x\",\"speed\":0.4}",
        "{\"voice_id\":\"magnus\",\"text\":\"x\",\"sample_rate\":22050}",
        "{\"voice_id\":\"magnus\",\"text\":\"x\",\"session_id\":\"bad id!\"}",
        "{\"voice_id\":\"magnus\",\"text\":\"x\",\"max_buffer_flush_ms\":1001}",
        "{\"voice_id\":\"magnus\",\"text\":\"x\",\"complete_backoff_ms\":10001}",
        "{\"voice_id\":\"magnus\",\"text\":\"x\",\"model\":\"lightning-v2\"}",
        "{\"voice_id\":\"magnus\",\"text\":\"x\",\"output_format\":\"flac\"}",
        "{\"text\":\"x\"}",
        "{\"voice_id\":\"magnus\"}",
        "{\"flush\":true}",
        "not json"
      })
  @DisplayName("invalid messages get an error frame and the socket stays usable")
  void validation(String message) {
    try (WsProbe ws = connect(emulator)) {
      ws.send(message);
      JsonNode error = ws.nextJson();
      assertThat(error.path("status").asText()).isEqualTo("error");
      assertThat(error.path("message").asText()).isNotBlank();
      assertThat(error.has("error")).isFalse();
      ws.send(request("magnus", "ok"));
      assertThat(withStatus(ws.until("complete"), "chunk")).isNotEmpty();
    }
  }

  @Test
  @DisplayName("request_id longer than 128 characters is an error")
  void longId() {
    try (WsProbe ws = connect(emulator)) {
      ObjectNode rq = request("magnus", "x");
      rq.put("request_id", "a".repeat(129));
      ws.send(rq);
      assertThat(ws.nextJson().path("message").asText()).contains("request_id");
      rq.put("request_id", "a".repeat(128));
      ws.send(rq);
      assertThat(withStatus(ws.until("complete"), "chunk")).isNotEmpty();
    }
  }

  @Test
  @DisplayName("error shape switch: nested error object with message and code")
  void nestedErrorShape() {
    try (SmallestEmulator nested =
            SmallestEmulator.start(
                EmulatorConfig.defaults(),
                SmallestEmulator.Options.builder()
                    .errorShape(SmallestEmulator.ErrorShape.NESTED)
                    .build());
        WsProbe ws = connect(nested)) {
      ws.send("{\"voice_id\":\"magnus\",\"text\":\"x\",\"speed\":9}");
      JsonNode error = ws.nextJson();
      assertThat(error.path("status").asText()).isEqualTo("error");
      assertThat(error.has("message")).isFalse();
      assertThat(error.path("error").path("message").asText()).contains("speed");
      assertThat(error.path("error").path("code").asInt()).isEqualTo(400);
    }
  }

  @Test
  @DisplayName("legacy complete shape switch and close-after-complete switch")
  void legacyCompleteAndClose() {
    try (SmallestEmulator legacy =
            SmallestEmulator.start(
                EmulatorConfig.defaults(),
                SmallestEmulator.Options.builder()
                    .completeBackoffOverride(Duration.ZERO)
                    .legacyComplete(true)
                    .closeAfterComplete(true)
                    .build());
        WsProbe ws = connect(legacy)) {
      ws.send(request("magnus", "Bye."));
      List<JsonNode> all = ws.until("complete");
      JsonNode c = all.get(all.size() - 1);
      assertThat(c.path("message").asText()).isEqualTo("All chunks sent");
      assertThat(c.path("done").asBoolean()).isTrue();
      assertThat(ws.next()).isEqualTo(new WsProbe.Closed(1000, "complete"));
    }
  }

  @Test
  @DisplayName("?timeout=N closes an idle socket after the documented error frame")
  void idleTimeout() {
    URI uri = URI.create(emulator.webSocketUrl() + "?timeout=1");
    try (WsProbe ws = WsProbe.connect(http, uri, "test-key")) {
      JsonNode error = ws.nextJson();
      assertThat(error.path("status").asText()).isEqualTo("error");
      assertThat(error.path("message").asText())
          .isEqualTo("Connection timed out after 1 seconds of inactivity");
      assertThat(ws.next()).isInstanceOf(WsProbe.Closed.class);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> emulator.control().openConnections() == 0);
  }

  @Test
  @DisplayName("the upgrade is refused with 401 for a missing or unknown key")
  void unauthorized() {
    for (String key : new String[] {null, "wrong-key"}) {
      assertThatThrownBy(() -> WsProbe.connect(http, emulator.webSocketUrl(), key))
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }
    assertThat(emulator.control().sessions()).isEmpty();
  }

  @Test
  @DisplayName("speed scales the audio length; output_format ulaw is honoured on the socket")
  void speedAndFormat() {
    try (WsProbe ws = connect(emulator)) {
      ObjectNode rq = request("magnus", "Faster");
      rq.put("speed", 2.0);
      rq.put("sample_rate", 8000);
      ws.send(rq);
      assertThat(audio(ws.until("complete"))).hasSize(tone("Faster", 8000).length / 2);
      ObjectNode mu = request("magnus", "Mu");
      mu.put("output_format", "ulaw");
      mu.put("sample_rate", 8000);
      ws.send(mu);
      assertThat(audio(ws.until("complete"))).hasSize(tone("Mu", 8000).length / 2);
    }
  }

  @Test
  @DisplayName("open connections are counted and released")
  void connectionsCounted() {
    Consumer<WsProbe> use =
        ws -> {
          ws.send(request("magnus", "a"));
          ws.until("complete");
        };
    try (WsProbe a = connect(emulator);
        WsProbe b = connect(emulator)) {
      use.accept(a);
      use.accept(b);
      await().atMost(Duration.ofSeconds(5)).until(() -> emulator.control().openConnections() == 2);
      assertThat(emulator.control().connectionsAccepted()).isEqualTo(2);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> emulator.control().openConnections() == 0);
  }

  @Test
  @DisplayName("the realistic Smallest profile paces frames but delivers the same audio")
  void realisticProfile() {
    assertThat(SmallestEmulator.SMALLEST_PROFILE.pace()).isEqualTo(1.0);
    EmulatorConfig config =
        EmulatorConfig.builder().profile(SmallestEmulator.SMALLEST_PROFILE).build();
    try (SmallestEmulator real =
            SmallestEmulator.start(
                config,
                SmallestEmulator.Options.builder().completeBackoffOverride(Duration.ZERO).build());
        WsProbe ws = connect(real)) {
      ObjectNode rq = request("avery", "Hi there.");
      rq.put("word_timestamps", true);
      ws.send(rq);
      List<JsonNode> frames = ws.until("complete");
      assertThat(audio(frames)).isEqualTo(tone("Hi there.", 44100));
      assertThat(withStatus(frames, "word_timestamp")).hasSize(2);
      assertThat(real.control().lastSession().audioSha256()).isEqualTo(sha256(audio(frames)));
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
