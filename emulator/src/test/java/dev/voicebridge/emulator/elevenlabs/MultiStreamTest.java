package dev.voicebridge.emulator.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ElevenLabs emulator: multi-stream-input WebSocket")
class MultiStreamTest {
  static ElevenLabsEmulator emu;

  @BeforeAll
  static void start() {
    emu = ElevenLabsEmulator.start(EmulatorConfig.defaults());
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @BeforeEach
  void reset() {
    emu.control().reset();
  }

  static RawWs open() throws Exception {
    URI u =
        URI.create(
            emu.webSocketBaseUrl()
                + "/v1/text-to-speech/voice1/multi-stream-input?model_id=eleven_flash_v2_5"
                + "&output_format=pcm_24000");
    return RawWs.connect(u, Map.of("xi-api-key", "test-key"));
  }

  @Test
  @DisplayName("isFinal with contextId comes only after close_context; audio carries contextId")
  void finalAfterCloseContext() throws Exception {
    try (RawWs ws = open()) {
      ws.send("{\"text\":\" \",\"context_id\":\"c1\",\"voice_settings\":{\"stability\":0.5}}");
      ws.send("{\"text\":\"Hello from one. \",\"context_id\":\"c1\",\"flush\":true}");
      List<JsonNode> frames = new ArrayList<>();
      while (!String.join("", RawWs.generations(frames)).equals("Hello from one. ")) {
        JsonNode f = ws.nextJson();
        assertThat(f.get("contextId").asText()).isEqualTo("c1");
        assertThat(f.path("isFinal").asBoolean(false)).isFalse();
        frames.add(f);
      }
      assertThat(ws.poll(StreamInputTest.QUIET)).as("flush alone gives no isFinal").isNull();
      ws.send("{\"context_id\":\"c1\",\"close_context\":true}");
      JsonNode fin = ws.nextJson();
      assertThat(fin.get("isFinal").asBoolean()).isTrue();
      assertThat(fin.get("contextId").asText()).isEqualTo("c1");
      ws.send("{\"close_socket\":true}");
      assertThat(ws.next()).isEqualTo(new RawWs.Close(1000, ""));
      ServerRecord r = emu.control().lastSession();
      assertThat(r.text()).isEqualTo("Hello from one. ");
      assertThat(r.completed()).isTrue();
      assertThat(r.audioSha256()).isEqualTo(StreamInputTest.sha256(RawWs.bytes(frames)));
    }
  }

  @Test
  @DisplayName("the sixth live context closes the socket with max_active_conversations (1008)")
  void sixthContext() throws Exception {
    try (RawWs ws = open()) {
      for (int i = 1; i <= 5; i++) {
        ws.send("{\"text\":\" \",\"context_id\":\"c" + i + "\"}");
      }
      ws.send("{\"text\":\" \",\"context_id\":\"c6\"}");
      JsonNode err = ws.nextJson();
      assertThat(err.get("error").asText()).isEqualTo("max_active_conversations");
      assertThat(((RawWs.Close) ws.next()).code()).isEqualTo(1008);
      assertThat(emu.control().sessions()).hasSize(5);
    }
  }

  @Test
  @DisplayName("a closed context frees its slot after its isFinal; close_socket finalizes the rest")
  void slotFreedAndCloseSocket() throws Exception {
    try (RawWs ws = open()) {
      for (int i = 1; i <= 5; i++) {
        ws.send("{\"text\":\" \",\"context_id\":\"c" + i + "\"}");
      }
      ws.send("{\"context_id\":\"c1\",\"close_context\":true}");
      assertThat(ws.nextJson().get("contextId").asText()).isEqualTo("c1");
      ws.send("{\"text\":\"Six. \",\"context_id\":\"c6\",\"flush\":true}");
      ws.send("{\"close_socket\":true}");
      List<RawWs.Event> events = ws.untilClose();
      List<String> finals = new ArrayList<>();
      for (RawWs.Event e : events) {
        if (e instanceof RawWs.Text t && t.json().path("isFinal").asBoolean(false)) {
          finals.add(t.json().get("contextId").asText());
        }
      }
      assertThat(finals).containsExactlyInAnyOrder("c2", "c3", "c4", "c5", "c6");
      assertThat(events.get(events.size() - 1)).isEqualTo(new RawWs.Close(1000, ""));
      assertThat(RawWs.audio(events))
          .allSatisfy(f -> assertThat(f.get("contextId").asText()).isEqualTo("c6"));
      assertThat(emu.control().sessions())
          .hasSize(6)
          .allSatisfy(r -> assertThat(r.completed()).isTrue());
    }
  }

  @Test
  @DisplayName("a voice_settings change within a context closes the socket with 1008")
  void settingsChange() throws Exception {
    try (RawWs ws = open()) {
      ws.send("{\"text\":\"\",\"context_id\":\"c1\"}");
      ws.send("{\"text\":\" \",\"context_id\":\"c1\",\"voice_settings\":{\"stability\":0.5}}");
      RawWs.Close c = (RawWs.Close) ws.next();
      assertThat(c.code()).isEqualTo(1008);
    }
  }

  @Test
  @DisplayName("the contexts of one socket are generated concurrently, not one after another")
  void contextsConcurrent() throws Exception {
    // paced at twice real time: a context's frames span about a second, so a server that served
    // the contexts one after another would send every c1 frame before the first c2 frame
    EmulatorConfig paced =
        EmulatorConfig.builder()
            .profile(new LatencyProfile(Duration.ZERO, 2.0, Duration.ZERO))
            .build();
    try (ElevenLabsEmulator e = ElevenLabsEmulator.start(paced);
        RawWs ws =
            RawWs.connect(
                URI.create(
                    e.webSocketBaseUrl()
                        + "/v1/text-to-speech/voice1/multi-stream-input?model_id=eleven_flash_v2_5"
                        + "&output_format=pcm_24000"),
                Map.of("xi-api-key", "test-key"))) {
      String text = "One context speaks this rather long sentence while the other one does too. ";
      for (String id : List.of("c1", "c2")) {
        ws.send("{\"text\":\" \",\"context_id\":\"" + id + "\"}");
        ws.send("{\"text\":\"" + text + "\",\"context_id\":\"" + id + "\",\"flush\":true}");
        ws.send("{\"context_id\":\"" + id + "\",\"close_context\":true}");
      }
      ws.send("{\"close_socket\":true}");
      List<RawWs.Event> events = ws.untilClose();
      List<String> order = new ArrayList<>();
      for (RawWs.Event ev : events) {
        if (ev instanceof RawWs.Text t) {
          order.add(t.json().get("contextId").asText());
        }
      }
      assertThat(order.stream().filter("c1"::equals).count()).isGreaterThan(4);
      assertThat(order.indexOf("c2"))
          .as("c2's first frame comes before c1's last: %s", order)
          .isLessThan(order.lastIndexOf("c1"));
      assertThat(events.get(events.size() - 1)).isEqualTo(new RawWs.Close(1000, ""));
      assertThat(e.control().sessions())
          .hasSize(2)
          .allSatisfy(r -> assertThat(r.completed()).isTrue());
      for (int i = 0; i < 2; i++) {
        ServerRecord r = e.control().sessions().get(i);
        String id = "c" + (i + 1);
        List<JsonNode> mine = new ArrayList<>();
        for (JsonNode f : RawWs.audio(events)) {
          if (f.get("contextId").asText().equals(id)) {
            mine.add(f);
          }
        }
        assertThat(r.audioSha256()).as(id).isEqualTo(StreamInputTest.sha256(RawWs.bytes(mine)));
      }
    }
  }

  @Test
  @DisplayName("a fault injected while the socket is open applies to the next context")
  void faultForTheNextContext() throws Exception {
    try (RawWs ws = open()) {
      ws.send("{\"text\":\" \",\"context_id\":\"c1\"}");
      ws.send("{\"text\":\"First context. \",\"context_id\":\"c1\",\"flush\":true}");
      ws.send("{\"context_id\":\"c1\",\"close_context\":true}");
      JsonNode f;
      do {
        f = ws.nextJson();
      } while (!f.path("isFinal").asBoolean(false));
      // the socket stays open: the next session is a new context on it, not a new handshake
      emu.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.SERVER));
      ws.send("{\"text\":\" \",\"context_id\":\"c2\"}");
      ws.send("{\"text\":\"Second context. \",\"context_id\":\"c2\",\"flush\":true}");
      List<RawWs.Event> events = ws.untilClose();
      assertThat(RawWs.audio(events)).as("no audio for c2: the error comes first").isEmpty();
      assertThat(events).anySatisfy(ev -> assertThat(ev.toString()).contains(Fault.MESSAGE));
    }
  }
}
