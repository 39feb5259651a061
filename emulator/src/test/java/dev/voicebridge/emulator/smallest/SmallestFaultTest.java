package dev.voicebridge.emulator.smallest;

import static dev.voicebridge.emulator.smallest.WsProbe.audio;
import static dev.voicebridge.emulator.smallest.WsProbe.request;
import static dev.voicebridge.emulator.smallest.WsProbe.sha256;
import static dev.voicebridge.emulator.smallest.WsProbe.withStatus;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Smallest emulator: injected faults")
class SmallestFaultTest {
  static final String TEXT = "A sentence long enough for several frames.";
  static HttpClient http;
  static SmallestEmulator emulator;

  @BeforeAll
  static void start() {
    http = HttpClient.newHttpClient();
    emulator =
        SmallestEmulator.start(
            EmulatorConfig.defaults(),
            SmallestEmulator.Options.builder()
                .completeBackoffOverride(Duration.ofMillis(50))
                .build());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @BeforeEach
  void reset() {
    emulator.control().reset();
  }

  static WsProbe connect() {
    return WsProbe.connect(http, emulator.webSocketUrl(), "test-key");
  }

  /** Decodes the chunk frames among raw events, skipping the rest. */
  static byte[] decoded(List<Object> events) {
    List<JsonNode> frames = new ArrayList<>();
    for (Object o : events) {
      if (o instanceof String s && s.startsWith("{") && s.endsWith("}")) {
        frames.add(WsProbe.parse(s));
      }
    }
    return audio(frames);
  }

  /** Raw events until a complete frame (inclusive) or a close/failure. */
  static List<Object> eventsUntilEnd(WsProbe ws) {
    List<Object> out = new ArrayList<>();
    while (true) {
      Object o = ws.next();
      out.add(o);
      if (o instanceof WsProbe.Closed || o instanceof WsProbe.Failed) {
        return out;
      }
      if (o instanceof String s && s.contains("\"status\":\"complete\"")) {
        return out;
      }
    }
  }

  @Test
  @DisplayName("every fault kind is supported")
  void supported() {
    assertThat(emulator.control().supportedFaults())
        .containsExactlyInAnyOrderElementsOf(SmallestEmulator.SUPPORTED_FAULTS)
        .hasSameSizeAs(Fault.class.getPermittedSubclasses());
  }

  @Test
  @DisplayName("HandshakeStatus refuses the WebSocket upgrade, then the next one works")
  void handshakeStatusWs() {
    emulator.control().inject(new Fault.HandshakeStatus(503, Duration.ofSeconds(2)));
    assertThatThrownBy(() -> connect())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isEqualTo(503);
              assertThat(e.getResponse().headers().firstValue("retry-after")).contains("2");
            });
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", "ok"));
      assertThat(withStatus(ws.until("complete"), "complete")).hasSize(1);
    }
  }

  @Test
  @DisplayName("HandshakeStatus on HTTP: the status, the {error,message} body and Retry-After")
  void handshakeStatusHttp() throws Exception {
    emulator.control().inject(new Fault.HandshakeStatus(429, Duration.ofMillis(1500)));
    HttpResponse<String> r = post("/waves/v1/tts");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).contains("2");
    JsonNode body = WsProbe.parse(r.body());
    assertThat(body.path("error").asText()).isEqualTo("TooManyRequests");
    assertThat(body.path("message").asText()).isEqualTo(Fault.MESSAGE);
  }

  @Test
  @DisplayName("ErrorFrame: an error frame after N chunks, no complete; the socket stays usable")
  void errorFrameWs() {
    emulator.control().inject(new Fault.ErrorFrame(2, Fault.ErrorKind.SERVER));
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      List<JsonNode> frames = ws.until("error");
      assertThat(withStatus(frames, "chunk")).hasSize(2);
      assertThat(withStatus(frames, "complete")).isEmpty();
      assertThat(frames.get(frames.size() - 1).path("message").asText()).isEqualTo(Fault.MESSAGE);
      ServerRecord r = emulator.control().lastSession();
      assertThat(r.completed()).isFalse();
      assertThat(r.audioFramesSent()).isEqualTo(2);
      assertThat(r.audioSha256()).isEqualTo(sha256(audio(frames)));
      ws.send(request("magnus", "again"));
      List<JsonNode> next = ws.until("complete");
      assertThat(audio(next)).isEqualTo(Voice.tone().synthesize("again", 44100));
    }
  }

  @Test
  @DisplayName(
      "a message with no text after an error frame starts no session: the next fault stays"
          + " pending (K2)")
  void strayFlushAfterAnErrorFrameTakesNoFault() {
    emulator.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.SERVER));
    Fault next = new Fault.ErrorFrame(1, Fault.ErrorKind.SERVER);
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      ws.until("error");
      // what happens next with a client: it gives up the socket and the application injects the
      // next session's fault, while the end of input the client had queued before it heard the
      // error (and a keep-alive) still reach the server on the old socket
      emulator.control().inject(next);
      ws.send(request("magnus", "").put("continue", false).put("flush", true));
      ws.send(request("magnus", " "));
      // the server answers a close after it has handled every message before it
      ws.ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").orTimeout(5, SECONDS).join();
      Object end;
      do {
        end = ws.next();
      } while (!(end instanceof WsProbe.Closed || end instanceof WsProbe.Failed));
    }
    assertThat(emulator.control().peekFault()).isSameAs(next);
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      List<JsonNode> frames = ws.until("error");
      assertThat(withStatus(frames, "chunk")).hasSize(1);
    }
  }

  @Test
  @DisplayName("ErrorFrame in the nested shape carries a code per kind")
  void errorFrameNested() {
    try (SmallestEmulator nested =
            SmallestEmulator.start(
                EmulatorConfig.defaults(),
                SmallestEmulator.Options.builder()
                    .errorShape(SmallestEmulator.ErrorShape.BOTH)
                    .build());
        WsProbe ws = WsProbe.connect(http, nested.webSocketUrl(), "test-key")) {
      nested.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.RATE_LIMIT));
      ws.send(request("magnus", TEXT));
      JsonNode error = ws.nextJson();
      assertThat(error.path("status").asText()).isEqualTo("error");
      assertThat(error.path("message").asText()).isEqualTo(Fault.MESSAGE);
      assertThat(error.path("error").path("message").asText()).isEqualTo(Fault.MESSAGE);
      assertThat(error.path("error").path("code").asInt()).isEqualTo(429);
    }
  }

  @Test
  @DisplayName("ErrorFrame on SSE: an error data frame with done:true instead of the terminator")
  void errorFrameSse() throws Exception {
    emulator.control().inject(new Fault.ErrorFrame(1, Fault.ErrorKind.SERVER));
    HttpResponse<String> r = post("/waves/v1/tts/live");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains(
            "data: {\"status\": \"error\", \"message\": \"injected fault\", \"code\": 500,"
                + " \"done\": true}")
        .doesNotContain("\"status\": \"200\"");
    assertThat(SmallestHttpTest.parseSse(r.body()).chunks()).hasSize(1);
  }

  @Test
  @DisplayName("Disconnect clean: a close frame after N chunks, without complete")
  void disconnectClean() {
    emulator.control().inject(new Fault.Disconnect(1, false));
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      List<Object> events = eventsUntilEnd(ws);
      assertThat(events.get(events.size() - 1)).isEqualTo(new WsProbe.Closed(1000, ""));
      assertThat(decoded(events)).hasSize(8820);
      assertThat(emulator.control().lastSession().completed()).isFalse();
    }
  }

  @Test
  @DisplayName("Disconnect abrupt: the TCP connection drops without a close frame")
  void disconnectAbrupt() {
    emulator.control().inject(new Fault.Disconnect(1, true));
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      List<Object> events = eventsUntilEnd(ws);
      Object last = events.get(events.size() - 1);
      assertThat(last).isNotInstanceOf(String.class);
      if (last instanceof WsProbe.Closed c) {
        assertThat(c.code()).isNotEqualTo(1000);
      }
    }
  }

  @Test
  @DisplayName("Disconnect on sync HTTP: the body stops short of its Content-Length")
  void disconnectSync() {
    for (boolean abrupt : new boolean[] {false, true}) {
      emulator.control().inject(new Fault.Disconnect(1, abrupt));
      assertThatThrownBy(() -> post("/waves/v1/tts")).isInstanceOf(IOException.class);
    }
  }

  @Test
  @DisplayName("Stall: N chunks, then silence with the socket open")
  void stall() {
    emulator.control().inject(new Fault.Stall(1));
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      assertThat(ws.nextJson().path("status").asText()).isEqualTo("chunk");
      assertThat(ws.poll(400)).isNull();
      assertThat(ws.ws.isInputClosed()).isFalse();
      assertThat(emulator.control().lastSession().audioFramesSent()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("MalformedFrame: a text frame that is not JSON, then the stream goes on")
  void malformed() {
    emulator.control().inject(new Fault.MalformedFrame(1));
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      List<Object> events = eventsUntilEnd(ws);
      assertThat(events.get(1)).isEqualTo(Wire.MALFORMED);
      assertThat(decoded(events)).isEqualTo(Voice.tone().synthesize(TEXT, 44100));
      assertThat(emulator.control().lastSession().completed()).isTrue();
    }
  }

  @Test
  @DisplayName("MalformedFrame on SSE: an unparseable data line")
  void malformedSse() throws Exception {
    emulator.control().inject(new Fault.MalformedFrame(0));
    HttpResponse<String> r = post("/waves/v1/tts/live");
    assertThat(r.body()).startsWith("event: audio\ndata: {\"audio\": \"\n\n");
  }

  @Test
  @DisplayName("OversizeFrame: one frame of about the asked size; its audio is in the digest")
  void oversize() {
    emulator.control().inject(new Fault.OversizeFrame(1, 300_000));
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      List<Object> events = eventsUntilEnd(ws);
      String big = (String) events.get(1);
      assertThat(big.length()).isBetween(299_000, 300_000);
      byte[] audio = decoded(events);
      assertThat(emulator.control().lastSession().audioSha256()).isEqualTo(sha256(audio));
    }
  }

  @Test
  @DisplayName("WrongFrameType: a binary frame among the text frames")
  void wrongFrameType() {
    emulator.control().inject(new Fault.WrongFrameType(1));
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", TEXT));
      List<Object> events = eventsUntilEnd(ws);
      assertThat(events.get(1)).isInstanceOf(ByteBuffer.class);
      assertThat(decoded(events)).isEqualTo(Voice.tone().synthesize(TEXT, 44100));
    }
  }

  @Test
  @DisplayName("CloseAfterCompletion: complete, then a normal close; later sockets stay open")
  void closeAfterCompletion() {
    emulator.control().inject(new Fault.CloseAfterCompletion());
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", "one"));
      List<Object> events = eventsUntilEnd(ws);
      assertThat((String) events.get(events.size() - 1)).contains("complete");
      assertThat(ws.next()).isEqualTo(new WsProbe.Closed(1000, "complete"));
    }
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", "two"));
      ws.until("complete");
      ws.send(request("magnus", "three"));
      ws.until("complete");
    }
  }

  @Test
  @DisplayName("a fault injected while a socket is open applies to its next session")
  void faultOnReusedSocket() {
    try (WsProbe ws = connect()) {
      ws.send(request("magnus", "first"));
      ws.until("complete");
      emulator.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.QUOTA));
      ws.send(request("magnus", "second"));
      assertThat(ws.nextJson().path("message").asText()).isEqualTo(Fault.MESSAGE);
      List<ServerRecord> sessions = emulator.control().sessions();
      assertThat(sessions).hasSize(2);
      assertThat(sessions.get(0).connection()).isEqualTo(sessions.get(1).connection());
    }
  }

  static HttpResponse<String> post(String path) throws IOException {
    HttpRequest rq =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer test-key")
            .POST(HttpRequest.BodyPublishers.ofString(request("magnus", TEXT).toString()))
            .build();
    try {
      return http.send(rq, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
