package dev.voicebridge.emulator.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A flood of text: the emulator once closed it with the reason "-1610618496" (the tone voice
 * computed the audio's size in an int, and Jetty closed with the exception's message).
 */
class FloodTest {
  static ElevenLabsEmulator emu;

  @BeforeAll
  static void start() {
    emu = ElevenLabsEmulator.start(EmulatorConfig.defaults());
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private static RawWs open() throws Exception {
    URI u =
        URI.create(
            emu.webSocketBaseUrl()
                + "/v1/text-to-speech/voice1/stream-input?output_format=pcm_24000");
    return RawWs.connect(u, Map.of("xi-api-key", "test-key"));
  }

  @Test
  @DisplayName("a generation over the character limit gets the vendor's error and close 1008")
  void tooLongAGeneration() throws Exception {
    try (RawWs ws = open()) {
      ws.send("{\"text\":\" \"}");
      ws.send("{\"text\":\"" + "flood ".repeat(10_000) + "\",\"flush\":true}");
      List<RawWs.Event> events = ws.untilClose();
      assertThat(RawWs.audio(events)).isEmpty();
      JsonNode err = ((RawWs.Text) events.get(0)).json();
      assertThat(err.get("error").asText()).isEqualTo("max_character_limit_exceeded");
      assertThat(err.get("message").asText()).contains("40000");
      RawWs.Close close = (RawWs.Close) events.get(events.size() - 1);
      assertThat(close.code()).isEqualTo(1008);
      assertThat(close.reason()).isNotBlank().doesNotMatch("-?[0-9]+");
    }
    assertThat(emu.control().sessions()).last().satisfies(r -> assertThat(r.completed()).isFalse());
  }

  @Test
  @DisplayName("text without a place to cut it cannot pile up past the limit")
  void oneEndlessWord() throws Exception {
    try (RawWs ws = open()) {
      ws.send("{\"text\":\" \"}");
      String chunk = "a".repeat(10_000);
      for (int i = 0; i < 5; i++) { // the fifth passes 40,000 characters
        ws.send("{\"text\":\"" + chunk + "\"}");
      }
      List<RawWs.Event> events = ws.untilClose();
      JsonNode err = ((RawWs.Text) events.get(0)).json();
      assertThat(err.get("error").asText()).isEqualTo("max_character_limit_exceeded");
      assertThat(((RawWs.Close) events.get(events.size() - 1)).code()).isEqualTo(1008);
    }
  }

  @Test
  @DisplayName("over HTTP, a text over the limit is a 400 max_character_limit_exceeded")
  void tooLongOverHttp() throws Exception {
    HttpResponse<byte[]> r =
        HttpStreamTest.send(
            emu,
            "/v1/text-to-speech/voice1/stream?output_format=pcm_24000",
            "test-key",
            "{\"text\":\"" + "flood ".repeat(10_000) + "\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body())).contains("max_character_limit_exceeded");
  }
}
