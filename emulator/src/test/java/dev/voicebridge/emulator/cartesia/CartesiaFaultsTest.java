package dev.voicebridge.emulator.cartesia;

import static dev.voicebridge.emulator.cartesia.WsClient.cancel;
import static dev.voicebridge.emulator.cartesia.WsClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Cartesia emulator: faults on each transport")
class CartesiaFaultsTest {
  static final Map<String, String> AUTH = CartesiaWebSocketTest.AUTH;
  static final String TEXT = "Faults are spoken in Cartesia's dialect.";
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

  static WsClient open(CartesiaEmulator e) throws Exception {
    return WsClient.connect(e.baseUrl(), "", AUTH);
  }

  static String sse() {
    return CartesiaHttpTest.body(TEXT, "raw", "pcm_s16le", 16000).toString();
  }

  static HttpResponse<byte[]> post(String path) throws Exception {
    return CartesiaHttpTest.post(emu, path, CartesiaHttpTest.auth("2026-08-14"), sse());
  }

  // ---------------------------------------------------------------- WebSocket

  @Test
  @DisplayName("HandshakeStatus: the upgrade is refused with the status, Retry-After and the body")
  void handshakeStatus() {
    emu.control().inject(new Fault.HandshakeStatus(429, Duration.ofMillis(2500)));
    assertThatThrownBy(() -> open(emu))
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            x -> {
              assertThat(x.getResponse().statusCode()).isEqualTo(429);
              assertThat(x.getResponse().headers().firstValue("retry-after")).contains("3");
              assertThat(String.valueOf(x.getResponse().body()))
                  .contains("concurrency_limited")
                  .contains(Fault.MESSAGE);
            });
    assertThat(emu.control().sessions()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "SERVER,500",
    "AUTHENTICATION,401",
    "QUOTA,402",
    "RATE_LIMIT,429",
    "INVALID_REQUEST,400"
  })
  @DisplayName("ErrorFrame: an error frame for the context after n chunks; the socket stays open")
  void errorFrame(Fault.ErrorKind kind, int status) throws Exception {
    emu.control().inject(new Fault.ErrorFrame(1, kind));
    try (WsClient ws = open(emu)) {
      ws.send(request("e", TEXT, false));
      List<JsonNode> frames = ws.untilEnd("e");
      assertThat(frames).extracting(j -> j.get("type").asText()).containsExactly("chunk", "error");
      JsonNode err = frames.get(1);
      assertThat(err.get("status_code").asInt()).isEqualTo(status);
      assertThat(err.get("done").asBoolean()).isTrue();
      assertThat(err.get("message").asText()).contains(Fault.MESSAGE);
      assertThat(err.get("context_id").asText()).isEqualTo("e");
      ServerRecord r = emu.control().lastSession();
      assertThat(r.completed()).isFalse();
      assertThat(r.isFramePrefix(CartesiaWebSocketTest.sha256(WsClient.audio(frames)))).isTrue();
      ws.send(request("next", "Still here.", false));
      assertThat(ws.contextFrames("next").get(0).get("type").asText()).isEqualTo("chunk");
    }
  }

  @Test
  @DisplayName("a fault injected while a socket is open goes to its next context")
  void nextContextOnAnOpenSocket() throws Exception {
    try (WsClient ws = open(emu)) {
      ws.send(request("a", "First.", false));
      ws.untilEnd("a");
      emu.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.RATE_LIMIT));
      ws.send(request("b", "Second.", false));
      List<JsonNode> b = ws.untilEnd("b");
      assertThat(b).extracting(j -> j.get("type").asText()).containsExactly("error");
      ws.send(request("c", "Third.", false));
      assertThat(ws.contextFrames("c").get(0).get("type").asText()).isEqualTo("chunk");
    }
  }

  @Test
  @DisplayName("a handshake fault injected while a socket is open waits for the next upgrade")
  void handshakeFaultWaitsForTheNextUpgrade() throws Exception {
    try (WsClient ws = open(emu)) {
      emu.control().inject(new Fault.HandshakeStatus(401, null));
      ws.send(request("a", "Unaffected.", false));
      assertThat(ws.contextFrames("a").get(0).get("type").asText()).isEqualTo("chunk");
      assertThatThrownBy(() -> open(emu))
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              x -> assertThat(x.getResponse().statusCode()).isEqualTo(401));
    }
  }

  @Test
  @DisplayName("Disconnect (clean): a close 1000 after n chunks, without done")
  void disconnectClean() throws Exception {
    emu.control().inject(new Fault.Disconnect(1, false));
    try (WsClient ws = open(emu)) {
      ws.send(request("d", TEXT, false));
      List<WsClient.Event> events = ws.untilClose();
      assertThat(events).hasSize(2);
      assertThat(((WsClient.Text) events.get(0)).type()).isEqualTo("chunk");
      assertThat(events.get(1)).isEqualTo(new WsClient.Close(1000, Fault.MESSAGE));
    }
  }

  @Test
  @DisplayName(
      "Disconnect (abrupt): the TCP connection drops after n chunks, the server lets it go")
  void disconnectAbrupt() throws Exception {
    emu.control().inject(new Fault.Disconnect(1, true));
    try (WsClient ws = open(emu)) {
      ws.send(request("d", TEXT, false));
      assertThat(ws.nextJson().get("type").asText()).isEqualTo("chunk");
      await().atMost(Duration.ofSeconds(5)).until(() -> emu.control().openConnections() == 0);
      assertThat(emu.control().lastSession().completed()).isFalse();
    }
  }

  @Test
  @DisplayName("Stall: the context goes silent (others go on); it holds its slot until cancelled")
  void stall() throws Exception {
    try (CartesiaEmulator e =
            CartesiaEmulator.start(
                EmulatorConfig.defaults(),
                CartesiaEmulator.Options.builder().concurrencyLimit(2).build());
        WsClient ws = open(e)) {
      e.control().inject(new Fault.Stall(1));
      ws.send(request("s", TEXT, false));
      assertThat(ws.nextJson().get("type").asText()).isEqualTo("chunk");
      ws.send(request("o", "Other.", false));
      List<JsonNode> other = ws.untilEnd("o");
      assertThat(WsClient.of(other, "chunk", "s")).as("nothing more of the stalled one").isEmpty();
      ws.send(request("t1", "Held.", true));
      ws.send(request("t2", "Refused.", true));
      assertThat(ws.contextFrames("t2").get(0).get("status_code").asInt()).isEqualTo(429);
      ws.send(cancel("s"));
      ws.send(request("t3", "Now.", false));
      assertThat(ws.contextFrames("t3").get(0).get("type").asText()).isEqualTo("chunk");
    }
  }

  @Test
  @DisplayName("MalformedFrame: a frame that is not JSON after n chunks, then the rest and done")
  void malformed() throws Exception {
    emu.control().inject(new Fault.MalformedFrame(1));
    try (WsClient ws = open(emu)) {
      ws.send(request("m", TEXT, false));
      assertThat(ws.nextJson().get("type").asText()).isEqualTo("chunk");
      WsClient.Text bad = (WsClient.Text) ws.next();
      assertThat(bad.raw()).startsWith("{\"type\":\"chunk\",\"data\":\"").contains(Fault.MESSAGE);
      assertThatThrownBy(bad::json).isInstanceOf(AssertionError.class);
      List<JsonNode> rest = ws.untilEnd("m");
      assertThat(rest.get(rest.size() - 1).get("type").asText()).isEqualTo("done");
    }
  }

  @Test
  @DisplayName("OversizeFrame: a chunk of about the given size, recorded as audio, then the rest")
  void oversize() throws Exception {
    emu.control().inject(new Fault.OversizeFrame(0, 200_000));
    try (WsClient ws = open(emu)) {
      ws.send(request("o", TEXT, false));
      WsClient.Text big = (WsClient.Text) ws.next();
      assertThat(big.raw().length()).isBetween(190_000, 200_000);
      List<JsonNode> frames = new ArrayList<>(List.of(big.json()));
      frames.addAll(ws.untilEnd("o"));
      ServerRecord r = emu.control().lastSession();
      assertThat(r.audioSha256()).isEqualTo(CartesiaWebSocketTest.sha256(WsClient.audio(frames)));
      assertThat(r.completed()).isTrue();
    }
  }

  @Test
  @DisplayName("WrongFrameType: a binary frame after n chunks, then the rest and done")
  void wrongType() throws Exception {
    emu.control().inject(new Fault.WrongFrameType(1));
    try (WsClient ws = open(emu)) {
      ws.send(request("w", TEXT, false));
      assertThat(ws.nextJson().get("type").asText()).isEqualTo("chunk");
      assertThat(ws.next()).isInstanceOf(WsClient.Binary.class);
      List<JsonNode> rest = ws.untilEnd("w");
      assertThat(rest.get(rest.size() - 1).get("type").asText()).isEqualTo("done");
    }
  }

  @Test
  @DisplayName("CloseAfterCompletion: done, then a close 1000")
  void closeAfterCompletion() throws Exception {
    emu.control().inject(new Fault.CloseAfterCompletion());
    try (WsClient ws = open(emu)) {
      ws.send(request("c", "Short.", false));
      List<JsonNode> frames = ws.untilEnd("c");
      assertThat(frames.get(frames.size() - 1).get("type").asText()).isEqualTo("done");
      assertThat(ws.next()).isEqualTo(new WsClient.Close(1000, ""));
      await().atMost(Duration.ofSeconds(5)).until(() -> emu.control().openConnections() == 0);
    }
  }

  // ---------------------------------------------------------------- HTTP

  @Test
  @DisplayName("HTTP HandshakeStatus: the status and the version's error body")
  void httpHandshakeStatus() throws Exception {
    emu.control().inject(new Fault.HandshakeStatus(503, null));
    HttpResponse<byte[]> r = post("/tts/bytes");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("internal_server_error")
        .contains(Fault.MESSAGE);
    emu.control().inject(new Fault.HandshakeStatus(500, null));
    HttpResponse<byte[]> old =
        CartesiaHttpTest.post(emu, "/tts/sse", CartesiaHttpTest.auth("2025-04-16"), sse());
    assertThat(old.statusCode()).isEqualTo(500);
    assertThat(new String(old.body(), StandardCharsets.UTF_8))
        .startsWith("Internal server error: ")
        .contains(Fault.MESSAGE);
    assertThat(emu.control().sessions()).isEmpty();
  }

  @Test
  @DisplayName("SSE ErrorFrame: event: error after n chunks, then the body ends without done")
  void sseError() throws Exception {
    emu.control().inject(new Fault.ErrorFrame(1, Fault.ErrorKind.RATE_LIMIT));
    HttpResponse<byte[]> r = post("/tts/sse");
    assertThat(r.statusCode()).isEqualTo(200);
    List<String[]> ev = CartesiaHttpTest.events(r.body());
    assertThat(ev).hasSize(2);
    assertThat(ev.get(0)[0]).isNull();
    assertThat(ev.get(1)[0]).isEqualTo("error");
    JsonNode err = WsClient.JSON.readTree(ev.get(1)[1]);
    assertThat(err.get("type").asText()).isEqualTo("error");
    assertThat(err.get("status_code").asInt()).isEqualTo(429);
    assertThat(err.get("error_code").asText()).isEqualTo("concurrency_limited");
    assertThat(err.get("message").asText()).contains(Fault.MESSAGE);
    assertThat(emu.control().lastSession().completed()).isFalse();
  }

  @Test
  @DisplayName("bytes ErrorFrame: an error response before the audio, a cut body after it")
  void bytesError() throws Exception {
    emu.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.QUOTA));
    HttpResponse<byte[]> r = post("/tts/bytes");
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(WsClient.JSON.readTree(r.body()).get("message").asText()).contains(Fault.MESSAGE);
    emu.control().inject(new Fault.ErrorFrame(1, Fault.ErrorKind.SERVER));
    assertThatThrownBy(() -> post("/tts/bytes")).isInstanceOf(IOException.class);
  }

  @Test
  @DisplayName("SSE Disconnect: clean ends the body without done; abrupt breaks it")
  void sseDisconnect() throws Exception {
    emu.control().inject(new Fault.Disconnect(1, false));
    HttpResponse<byte[]> r = post("/tts/sse");
    List<String[]> ev = CartesiaHttpTest.events(r.body());
    assertThat(ev).hasSize(1);
    assertThat(ev.get(0)[1]).contains("\"chunk\"");
    emu.control().inject(new Fault.Disconnect(1, true));
    assertThatThrownBy(() -> post("/tts/sse")).isInstanceOf(IOException.class);
  }

  @Test
  @DisplayName("SSE MalformedFrame, OversizeFrame, WrongFrameType: the odd event, then the rest")
  void sseOddFrames() throws Exception {
    emu.control().inject(new Fault.MalformedFrame(1));
    String malformed = new String(post("/tts/sse").body(), StandardCharsets.UTF_8);
    assertThat(malformed)
        .contains("data: {\"type\":\"chunk\",\"data\":\"" + Fault.MESSAGE)
        .endsWith("\"type\":\"done\",\"done\":true,\"status_code\":206}\n\n");

    emu.control().inject(new Fault.OversizeFrame(0, 100_000));
    String big = new String(post("/tts/sse").body(), StandardCharsets.UTF_8);
    assertThat(big.split("\n\n")[0].length()).isBetween(95_000, 100_000);

    emu.control().inject(new Fault.WrongFrameType(1));
    byte[] wrong = post("/tts/sse").body();
    assertThatThrownBy(() -> CartesiaHttpTest.events(wrong))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not an SSE line");
  }

  @Test
  @DisplayName("HTTP CloseAfterCompletion: the response says Connection: close")
  void httpCloseAfterCompletion() throws Exception {
    emu.control().inject(new Fault.CloseAfterCompletion());
    HttpResponse<byte[]> r = post("/tts/bytes");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("connection"))
        .hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("close"));
    assertThat(emu.control().lastSession().completed()).isTrue();
  }
}
