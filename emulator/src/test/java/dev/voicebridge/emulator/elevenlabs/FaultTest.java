package dev.voicebridge.emulator.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.spi.conformance.Fault;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ElevenLabs emulator: injected faults")
class FaultTest {
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

  static RawWs open(boolean multi) throws Exception {
    URI u =
        URI.create(
            emu.webSocketBaseUrl()
                + "/v1/text-to-speech/voice1/"
                + (multi ? "multi-stream-input" : "stream-input")
                + "?output_format=pcm_16000");
    return RawWs.connect(u, Map.of("xi-api-key", "test-key"));
  }

  /** Sends init, a sentence of several frames with flush, and the end of input. */
  static void speak(RawWs ws) throws Exception {
    ws.send("{\"text\":\" \"}");
    ws.send("{\"text\":\"One two three four five. \",\"flush\":true}");
    try {
      ws.send("{\"text\":\"\"}");
    } catch (ExecutionException e) {
      // a fault that fires on the flushed audio may close the socket before this is written
      if (!(e.getCause() instanceof java.io.IOException)) {
        throw e;
      }
    }
  }

  @Test
  @DisplayName("HandshakeStatus refuses the WebSocket upgrade and the HTTP request")
  void handshakeStatus() throws Exception {
    emu.control().inject(new Fault.HandshakeStatus(429, Duration.ofSeconds(2)));
    assertThatThrownBy(() -> open(false))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isEqualTo(429);
              assertThat(e.getResponse().headers().firstValue("retry-after")).hasValue("2");
            });
    emu.control().inject(new Fault.HandshakeStatus(503, null));
    HttpResponse<byte[]> r =
        HttpStreamTest.send(
            emu, "/v1/text-to-speech/voice1/stream", "test-key", "{\"text\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(new String(r.body())).contains(Fault.MESSAGE);
  }

  @Test
  @DisplayName("ErrorFrame sends the vendor error after N audio frames, then 1008")
  void errorFrame() throws Exception {
    emu.control().inject(new Fault.ErrorFrame(1, Fault.ErrorKind.QUOTA));
    try (RawWs ws = open(false)) {
      speak(ws);
      List<RawWs.Event> events = ws.untilClose();
      assertThat(RawWs.audio(events)).hasSize(1);
      JsonNode err = ((RawWs.Text) events.get(1)).json();
      assertThat(err.get("error").asText()).isEqualTo("quota_exceeded");
      assertThat(err.get("message").asText()).contains(Fault.MESSAGE);
      assertThat(((RawWs.Close) events.get(2)).code()).isEqualTo(1008);
    }
    emu.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.AUTHENTICATION));
    HttpResponse<byte[]> r =
        HttpStreamTest.send(
            emu, "/v1/text-to-speech/voice1/stream", "test-key", "{\"text\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(HttpStreamTest.json(r).at("/detail/status").asText()).isEqualTo("invalid_api_key");
  }

  @Test
  @DisplayName("Disconnect: a clean close without isFinal, or an abrupt drop")
  void disconnect() throws Exception {
    emu.control().inject(new Fault.Disconnect(2, false));
    try (RawWs ws = open(false)) {
      speak(ws);
      List<RawWs.Event> events = ws.untilClose();
      assertThat(RawWs.audio(events)).hasSize(2);
      assertThat(events)
          .noneMatch(
              e ->
                  e instanceof RawWs.Text t
                      && t.json().has("isFinal")
                      && t.json().get("isFinal").asBoolean());
      assertThat(((RawWs.Close) events.get(events.size() - 1)).code()).isEqualTo(1000);
    }
    emu.control().inject(new Fault.Disconnect(1, true));
    URI u =
        URI.create(
            emu.baseUrl() + "/v1/text-to-speech/voice1/stream-input?output_format=pcm_16000");
    try (SocketWs ws = new SocketWs(u, "test-key")) {
      ws.sendText("{\"text\":\" \"}");
      ws.sendText("{\"text\":\"One two three four five. \",\"flush\":true}");
      ws.sendText("{\"text\":\"\"}");
      List<SocketWs.Frame> frames = ws.readUntilEnd();
      assertThat(frames).extracting(SocketWs.Frame::opcode).containsExactly(1);
    }
    emu.control().inject(new Fault.Disconnect(1, true));
    assertThatThrownBy(
            () ->
                HttpStreamTest.send(
                    emu,
                    "/v1/text-to-speech/voice1/stream?output_format=pcm_16000",
                    "test-key",
                    "{\"text\":\"A longer text for several chunks.\"}"))
        .isInstanceOf(IOException.class);
  }

  @Test
  @DisplayName("MalformedFrame, WrongFrameType and OversizeFrame send their odd frame")
  void oddFrames() throws Exception {
    emu.control().inject(new Fault.MalformedFrame(1));
    try (RawWs ws = open(false)) {
      speak(ws);
      List<RawWs.Event> events = ws.untilClose();
      assertThat(((RawWs.Text) events.get(1)).raw()).contains(Fault.MESSAGE);
      assertThatThrownBy(() -> ((RawWs.Text) events.get(1)).json())
          .isInstanceOf(AssertionError.class);
    }
    emu.control().inject(new Fault.WrongFrameType(0));
    try (RawWs ws = open(false)) {
      speak(ws);
      assertThat(ws.untilClose().get(0)).isInstanceOf(RawWs.Binary.class);
    }
    emu.control().inject(new Fault.OversizeFrame(0, 2 * 1024 * 1024));
    try (RawWs ws = open(false)) {
      speak(ws);
      RawWs.Text big = (RawWs.Text) ws.untilClose().get(0);
      assertThat(big.raw().length()).isBetween(2 * 1024 * 1024 - 8, 2 * 1024 * 1024);
    }
  }

  @Test
  @DisplayName("Stall keeps the socket open and silent")
  void stall() throws Exception {
    emu.control().inject(new Fault.Stall(1));
    try (RawWs ws = open(false)) {
      speak(ws);
      assertThat(ws.nextJson().hasNonNull("audio")).isTrue();
      assertThat(ws.poll(StreamInputTest.QUIET)).isNull();
      assertThat(emu.control().lastSession().completed()).isFalse();
    }
  }

  @Test
  @DisplayName("CloseAfterCompletion closes a multi-stream socket after the first isFinal")
  void closeAfterCompletion() throws Exception {
    emu.control().inject(new Fault.CloseAfterCompletion());
    try (RawWs ws = open(true)) {
      ws.send("{\"text\":\"Hello. \",\"context_id\":\"a\",\"flush\":true}");
      ws.send("{\"context_id\":\"a\",\"close_context\":true}");
      List<RawWs.Event> events = ws.untilClose();
      assertThat(((RawWs.Text) events.get(events.size() - 2)).json().get("isFinal").asBoolean())
          .isTrue();
      assertThat(events.get(events.size() - 1)).isEqualTo(new RawWs.Close(1000, ""));
    }
  }
}
