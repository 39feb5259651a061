package dev.voicebridge.emulator.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every fault on both transports as a raw client sees it (the hostile-server faults are also in
 * {@code HostileFaultsTest}, with the other vendors').
 */
class DeepgramFaultsTest {
  static final String KEY = "dg-fault-key";
  static final String TEXT = "Hello fault world.";
  static final String Q = "?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000";
  static final int FRAME = 4800; // 100 ms at 24 kHz

  private DeepgramEmulator emulator;
  private final List<DgWs> sockets = new ArrayList<>();

  @AfterEach
  void stop() {
    sockets.forEach(DgWs::close);
    if (emulator != null) {
      emulator.close();
    }
  }

  private DeepgramEmulator start() {
    emulator =
        DeepgramEmulator.start(
            EmulatorConfig.builder().apiKey(KEY).build(), DeepgramEmulator.Options.defaults());
    return emulator;
  }

  /** Connects, reads the Metadata, speaks {@link #TEXT} and flushes. */
  private DgWs session(DeepgramEmulator e) throws Exception {
    DgWs ws = DgWs.connect(e, Q, KEY);
    sockets.add(ws);
    ws.expect("Metadata");
    ws.speak(TEXT);
    ws.flush();
    return ws;
  }

  static byte[] audio() {
    return Voice.tone().synthesize(TEXT, 24000);
  }

  static byte[] frames(int n) {
    return Arrays.copyOf(audio(), Math.min(audio().length, n * FRAME));
  }

  // ------------------------------------------------------------------ WebSocket

  @ParameterizedTest
  @CsvSource({
    "401,,INVALID_AUTH",
    "403,,INSUFFICIENT_PERMISSIONS",
    "429,3,TOO_MANY_REQUESTS",
    "500,,INTERNAL_SERVER_ERROR"
  })
  void handshakeStatusRefusesTheUpgrade(int status, Integer retry, String errCode)
      throws Exception {
    DeepgramEmulator e = start();
    e.control()
        .inject(
            new Fault.HandshakeStatus(status, retry == null ? null : Duration.ofSeconds(retry)));
    HttpResponse<?> r = DgWs.refused(e, Q, Map.of("Authorization", "Token " + KEY));
    assertThat(r.statusCode()).isEqualTo(status);
    JsonNode body = DgWs.JSON.readTree(String.valueOf(r.body()));
    assertThat(body.path("err_code").asText()).isEqualTo(errCode);
    assertThat(body.path("err_msg").asText()).contains(Fault.MESSAGE);
    assertThat(r.headers().firstValue("dg-error")).contains(body.path("err_msg").asText());
    if (retry != null) {
      assertThat(r.headers().firstValue("retry-after")).contains(retry.toString());
    }
    session(e).until("Flushed"); // the next session is fine
  }

  @Test
  void a503HasTheDocumentedErrorCodeKey() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.HandshakeStatus(503, null));
    JsonNode body =
        DgWs.JSON.readTree(
            String.valueOf(DgWs.refused(e, Q, Map.of("Authorization", "Token " + KEY)).body()));
    assertThat(body.path("error_code").asText()).isEqualTo("Service Unavailable");
  }

  @ParameterizedTest
  @CsvSource({
    "SERVER,1011,NET-0000",
    "AUTHENTICATION,1008,INVALID_AUTH",
    "QUOTA,1008,INSUFFICIENT_CREDITS",
    "RATE_LIMIT,1008,DATA-0001",
    "INVALID_REQUEST,1008,DATA-0000"
  })
  void anErrorIsACloseFrameAfterTheFramesBeforeIt(Fault.ErrorKind kind, int code, String token)
      throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.ErrorFrame(2, kind));
    List<DgWs.Event> all = session(e).untilClose();
    assertThat(DgWs.audio(all)).isEqualTo(frames(2));
    assertThat(DgWs.texts(all)).as("no Flushed").isEmpty();
    DgWs.Close close = (DgWs.Close) all.get(all.size() - 1);
    assertThat(close.code()).isEqualTo(code);
    assertThat(close.reason()).startsWith(token + " ").contains(Fault.MESSAGE);
    ServerRecord r = e.control().lastSession();
    assertThat(r.audioFramesSent()).isEqualTo(2);
    assertThat(r.completed()).isFalse();
  }

  @Test
  void aFaultDueAfterMoreFramesThanTheSessionHadFiresBeforeTheFlushed() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.ErrorFrame(1000, Fault.ErrorKind.SERVER));
    List<DgWs.Event> all = session(e).untilClose();
    assertThat(DgWs.audio(all)).isEqualTo(audio());
    assertThat(DgWs.texts(all)).isEmpty();
    assertThat(((DgWs.Close) all.get(all.size() - 1)).code()).isEqualTo(1011);
  }

  @Test
  void aCleanDisconnectIsAClose1000WithoutFlushed() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.Disconnect(2, false));
    List<DgWs.Event> all = session(e).untilClose();
    assertThat(DgWs.audio(all)).isEqualTo(frames(2));
    assertThat(all.get(all.size() - 1)).isEqualTo(new DgWs.Close(1000, ""));
  }

  @Test
  void anAbruptDisconnectIsAReset() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.Disconnect(1, true));
    List<DgWs.Event> all = session(e).untilClose();
    assertThat(all.get(all.size() - 1)).isInstanceOf(DgWs.Error.class);
    // a reset may destroy the frame in flight: whole frames from the first, at most one
    ServerRecord r = e.control().lastSession();
    assertThat(r.audioFramesSent()).isEqualTo(1);
    assertThat(r.isFramePrefix(DgWs.sha256(DgWs.audio(all)))).isTrue();
    await()
        .atMost(DgWs.WAIT)
        .untilAsserted(() -> assertThat(e.control().openConnections()).isZero());
  }

  @Test
  void aStallSendsNothingMoreAndKeepsTheSocketOpen() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.Stall(1));
    DgWs ws = session(e);
    assertThat(ws.next()).isInstanceOf(DgWs.Binary.class);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(3))
        .until(() -> ws.events.isEmpty());
    assertThat(e.control().openConnections()).isEqualTo(1);
    assertThat(e.control().lastSession().completed()).isFalse();
  }

  @Test
  void aMalformedFrameIsTextThatIsNotJsonThenTheSessionGoesOn() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.MalformedFrame(1));
    List<DgWs.Event> all = session(e).until("Flushed");
    assertThat(all.get(0)).isInstanceOf(DgWs.Binary.class);
    assertThat(all.get(1)).isEqualTo(new DgWs.Text(Wire.MALFORMED));
    assertThat(DgWs.audio(all)).isEqualTo(audio());
    assertThat(e.control().lastSession().completed()).isTrue();
  }

  @Test
  void anOversizeFrameIsAHugeAudioFrameRecordedAsAudio() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.OversizeFrame(1, 100_000));
    List<DgWs.Event> all = session(e).until("Flushed");
    assertThat(((DgWs.Binary) all.get(1)).bytes()).hasSize(100_000);
    assertThat(e.control().lastSession().audioSha256()).isEqualTo(DgWs.sha256(DgWs.audio(all)));
  }

  @Test
  void aWrongFrameTypeIsTheNextAudioInATextFrameNotRecorded() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.WrongFrameType(1));
    List<DgWs.Event> all = session(e).until("Flushed");
    assertThat(all.get(1)).isInstanceOf(DgWs.Text.class);
    byte[] inText = Base64.getDecoder().decode(((DgWs.Text) all.get(1)).raw());
    assertThat(inText).isEqualTo(Arrays.copyOfRange(audio(), FRAME, 2 * FRAME));
    assertThat(DgWs.audio(all)).isEqualTo(audio());
    assertThat(e.control().lastSession().audioSha256()).isEqualTo(DgWs.sha256(audio()));
  }

  @Test
  void closeAfterCompletionClosesAfterTheLastFlushed() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.CloseAfterCompletion());
    List<DgWs.Event> all = session(e).untilClose();
    assertThat(DgWs.audio(all)).isEqualTo(audio());
    assertThat(DgWs.texts(all)).extracting(j -> j.path("type").asText()).containsExactly("Flushed");
    assertThat(all.get(all.size() - 1)).isEqualTo(new DgWs.Close(1000, ""));
    assertThat(e.control().lastSession().completed()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(DeepgramEmulator.WarningFields.class)
  void echoedCredentialsInAnErrorFrameAreAWarningThenTheClose(DeepgramEmulator.WarningFields fields)
      throws Exception {
    emulator =
        DeepgramEmulator.start(
            EmulatorConfig.builder().apiKey(KEY).build(),
            DeepgramEmulator.Options.builder().warningFields(fields).build());
    emulator.control().inject(new Fault.EchoCredentials(Fault.EchoCredentials.Channel.ERROR_FRAME));
    List<DgWs.Event> all = session(emulator).untilClose();
    JsonNode warning = DgWs.texts(all).get(0);
    assertThat(warning.path("type").asText()).isEqualTo("Warning");
    assertThat(warning.toString()).contains("Token " + KEY);
    assertThat(((DgWs.Close) all.get(all.size() - 1)).reason()).doesNotContain(KEY);
  }

  @Test
  void everyFaultIsDeclaredAndUnknownOnesAreRefused() {
    DeepgramEmulator e = start();
    assertThat(e.control().supportedFaults())
        .containsExactlyInAnyOrderElementsOf(DeepgramEmulator.SUPPORTED_FAULTS)
        .hasSize(14);
    assertThatThrownBy(() -> e.control().inject(null)).isInstanceOf(NullPointerException.class);
  }

  // ------------------------------------------------------------------ REST

  private HttpResponse<byte[]> rest(DeepgramEmulator e) throws Exception {
    return DgWs.CLIENT.send(
        DeepgramRestTest.request(e, "?encoding=linear16&container=none", TEXT, "Token " + KEY),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @ParameterizedTest
  @CsvSource({
    "SERVER,500,INTERNAL_SERVER_ERROR",
    "AUTHENTICATION,401,INVALID_AUTH",
    "QUOTA,402,INSUFFICIENT_CREDITS",
    "RATE_LIMIT,429,Too Many Requests",
    "INVALID_REQUEST,400,Bad Request"
  })
  void restErrorBeforeAudioIsAnErrorStatus(Fault.ErrorKind kind, int status, String errCode)
      throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.ErrorFrame(0, kind));
    HttpResponse<byte[]> r = rest(e);
    assertThat(r.statusCode()).isEqualTo(status);
    JsonNode body = DeepgramRestTest.json(r);
    assertThat(body.path("err_code").asText()).isEqualTo(errCode);
    assertThat(body.path("err_msg").asText()).contains(Fault.MESSAGE);
    assertThat(rest(e).statusCode()).as("the next request").isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource({"ERROR,false", "DISCONNECT,false", "DISCONNECT,true"})
  void restFaultsAfterAudioCutTheBody(String kind, boolean abrupt) throws Exception {
    DeepgramEmulator e = start();
    e.control()
        .inject(
            kind.equals("ERROR")
                ? new Fault.ErrorFrame(2, Fault.ErrorKind.SERVER)
                : new Fault.Disconnect(2, abrupt));
    HttpRequest rq =
        DeepgramRestTest.request(e, "?encoding=linear16&container=none", TEXT, "Token " + KEY);
    HttpResponse<InputStream> r = DgWs.CLIENT.send(rq, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    try (InputStream in = r.body()) {
      assertThatThrownBy(() -> readAll(in, got))
          .as("the body ends without its last chunk")
          .isInstanceOf(IOException.class);
    }
    assertThat(got.toByteArray()).isEqualTo(frames(2));
    assertThat(e.control().lastSession().completed()).isFalse();
  }

  /** Reads into {@code out} until the end; throws what the stream throws. */
  private static void readAll(InputStream in, java.io.ByteArrayOutputStream out)
      throws IOException {
    byte[] buf = new byte[4096];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      out.write(buf, 0, n);
    }
  }

  @Test
  void restStallKeepsTheResponseOpenUntilTheClientLeaves() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.Stall(1));
    HttpRequest rq =
        DeepgramRestTest.request(e, "?encoding=linear16&container=none", TEXT, "Token " + KEY);
    HttpResponse<InputStream> r = DgWs.CLIENT.send(rq, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    InputStream in = r.body();
    assertThat(in.readNBytes(FRAME)).isEqualTo(frames(1));
    await()
        .atMost(DgWs.WAIT)
        .untilAsserted(() -> assertThat(e.control().lastSession().audioFramesSent()).isEqualTo(1));
    assertThat(e.control().lastSession().completed()).isFalse();
    in.close();
  }

  @ParameterizedTest
  @CsvSource({"MALFORMED", "OVERSIZE", "WRONG_TYPE"})
  void frameFaultsCannotBeExpressedInARawBody(String kind) throws Exception {
    DeepgramEmulator e = start();
    e.control()
        .inject(
            switch (kind) {
              case "MALFORMED" -> new Fault.MalformedFrame(1);
              case "OVERSIZE" -> new Fault.OversizeFrame(1, 100_000);
              default -> new Fault.WrongFrameType(1);
            });
    HttpResponse<byte[]> r = rest(e);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(audio());
    assertThat(e.control().lastSession().completed()).isTrue();
  }

  @Test
  void restCloseAfterCompletionSaysConnectionClose() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.CloseAfterCompletion());
    HttpResponse<byte[]> r = rest(e);
    assertThat(r.body()).isEqualTo(audio());
    assertThat(r.headers().firstValue("connection")).contains("close");
  }

  @Test
  void restHandshakeStatusIsTheErrorStatusWithItsDelay() throws Exception {
    DeepgramEmulator e = start();
    e.control().inject(new Fault.HandshakeStatus(429, Duration.ofMillis(1500)));
    HttpResponse<byte[]> r = rest(e);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).contains("2");
    assertThat(DeepgramRestTest.json(r).path("err_code").asText()).isEqualTo("Too Many Requests");
    assertThat(r.headers().firstValue("dg-error")).isEmpty();
    assertThat(e.control().sessions()).isEmpty();
  }
}
