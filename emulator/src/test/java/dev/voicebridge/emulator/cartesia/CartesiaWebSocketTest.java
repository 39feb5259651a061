package dev.voicebridge.emulator.cartesia;

import static dev.voicebridge.emulator.cartesia.WsClient.cancel;
import static dev.voicebridge.emulator.cartesia.WsClient.flush;
import static dev.voicebridge.emulator.cartesia.WsClient.of;
import static dev.voicebridge.emulator.cartesia.WsClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.net.http.WebSocketHandshakeException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cartesia emulator: the /tts/websocket")
class CartesiaWebSocketTest {
  static final String KEY = "test-key";
  static final Map<String, String> AUTH =
      Map.of("Authorization", "Bearer " + KEY, "Cartesia-Version", "2026-08-14");

  /** Long enough for a frame that would come to come (the server holds text for 5 s). */
  static final Duration QUIET = Duration.ofMillis(300);

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

  static WsClient open() throws Exception {
    return WsClient.connect(emu.baseUrl(), "", AUTH);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** The PCM16 bytes the tone voice makes for {@code chars} characters at 16 kHz. */
  static int toneBytes(int chars) {
    return chars * Voice.TONE_MILLIS_PER_CHAR * 16 * 2;
  }

  static Map<String, String> notes(String contextId) {
    return emu.control().sessionNotes().stream()
        .filter(n -> contextId.equals(n.get("context_id")))
        .findFirst()
        .orElseThrow();
  }

  static ServerRecord record(String contextId) {
    List<ServerRecord> all = emu.control().sessions();
    List<Map<String, String>> notes = emu.control().sessionNotes();
    for (int i = 0; i < all.size(); i++) {
      if (contextId.equals(notes.get(i).get("context_id"))) {
        return all.get(i);
      }
    }
    throw new AssertionError("no record of " + contextId);
  }

  // ---------------------------------------------------------------- messages and frames

  @Test
  @DisplayName("push, flush, push, end: chunks by flush id, flush_done, done; the record matches")
  void pushFlushPushEnd() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("c1", "Hello ", true));
      ws.send(flush("c1"));
      ws.send(request("c1", "world.", true));
      ws.send(request("c1", "", false));
      List<JsonNode> frames = ws.untilEnd("c1");
      List<String> types = frames.stream().map(j -> j.get("type").asText()).distinct().toList();
      assertThat(types).containsExactly("chunk", "flush_done", "done");
      int flushDone = indexOf(frames, "flush_done");
      assertThat(frames.get(flushDone).get("flush_id").asInt()).isEqualTo(1);
      assertThat(frames.get(flushDone).get("flush_done").asBoolean()).isTrue();
      assertThat(frames.get(flushDone).get("done").asBoolean()).isFalse();
      assertThat(frames.subList(0, flushDone))
          .allSatisfy(j -> assertThat(j.get("flush_id").asInt()).isEqualTo(1));
      assertThat(frames.subList(flushDone + 1, frames.size() - 1))
          .isNotEmpty()
          .allSatisfy(j -> assertThat(j.get("flush_id").asInt()).isEqualTo(2));
      JsonNode done = frames.get(frames.size() - 1);
      assertThat(done.get("done").asBoolean()).isTrue();
      assertThat(done.get("status_code").asInt()).isEqualTo(206);
      assertThat(frames).allSatisfy(j -> assertThat(j.get("context_id").asText()).isEqualTo("c1"));
      byte[] audio = WsClient.audio(frames);
      assertThat(audio.length).isEqualTo(toneBytes("Hello world.".length()));

