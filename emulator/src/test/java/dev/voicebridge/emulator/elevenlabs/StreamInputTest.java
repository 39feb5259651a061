package dev.voicebridge.emulator.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.TapRecorder;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ElevenLabs emulator: stream-input WebSocket")
class StreamInputTest {
  static final String KEY = "test-key";
  static final String INIT =
      "{\"text\":\" \",\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.8},"
          + "\"generation_config\":{\"chunk_length_schedule\":[120,160,250,290]}}";
  static final Duration QUIET = Duration.ofMillis(300);

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

  static URI uri(String query) {
    return URI.create(
        emu.webSocketBaseUrl()
            + "/v1/text-to-speech/voice1/stream-input?model_id=eleven_flash_v2_5&output_format=pcm_16000"
            + (query.isEmpty() ? "" : "&" + query));
  }

  static RawWs open(String query) throws Exception {
    return RawWs.connect(uri(query), Map.of("xi-api-key", KEY));
  }

  static String text(String t) throws Exception {
    return RawWs.JSON.writeValueAsString(Map.of("text", t));
  }

  /** Words of 5 letters plus a space: n words = 6n characters. */
  static String words(int n, char letter) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.valueOf(letter).repeat(5)).append(' ');
    }
    return sb.toString();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  @DisplayName(
      "with the default schedule no audio comes before 120 characters, and audio comes right after")
  void defaultSchedule() throws Exception {
    try (RawWs ws = open("")) {
      ws.send(INIT);
      String first = words(17, 'a'); // 102 chars
      ws.send(text(first));
      assertThat(ws.poll(QUIET)).as("no audio below 120 characters").isNull();
      String second = words(4, 'b'); // 126 in all
      ws.send(text(second));
      JsonNode audio = ws.nextJson();
      assertThat(audio.get("audio").asText()).isNotEmpty();
      assertThat(audio.get("isFinal").isNull()).isTrue();
      ws.send(text(""));
      List<JsonNode> frames = new java.util.ArrayList<>(List.of(audio));
      List<RawWs.Event> rest = ws.untilClose();
      frames.addAll(RawWs.audio(rest));
      // one generation holding both messages: the first was not generated on its own
      assertThat(RawWs.generations(frames)).containsExactly(first + second);
      assertThat(rest.get(rest.size() - 1)).isEqualTo(new RawWs.Close(1000, ""));
    }
  }

  @Test
  @DisplayName("an incomplete last word is held until more text arrives")
  void heldPartialWord() throws Exception {
    try (RawWs ws = open("")) {
      ws.send(INIT);
      String complete = words(21, 'c'); // 126 chars
      ws.send(text(complete + "incompl"));
      ws.send(text("ete "));
      ws.send("{\"text\":\"tail \",\"flush\":true}");
      ws.send(text(""));
      List<RawWs.Event> events = ws.untilClose();
      assertThat(RawWs.generations(RawWs.audio(events)))
          .containsExactly(complete, "incomplete tail ");
    }
  }

  @Test
  @DisplayName("isFinal comes only after {\"text\": \"\"}, followed by a close with 1000")
  void finalOnlyAfterEndOfInput() throws Exception {
    try (RawWs ws = open("")) {
      ws.send(INIT);
      ws.send("{\"text\":\"Hello world. \",\"flush\":true}");
      List<JsonNode> frames = new java.util.ArrayList<>();
      while (!String.join("", RawWs.generations(frames)).equals("Hello world. ")) {
        JsonNode f = ws.nextJson();
        assertThat(f.get("isFinal").isNull()).as("isFinal on audio frames").isTrue();
        frames.add(f);
      }
      assertThat(ws.poll(QUIET)).as("nothing after the flushed audio").isNull();
      ws.send(text(""));
      assertThat(ws.nextJson().get("isFinal").asBoolean()).isTrue();
      assertThat(ws.next()).isEqualTo(new RawWs.Close(1000, ""));
      ServerRecord r = emu.control().lastSession();
      assertThat(r.completed()).isTrue();
      assertThat(r.finished()).isTrue();
      assertThat(r.flushes()).isEqualTo(1);
      assertThat(r.text()).isEqualTo("Hello world. ");
    }
  }

  @Test
  @DisplayName("auto_mode generates audio for every message")
  void autoMode() throws Exception {
    try (RawWs ws = open("auto_mode=true")) {
      ws.send(INIT);
      ws.send(text("Hi "));
      JsonNode f = ws.nextJson();
      assertThat(RawWs.chars(f.get("normalizedAlignment"))).isEqualTo(" Hi ");
      assertThat(RawWs.chars(f.get("alignment"))).isEqualTo("Hi ");
    }
  }

  @Test
  @DisplayName("flush generates the buffered text at once")
  void flush() throws Exception {
    try (RawWs ws = open("")) {
      ws.send(INIT);
      ws.send("{\"text\":\"Short one \",\"flush\":true}");
      JsonNode f = ws.nextJson();
      assertThat(RawWs.chars(f.get("normalizedAlignment"))).startsWith(" Short");
    }
  }

  @Test
  @DisplayName("try_trigger_generation generates once 50 characters are buffered")
  void tryTrigger() throws Exception {
    try (RawWs ws = open("")) {
      ws.send(INIT);
      ws.send("{\"text\":\"" + words(7, 'd') + "\",\"try_trigger_generation\":true}"); // 42
      assertThat(ws.poll(QUIET)).as("no audio below 50 characters").isNull();
      ws.send("{\"text\":\"" + words(2, 'e') + "\",\"try_trigger_generation\":true}"); // 54
      JsonNode f = ws.nextJson();
      assertThat(f.hasNonNull("audio")).isTrue();
    }
  }

  @Test
  @DisplayName("inactivity_timeout: input_timeout_exceeded, then close 1008")
  void inactivity() throws Exception {
    try (RawWs ws = open("inactivity_timeout=1")) {
      ws.send(INIT);
      JsonNode err = ws.nextJson();
      assertThat(err.get("error").asText()).isEqualTo("input_timeout_exceeded");
      assertThat(err.get("message").asText()).contains("timeout of 1.0 seconds");
      assertThat(err.get("code").asInt()).isEqualTo(1008);
      assertThat(((RawWs.Close) ws.next()).code()).isEqualTo(1008);
    }
  }

  @Test
  @DisplayName("a changed voice_settings closes with 1008; an identical one is accepted")
  void voiceSettingsChange() throws Exception {
    try (RawWs ws = open("")) {
      ws.send(INIT);
      ws.send(
          "{\"text\":\"same \",\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.8}}");
      ws.send("{\"text\":\"changed \",\"voice_settings\":{\"stability\":0.9}}");
      RawWs.Close c = (RawWs.Close) ws.next();
      assertThat(c.code()).isEqualTo(1008);
      assertThat(c.reason()).startsWith("voice_settings field must be provided");
    }
  }

  @Test
  @DisplayName("the key is accepted from the header, xi_api_key and xi-api-key; frames are masked")
  void keys() throws Exception {
    for (String field : List.of("xi_api_key", "xi-api-key")) {
      try (RawWs ws = RawWs.connect(uri(""), Map.of())) {
        ws.send("{\"text\":\" \",\"" + field + "\":\"" + KEY + "\"}");
        ws.send("{\"text\":\"Keyed. \",\"flush\":true}");
        ws.send(text(""));
        List<RawWs.Event> events = ws.untilClose();
        assertThat(RawWs.audio(events)).isNotEmpty();
        assertThat(events.get(events.size() - 1)).isEqualTo(new RawWs.Close(1000, ""));
        ServerRecord r = emu.control().lastSession();
        assertThat(r.frames().get(0)).contains("\"" + field + "\":\"****\"").doesNotContain(KEY);
      }
    }
    try (RawWs ws = open("")) {
      ws.send(INIT);
      ws.send(text(""));
      assertThat(ws.nextJson().get("isFinal").asBoolean()).isTrue();
      assertThat(emu.control().lastSession().headers().get("xi-api-key")).containsExactly(KEY);
    }
  }

  @Test
  @DisplayName("a bad or missing key: invalid_api_key, then close 1008")
  void badKey() throws Exception {
    for (Map<String, String> h : List.of(Map.of("xi-api-key", "wrong"), Map.<String, String>of())) {
      try (RawWs ws = RawWs.connect(uri(""), h)) {
        ws.send(INIT);
        JsonNode err = ws.nextJson();
        assertThat(err.get("error").asText()).isEqualTo("invalid_api_key");
        assertThat(err.get("message").asText()).isEqualTo("Invalid API key");
        assertThat(((RawWs.Close) ws.next()).code()).isEqualTo(1008);
      }
    }
  }

  @Test
  @DisplayName("the no-quota key and the unknown voice get their errors, then 1008")
  void quotaAndVoice() throws Exception {
    try (RawWs ws = RawWs.connect(uri(""), Map.of("xi-api-key", "no-quota-key"))) {
      ws.send(INIT);
      assertThat(ws.nextJson().get("error").asText()).isEqualTo("quota_exceeded");
      assertThat(((RawWs.Close) ws.next()).code()).isEqualTo(1008);
    }
    URI unknown = URI.create(uri("").toString().replace("/voice1/", "/unknown-voice/"));
    try (RawWs ws = RawWs.connect(unknown, Map.of("xi-api-key", KEY))) {
      ws.send(INIT);
      assertThat(ws.nextJson().get("error").asText()).isEqualTo("voice_id_does_not_exist");
      assertThat(((RawWs.Close) ws.next()).code()).isEqualTo(1008);
    }
  }

  @Test
  @DisplayName("an unparsable message: invalid_input_message, then close 1008")
  void unparsable() throws Exception {
    try (RawWs ws = open("")) {
      ws.send(INIT);
      ws.send("{\"text\":\"x\",\"xi-api-key\":\"" + KEY + "\"");
      assertThat(ws.nextJson().get("error").asText()).isEqualTo("invalid_input_message");
      assertThat(((RawWs.Close) ws.next()).code()).isEqualTo(1008);
      assertThat(emu.control().lastSession().frames().get(1)).contains("****").doesNotContain(KEY);
    }
  }

  @Test
  @DisplayName("eleven_v3 and an unknown output_format are refused at the handshake with 403")
  void refusedHandshakes() {
    for (String q : List.of("model_id=eleven_v3", "output_format=flac_44100")) {
      URI u = URI.create(emu.webSocketBaseUrl() + "/v1/text-to-speech/voice1/stream-input?" + q);
      assertThatThrownBy(() -> RawWs.connect(u, Map.of("xi-api-key", KEY)))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    }
  }

  @Test
  @DisplayName("alignment is per chunk in integer ms, and the record's digest matches the audio")
  void alignmentAndDigest() throws Exception {
    try (RawWs ws = open("")) {
      ws.send(INIT);
      String t = "One two three four five six seven. ";
      ws.send(text(t));
      ws.send(text(""));
      List<JsonNode> frames = RawWs.audio(ws.untilClose());
      assertThat(RawWs.generations(frames)).containsExactly(t);
      for (JsonNode f : frames) {
        JsonNode a = f.get("alignment");
        assertThat(a.get("charStartTimesMs").get(0).asLong()).isZero();
        long audioMs = Base64Len.millis(f.get("audio").asText(), 16000);
        long end = 0;
        for (int i = 0; i < a.get("chars").size(); i++) {
          end =
              a.get("charStartTimesMs").get(i).asLong() + a.get("charDurationsMs").get(i).asLong();
        }
        assertThat(end).isBetween(audioMs - 1, audioMs + 1);
        assertThat(RawWs.chars(a)).endsWith(" ");
        assertThat(RawWs.chars(f.get("normalizedAlignment"))).endsWith(" ");
      }
      byte[] audio = RawWs.bytes(frames);
      ServerRecord r = emu.control().lastSession();
      assertThat(r.audioSha256()).isEqualTo(sha256(audio));
      assertThat(r.audioBytesSent()).isEqualTo(audio.length);
      assertThat(TAP.sha256()).isEqualTo(r.audioSha256());
      assertThat(TAP.vendors()).containsExactly("elevenlabs");
      assertThat(r.audioFramesSent()).isEqualTo(frames.size());
      assertThat(r.text()).isEqualTo(t);
    }
  }

  @Test
  @DisplayName("the default output format is MP3; the held encoder tail comes before isFinal")
  void mp3ByDefault() throws Exception {
    URI u = URI.create(emu.webSocketBaseUrl() + "/v1/text-to-speech/voice1/stream-input");
    try (RawWs ws = RawWs.connect(u, Map.of("xi-api-key", KEY))) {
      ws.send(INIT);
      ws.send("{\"text\":\"An mp3 sentence. \",\"flush\":true}");
      ws.send(text(""));
      List<RawWs.Event> events = ws.untilClose();
      byte[] audio = RawWs.bytes(RawWs.audio(events));
      // an MPEG audio frame sync somewhere at the start (LAME may begin with a tag frame)
      assertThat(audio.length).isGreaterThan(100);
      assertThat(audio[0] & 0xFF).isEqualTo(0xFF);
      assertThat(audio[1] & 0xE0).isEqualTo(0xE0);
      JsonNode fin = ((RawWs.Text) events.get(events.size() - 2)).json();
      assertThat(fin.get("isFinal").asBoolean()).isTrue();
      assertThat(emu.control().lastSession().audioSha256()).isEqualTo(sha256(audio));
    }
  }

  @Test
  @DisplayName("a paced profile delivers the same frames, in order")
  void pacedProfile() throws Exception {
    EmulatorConfig cfg =
        EmulatorConfig.builder()
            .profile(
                new dev.voicebridge.emulator.LatencyProfile(
                    Duration.ofMillis(20), 8.0, Duration.ofMillis(5)))
            .build();
    try (ElevenLabsEmulator paced = ElevenLabsEmulator.start(cfg)) {
      URI u =
          URI.create(
              paced.webSocketBaseUrl()
                  + "/v1/text-to-speech/voice1/stream-input?output_format=ulaw_8000");
      try (RawWs ws = RawWs.connect(u, Map.of("xi-api-key", KEY))) {
        ws.send(INIT);
        String t = "Paced audio arrives in order. ";
        ws.send("{\"text\":\"" + t + "\",\"flush\":true}");
        ws.send(text(""));
        List<RawWs.Event> events = ws.untilClose();
        List<JsonNode> frames = RawWs.audio(events);
        assertThat(RawWs.generations(frames)).containsExactly(t);
        // the generation is spoken with its leading space: one character more
        assertThat(RawWs.bytes(frames)).hasSize((t.length() + 1) * 8000 * 60 / 1000);
        assertThat(events.get(events.size() - 1)).isEqualTo(new RawWs.Close(1000, ""));
      }
    }
  }

  @Test
  @DisplayName("ElevenLabsEmulator.REALISTIC is a flash-like profile in real time")
  void realisticProfile() {
    assertThat(ElevenLabsEmulator.REALISTIC.firstAudio())
        .isBetween(Duration.ofMillis(75), Duration.ofMillis(300));
    assertThat(ElevenLabsEmulator.REALISTIC.pace()).isEqualTo(1.0);
  }

  /** Duration of base64 PCM16 mono. */
  static final class Base64Len {
    static long millis(String b64, int rate) {
      int bytes = java.util.Base64.getDecoder().decode(b64).length;
      return Math.round(bytes / 2 * 1000.0 / rate);
    }
  }
}