      ServerRecord r = record("c1");
      assertThat(r.text()).isEqualTo("Hello world.");
      assertThat(r.textMessages()).isEqualTo(2);
      assertThat(r.flushes()).isEqualTo(1);
      assertThat(r.finished()).isTrue();
      assertThat(r.completed()).isTrue();
      assertThat(r.frames()).hasSize(4);
      assertThat(r.audioSha256()).isEqualTo(sha256(audio));
      assertThat(r.headers().get("cartesia-version")).containsExactly("2026-08-14");
      assertThat(notes("c1"))
          .containsEntry("generation.1", "Hello ")
          .containsEntry("generation.2", "world.")
          .containsEntry("auth", "authorization")
          .containsEntry("model", "sonic-3");
    }
  }

  private static int indexOf(List<JsonNode> frames, String type) {
    for (int i = 0; i < frames.size(); i++) {
      if (frames.get(i).get("type").asText().equals(type)) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " in " + frames);
  }

  @Test
  @DisplayName(
      "a chunk carries base64 audio, done false, status 206, step_time, context and flush id")
  void chunkShape() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("shape", "Hi.", false));
      JsonNode chunk = ws.nextJson();
      assertThat(chunk.get("type").asText()).isEqualTo("chunk");
      assertThat(chunk.get("done").asBoolean()).isFalse();
      assertThat(chunk.get("status_code").asInt()).isEqualTo(206);
      assertThat(chunk.get("step_time").isNumber()).isTrue();
      assertThat(chunk.get("context_id").asText()).isEqualTo("shape");
      assertThat(chunk.get("flush_id").asInt()).isEqualTo(1);
      // 100 ms of audio per chunk (EmulatorConfig.frameMillis), the rest in the last one
      assertThat(java.util.Base64.getDecoder().decode(chunk.get("data").asText()).length)
          .isEqualTo(1600 * 2);
      List<JsonNode> rest = ws.untilEnd("shape");
      assertThat(rest).extracting(j -> j.get("type").asText()).containsExactly("chunk", "done");
      assertThat(WsClient.audio(List.of(chunk, rest.get(0))).length).isEqualTo(toneBytes(3));
    }
  }

  @Test
  @DisplayName("word timestamps follow the chunks that hold the words, in seconds across flushes")
  void wordTimestamps() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("t", "Hello ", true).put("add_timestamps", true));
      ws.send(flush("t").put("add_timestamps", true));
      ws.send(request("t", "big world.", false).put("add_timestamps", true));
      List<JsonNode> frames = ws.untilEnd("t");
      List<String> words = new ArrayList<>();
      List<Double> starts = new ArrayList<>();
      List<Double> ends = new ArrayList<>();
      long audioBytes = 0;
      for (JsonNode f : frames) {
        if (f.get("type").asText().equals("chunk")) {
          audioBytes += java.util.Base64.getDecoder().decode(f.get("data").asText()).length;
        }
        if (f.get("type").asText().equals("timestamps")) {
          JsonNode w = f.get("word_timestamps");
          double heard = audioBytes / 2.0 / 16000;
          for (int i = 0; i < w.get("words").size(); i++) {
            words.add(w.get("words").get(i).asText());
            starts.add(w.get("start").get(i).asDouble());
            ends.add(w.get("end").get(i).asDouble());
            assertThat(w.get("end").get(i).asDouble())
                .as("a word's timestamps come after the audio that holds it")
                .isLessThanOrEqualTo(heard + 1e-9);
          }
        }
      }
      assertThat(words).containsExactly("Hello", "big", "world.");
      // 60 ms per character, the time base is the context's audio (the second generation
      // starts after "Hello ")
      assertThat(starts).containsExactly(0.0, 0.36, 0.6);
      assertThat(ends).containsExactly(0.3, 0.54, 0.96);
      assertThat(of(frames, "timestamps", "t"))
          .extracting(j -> j.get("flush_id").asInt())
          .containsExactly(1, 2, 2); // "Hello"; "big" after its chunk; "world." after the last
      assertThat(of(frames, "phoneme_timestamps", null)).as("not asked for").isEmpty();
    }
  }

  @Test
  @DisplayName("phoneme timestamps when asked: one stand-in phoneme per letter")
  void phonemeTimestamps() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("p", "Ab cd", false).put("add_phoneme_timestamps", true));
      List<JsonNode> frames = ws.untilEnd("p");
      List<JsonNode> ph = of(frames, "phoneme_timestamps", "p");
      assertThat(ph).isNotEmpty();
      List<String> phonemes = new ArrayList<>();
      ph.forEach(
          j -> j.get("phoneme_timestamps").get("phonemes").forEach(x -> phonemes.add(x.asText())));
      assertThat(phonemes).containsExactly("a", "b", "c", "d");
      assertThat(of(frames, "timestamps", null)).isEmpty();
    }
  }

  @Test
  @DisplayName("contexts are multiplexed: frames routed by context_id, one record each")
  void multiplexed() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("a", "First context ", true));
      ws.send(request("b", "Second one ", true));
      ws.send(request("a", "ends here.", false));
      ws.send(request("b", "too.", false));
      List<JsonNode> frames = new ArrayList<>();
      int dones = 0;
      while (dones < 2) {
        JsonNode j = ws.nextJson();
        frames.add(j);
        if (j.get("type").asText().equals("done")) {
          dones++;
        }
      }
      assertThat(of(frames, "done", null))
          .extracting(j -> j.get("context_id").asText())
          .containsExactlyInAnyOrder("a", "b");
      byte[] a = WsClient.audio(of(frames, "chunk", "a"));
      byte[] b = WsClient.audio(of(frames, "chunk", "b"));
      assertThat(a.length).isEqualTo(toneBytes("First context ends here.".length()));
      assertThat(b.length).isEqualTo(toneBytes("Second one too.".length()));
      assertThat(record("a").text()).isEqualTo("First context ends here.");
      assertThat(record("b").text()).isEqualTo("Second one too.");
      assertThat(record("a").audioSha256()).isEqualTo(sha256(a));
      assertThat(record("b").audioSha256()).isEqualTo(sha256(b));
      assertThat(record("a").connection()).isEqualTo(record("b").connection());
    }
  }

  @Test
  @DisplayName("an empty context ends with done and no audio")
  void emptyContext() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("e", "", false));
      assertThat(ws.nextJson().get("type").asText()).isEqualTo("done");
      assertThat(record("e").completed()).isTrue();
      assertThat(record("e").audioFramesSent()).isZero();
    }
  }

  // ---------------------------------------------------------------- the buffering rule

  @Test
  @DisplayName("max_buffer_delay_ms: text is held until a sentence ends, the rest until the end")
  void bufferHoldsUntilASentenceEnds() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("buf", "Hello", true).put("max_buffer_delay_ms", 5000));
      assertThat(ws.poll(QUIET)).as("an unfinished sentence is held").isNull();
      ws.send(request("buf", " there. And", true).put("max_buffer_delay_ms", 5000));
      JsonNode first = ws.nextJson();
      assertThat(first.get("type").asText()).isEqualTo("chunk");
      ws.send(request("buf", " more", false).put("max_buffer_delay_ms", 5000));
      List<JsonNode> frames = ws.untilEnd("buf");
      frames.add(0, first);
      assertThat(WsClient.audio(frames).length)
          .isEqualTo(toneBytes("Hello there. And more".length()));
      assertThat(notes("buf"))
          .containsEntry("generation.1", "Hello there. ")
          .containsEntry("generation.2", "And more");
    }
  }

  @Test
  @DisplayName("max_buffer_delay_ms: text without a sentence end goes out when the delay elapses")
  void bufferDelayElapses() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("late", "No full stop", true).put("max_buffer_delay_ms", 50));
      List<JsonNode> frames = new ArrayList<>();
      while (WsClient.audio(frames).length < toneBytes("No full stop".length())) {
        JsonNode j = ws.nextJson();
        assertThat(j.get("type").asText()).isEqualTo("chunk");
        frames.add(j);
      }
      assertThat(notes("late")).containsEntry("generation.1", "No full stop");
    }
  }

  @Test
  @DisplayName("max_buffer_delay_ms 0: every message is generated as it comes")
  void zeroDelay() throws Exception {
    try (WsClient ws = open()) {
      ws.send(request("z", "one", true));
      ws.send(request("z", " two", false));
      ws.untilEnd("z");
      assertThat(notes("z"))
          .containsEntry("generation.1", "one")
          .containsEntry("generation.2", " two");
    }
  }

  @Test
  @DisplayName("the option flushDoneOnEverySubmission: a flush_done after every message (delay 0)")
  void flushDoneOnEverySubmission() throws Exception {
    try (CartesiaEmulator e =
            CartesiaEmulator.start(
                EmulatorConfig.defaults(),
                CartesiaEmulator.Options.builder().flushDoneOnEverySubmission(true).build());
        WsClient ws = WsClient.connect(e.baseUrl(), "", AUTH)) {
      ws.send(request("f", "one ", true));
      ws.send(request("f", "two", false));
      List<JsonNode> frames = ws.untilEnd("f");
      assertThat(of(frames, "flush_done", "f"))
          .extracting(j -> j.get("flush_id").asInt())
          .containsExactly(1);
      assertThat(
              of(frames, "chunk", "f")
                  .get(of(frames, "chunk", "f").size() - 1)
                  .get("flush_id")
                  .asInt())
          .isEqualTo(2);
    }
  }

  // ---------------------------------------------------------------- errors

  @Test
  @DisplayName("errors from 2026-03-01 are structured: error_code, title, message, request_id")
  void structuredErrors() throws Exception {
    try (WsClient ws =
        WsClient.connect(
            emu.baseUrl(),
            "",
            Map.of("Authorization", "Bearer " + KEY, "Cartesia-Version", "2026-03-01"))) {
      ObjectNode bad = request("m", "Hi.", false).put("model_id", "no-such-model");
      bad.putObject("voice").put("mode", "id").put("id", "v1");
      ws.send(bad);
      JsonNode e = ws.nextJson();
      assertThat(e.get("type").asText()).isEqualTo("error");
      assertThat(e.get("done").asBoolean()).isTrue();
      assertThat(e.get("status_code").asInt()).isEqualTo(400);
      assertThat(e.get("error_code").asText()).isEqualTo("model_not_found");
      assertThat(e.get("title").asText()).isNotBlank();
      assertThat(e.get("message").asText()).contains("no-such-model");
      assertThat(e.get("request_id").asText()).contains(":m:");
      assertThat(e.get("context_id").asText()).isEqualTo("m");
      assertThat(e.has("error")).isFalse();
    }
  }

  @Test
  @DisplayName("errors before 2026-03-01 are one string: error = \"Title: Message\"")
  void plainErrors() throws Exception {
    try (WsClient ws =
        WsClient.connect(
            emu.baseUrl(), "", Map.of("X-API-Key", KEY, "Cartesia-Version", "2025-04-16"))) {
      ObjectNode bad = request("m", "Hi.", false).put("model_id", "no-such-model");
      bad.putObject("voice").put("mode", "id").put("id", "v1");
      ws.send(bad);
      JsonNode e = ws.nextJson();
      assertThat(e.get("type").asText()).isEqualTo("error");
      assertThat(e.get("status_code").asInt()).isEqualTo(400);
      assertThat(e.get("error").asText()).startsWith("Invalid model: ").contains("no-such-model");
      assertThat(e.get("context_id").asText()).isEqualTo("m");
      assertThat(e.has("error_code")).isFalse();
      assertThat(e.has("message")).isFalse();
    }
  }

  @Test
  @DisplayName("the voice's shape depends on the version; embeddings are refused")
  void voiceShapes() throws Exception {
    try (WsClient old =
            WsClient.connect(
                emu.baseUrl(),
                "cartesia_version=2025-04-16",
                Map.of("Authorization", "Bearer " + KEY));
        WsClient now = open()) {
      old.send(request("s", "Hi.", false)); // a plain string: not in 2025-04-16
      assertThat(old.nextJson().get("error").asText()).contains("voice");
      ObjectNode ok = request("o", "Hi.", false);
      ok.putObject("voice").put("mode", "id").put("id", "v1");
      old.send(ok);
      assertThat(old.contextFrames("o").get(0).get("type").asText()).isEqualTo("chunk");

      ObjectNode id = request("i", "Hi.", false);
      id.putObject("voice").put("id", "v1");
      now.send(id);
      assertThat(now.contextFrames("i").get(0).get("type").asText()).isEqualTo("chunk");
      ObjectNode emb = request("x", "Hi.", false);
      emb.putObject("voice").put("mode", "embedding").putArray("embedding").add(0.1);
      now.send(emb);
      JsonNode e = now.nextJson();
      assertThat(e.get("error_code").asText()).isEqualTo("invalid_request");
      assertThat(e.get("message").asText()).contains("embedding");
    }
    assertThat(notes("o")).containsEntry("version", "2025-04-16");
  }

  @Test
  @DisplayName("invalid messages get a 400 error frame for their context; the socket stays open")
  void validation() throws Exception {
    List<ObjectNode> bad = new ArrayList<>();
    bad.add(request("v", "Hi.", false).put("max_buffer_delay_ms", 5001));
    bad.add(request("v", "Hi.", false).put("language", "xx"));
    bad.add(request("v", "Hi.", false).put("language", "en").put("locale", "en-GB"));
    bad.add(request("v", "Hi.", false).put("continue", "yes"));
    bad.add(request("v", "Hi.", true).put("flush", true));
    bad.add(request("v", "Hi.", false).put("model_id", "sonic-english"));
    bad.add(request("v", "Hi.", false).put("voice", "unknown-voice"));
    ObjectNode wav = request("v", "Hi.", false);
    wav.putObject("output_format")
        .put("container", "wav")
        .put("encoding", "pcm_s16le")
        .put("sample_rate", 16000);
    bad.add(wav);
    ObjectNode rate = request("v", "Hi.", false);
    ((ObjectNode) rate.get("output_format")).put("sample_rate", 12345);
    bad.add(rate);
    ObjectNode speed = request("v", "Hi.", false);
    speed.putObject("generation_config").put("speed", 1.6);
    bad.add(speed);
    ObjectNode emotion = request("v", "Hi.", false);
    emotion.putObject("generation_config").put("emotion", "Gleeful");
    bad.add(emotion);
    ObjectNode noTranscript = request("v", "Hi.", false);
    noTranscript.remove("transcript");
    bad.add(noTranscript);
    try (WsClient ws = open()) {
      for (int i = 0; i < bad.size(); i++) {
        String id = "v" + i;
        ws.send(bad.get(i).put("context_id", id));
        JsonNode e = ws.nextJson();
        assertThat(e.get("type").asText()).as("%s", bad.get(i)).isEqualTo("error");
        assertThat(e.get("status_code").asInt()).isEqualTo(400);
        assertThat(e.get("context_id").asText()).isEqualTo(id);
      }
      assertThat(notes("v5")).containsEntry("context_id", "v5");
      ObjectNode fine = request("ok", "Fine.", false);
      fine.putObject("generation_config")
          .put("speed", 1.5)
          .put("volume", 0.5)
          .put("emotion", "Calm");
      ws.send(fine);
      assertThat(ws.contextFrames("ok").get(0).get("type").asText()).isEqualTo("chunk");
    }
    assertThat(record("ok").completed()).isTrue();
    assertThat(emu.control().sessions()).hasSize(13);
  }

  @Test
  @DisplayName("input after continue: false, or on an ended context, is an error for that context")
  void lateInput() throws Exception {
    try (CartesiaEmulator e =
            CartesiaEmulator.start(
                EmulatorConfig.defaults().toBuilder()
                    .profile(new LatencyProfile(Duration.ZERO, 1.0, Duration.ZERO))
                    .build());
        WsClient ws = WsClient.connect(e.baseUrl(), "", AUTH)) {
      ws.send(request("late", "Some words to speak.", false));
      ws.send(request("late", "More.", true));
      List<JsonNode> frames = ws.untilEnd("late");
      JsonNode last = frames.get(frames.size() - 1);
      assertThat(last.get("type").asText()).isEqualTo("error");
      assertThat(last.get("message").asText()).contains("continue: false");
      ws.send(request("late", "Again.", true));
      JsonNode again = ws.nextJson();
      assertThat(again.get("type").asText()).isEqualTo("error");
      assertThat(again.get("message").asText()).contains("no longer active");
    }
  }

  @Test
  @DisplayName("a message that is not JSON, or a binary frame, gets an error without context_id")
  void unparseable() throws Exception {
    try (WsClient ws = open()) {
      ws.send("{not json");
      JsonNode e = ws.nextJson();
      assertThat(e.get("type").asText()).isEqualTo("error");
      assertThat(e.get("status_code").asInt()).isEqualTo(400);
      assertThat(e.has("context_id")).isFalse();
      ws.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2}), true).get();
      assertThat(ws.nextJson().get("message").asText()).contains("Binary");
      ws.send(request("after", "Still open.", false));
      assertThat(ws.contextFrames("after").get(0).get("type").asText()).isEqualTo("chunk");
    }
  }

  // ---------------------------------------------------------------- cancel

  /** An emulator pacing its audio at real time, so that there is something left to cancel. */
  static CartesiaEmulator paced(CartesiaEmulator.Options options) {
    return CartesiaEmulator.start(
        EmulatorConfig.defaults().toBuilder()
            .profile(new LatencyProfile(Duration.ZERO, 1.0, Duration.ZERO))
            .build(),
        options);
  }

  @Test
  @DisplayName("cancel (default): nothing more for the context, not even done; its slot is free")
  void cancelDrops() throws Exception {
    try (CartesiaEmulator e =
            paced(CartesiaEmulator.Options.builder().concurrencyLimit(1).build());
        WsClient ws = WsClient.connect(e.baseUrl(), "", AUTH)) {
      ws.send(request("long", "a".repeat(100), true)); // 6 s of audio at real time
      assertThat(ws.nextJson().get("type").asText()).isEqualTo("chunk");
      ws.send(cancel("long"));
      // at most the chunk being sent when the cancel arrived, then nothing
      int after = 0;
      for (WsClient.Event ev = ws.poll(QUIET); ev != null; ev = ws.poll(QUIET)) {
        JsonNode j = ((WsClient.Text) ev).json();
        assertThat(j.get("type").asText()).isEqualTo("chunk");
        after++;
      }
      assertThat(after).isLessThanOrEqualTo(1);
      ws.send(request("next", "Ok.", false));
      assertThat(ws.contextFrames("next").get(0).get("type").asText())
          .as("the cancelled context's slot is free (limit 1)")
          .isEqualTo("chunk");
      ServerRecord r = e.control().sessions().get(0);
      assertThat(r.completed()).isFalse();
      assertThat(e.control().sessionNotes().get(0)).containsEntry("cancelled", "true");
    }
  }

  @Test
  @DisplayName(
      "cancel (FINISH_IN_FLIGHT): held text is dropped, what generates finishes, then done")
  void cancelFinishesInFlight() throws Exception {
    try (CartesiaEmulator e =
            paced(
                CartesiaEmulator.Options.builder()
                    .cancelMode(CartesiaEmulator.CancelMode.FINISH_IN_FLIGHT)
                    .build());
        WsClient ws = WsClient.connect(e.baseUrl(), "", AUTH)) {
      ws.send(request("f", "Spoken now. Held back", true).put("max_buffer_delay_ms", 5000));
      JsonNode first = ws.nextJson();
      ws.send(cancel("f"));
      List<JsonNode> frames = ws.untilEnd("f");
      frames.add(0, first);
      assertThat(frames.get(frames.size() - 1).get("type").asText()).isEqualTo("done");
      assertThat(WsClient.audio(frames).length).isEqualTo(toneBytes("Spoken now. ".length()));
      assertThat(e.control().lastSession().completed()).isTrue();
    }
  }

  // ---------------------------------------------------------------- limits and timeouts

  @Test
  @DisplayName("an idle socket is closed with 1000 after the idle timeout")
  void idleClose() throws Exception {
    try (CartesiaEmulator e =
            CartesiaEmulator.start(
                EmulatorConfig.defaults(),
                CartesiaEmulator.Options.builder().idleTimeout(Duration.ofMillis(200)).build());
        WsClient ws = WsClient.connect(e.baseUrl(), "", AUTH)) {
      ws.send(request("i", "Hi.", false));
      ws.untilEnd("i");
      assertThat(ws.next()).isEqualTo(new WsClient.Close(1000, "idle timeout"));
      await().atMost(Duration.ofSeconds(5)).until(() -> e.control().openConnections() == 0);
    }
  }

  @Test
  @DisplayName("over the concurrency limit a new context gets 429 concurrency_limited")
  void concurrencyLimit() throws Exception {
    try (CartesiaEmulator e =
            CartesiaEmulator.start(
                EmulatorConfig.defaults(),
                CartesiaEmulator.Options.builder().concurrencyLimit(1).build());
        WsClient ws = WsClient.connect(e.baseUrl(), "", AUTH)) {
      ws.send(request("one", "Open.", true));
      ws.send(request("two", "Refused.", true));
      List<JsonNode> frames = ws.untilEnd("two");
      JsonNode err = frames.get(frames.size() - 1);
      assertThat(err.get("status_code").asInt()).isEqualTo(429);
      assertThat(err.get("error_code").asText()).isEqualTo("concurrency_limited");
      ws.send(request("one", "", false));
      ws.untilEnd("one");
      ws.send(request("three", "Now fine.", false));
      assertThat(ws.contextFrames("three").get(0).get("type").asText()).isEqualTo("chunk");
    }
  }

  @Test
  @DisplayName("over the socket cap the upgrade is refused with 429")
  void socketCap() throws Exception {
    try (CartesiaEmulator e =
            CartesiaEmulator.start(
                EmulatorConfig.defaults(),
                CartesiaEmulator.Options.builder().maxSockets(1).build());
        WsClient first = WsClient.connect(e.baseUrl(), "", AUTH)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> e.openSockets.get() == 1);
      assertThatThrownBy(() -> WsClient.connect(e.baseUrl(), "", AUTH))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              x -> assertThat(x.getResponse().statusCode()).isEqualTo(429));
      first.send(request("c", "Still works.", false));
      first.untilEnd("c");
    }
  }

  @Test
  @DisplayName("a context that gets no input expires a while after its audio (option)")
  void contextExpiry() throws Exception {
    try (CartesiaEmulator e =
            CartesiaEmulator.start(
                EmulatorConfig.defaults(),
                CartesiaEmulator.Options.builder().contextExpiry(Duration.ofMillis(100)).build());
        WsClient ws = WsClient.connect(e.baseUrl(), "", AUTH)) {
      ws.send(request("x", "Hi.", true));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> "true".equals(e.control().sessionNotes().get(0).get("expired")));
      ws.send(request("x", "Late.", false));
      List<JsonNode> frames = ws.untilEnd("x");
      assertThat(frames.get(frames.size() - 1).get("message").asText())
          .contains("no longer active");
    }
  }

  // ---------------------------------------------------------------- authentication

  @Test
  @DisplayName("keys: Bearer, X-API-Key, ?api_key=, ?access_token=; the query version wins")
  void authVariants() throws Exception {
    String token = CartesiaHttpTest.token(emu, true);
    record Way(String query, Map<String, String> headers, String method) {}
    List<Way> ways =
        List.of(
            new Way("", Map.of("Authorization", "Bearer " + KEY), "authorization"),
            new Way("", Map.of("X-API-Key", KEY), "x-api-key"),
            new Way("api_key=" + KEY + "&cartesia_version=2026-03-01", Map.of(), "api_key"),
            new Way(
                "access_token=" + token, Map.of("Cartesia-Version", "2024-11-13"), "access_token"),
            new Way("", Map.of("Authorization", "Bearer " + token), "authorization"));
    for (int i = 0; i < ways.size(); i++) {
      Way w = ways.get(i);
      try (WsClient ws = WsClient.connect(emu.baseUrl(), w.query(), w.headers())) {
        ObjectNode rq = request("auth" + i, "Hi.", false);
        rq.putObject("voice").put("mode", "id").put("id", "v1");
        ws.send(rq);
        assertThat(ws.contextFrames("auth" + i).get(0).get("type").asText()).isEqualTo("chunk");
      }
      assertThat(notes("auth" + i)).containsEntry("auth", w.method());
    }
    assertThat(notes("auth2")).containsEntry("version", "2026-03-01");
    assertThat(notes("auth3")).containsEntry("version", "2024-11-13");
    assertThat(notes("auth0")).containsEntry("version-given", "false");
    assertThat(notes("auth3")).containsEntry("version-given", "true");
  }

  @Test
  @DisplayName("a missing or wrong key is refused with 401 at the upgrade, the no-credit key 402")
  void refusedUpgrades() throws Exception {
    for (Map<String, String> h :
        List.of(
            Map.<String, String>of(),
            Map.of("Authorization", "Bearer nope"),
            Map.of("X-API-Key", "nope"))) {
      assertThatThrownBy(() -> WsClient.connect(emu.baseUrl(), "", h))
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              x -> {
                assertThat(x.getResponse().statusCode()).isEqualTo(401);
                assertThat(String.valueOf(x.getResponse().body())).contains("invalid_api_key");
              });
    }
    assertThatThrownBy(
            () -> WsClient.connect(emu.baseUrl(), "", Map.of("X-API-Key", "no-credit-key")))
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            x -> assertThat(x.getResponse().statusCode()).isEqualTo(402));
    assertThatThrownBy(
            () ->
                WsClient.connect(
                    emu.baseUrl(), "cartesia_version=yesterday", Map.of("X-API-Key", KEY)))
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            x -> assertThat(x.getResponse().statusCode()).isEqualTo(400));
    assertThat(emu.control().sessions()).isEmpty();
  }

  @Test
  @DisplayName("without a version the latest is used, and the record says it was missing")
  void missingVersion() throws Exception {
    try (WsClient ws = WsClient.connect(emu.baseUrl(), "", Map.of("X-API-Key", KEY))) {
      ws.send(request("nv", "Hi.", false));
      ws.untilEnd("nv");
    }
    assertThat(notes("nv"))
        .containsEntry("version", Version.LATEST)
        .containsEntry("version-given", "false");
  }
}
