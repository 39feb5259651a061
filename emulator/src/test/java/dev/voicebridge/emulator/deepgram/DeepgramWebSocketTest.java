package dev.voicebridge.emulator.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.kit.audio.G711;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Deepgram WebSocket, message by message, with a raw client. */
class DeepgramWebSocketTest {
  static final String KEY = "dg-test-key";
  static final String Q24 = "?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000";

  private final List<DeepgramEmulator> started = new ArrayList<>();
  private final List<DgWs> sockets = new ArrayList<>();

  @AfterEach
  void stop() {
    sockets.forEach(DgWs::close);
    started.forEach(DeepgramEmulator::close);
  }

  /** A clock the tests move by hand (the rate windows). */
  static final class TestClock extends Clock {
    volatile long millis = 1_000_000;

    void advance(Duration d) {
      millis += d.toMillis();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private DeepgramEmulator start(DeepgramEmulator.Options options) {
    return start(EmulatorConfig.builder().apiKey(KEY).build(), options);
  }

  private DeepgramEmulator start(EmulatorConfig config, DeepgramEmulator.Options options) {
    DeepgramEmulator e = DeepgramEmulator.start(config, options);
    started.add(e);
    return e;
  }

  private DgWs open(DeepgramEmulator e, String query) throws Exception {
    DgWs ws = DgWs.connect(e, query, KEY);
    sockets.add(ws);
    ws.expect("Metadata");
    return ws;
  }

  static byte[] tone(String text, int rate) {
    return Voice.tone().synthesize(text, rate);
  }

  // ------------------------------------------------------------------ the happy path

  @Test
  void metadataComesFirstThenAudioAndFlushedForAFlush() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = DgWs.connect(e, Q24, KEY);
    sockets.add(ws);
    JsonNode meta = ws.expect("Metadata");
    assertThat(meta.path("model_name").asText()).isEqualTo("aura-2-thalia-en");
    assertThat(meta.path("model_version").asText()).matches("\\d{4}-\\d{2}-\\d{2}\\.\\d+");
    assertThat(meta.path("request_id").asText()).matches("[0-9a-f-]{36}");
    assertThat(meta.path("model_uuid").asText()).matches("[0-9a-f-]{36}");
    assertThat(meta.path("additional_model_uuids").isArray()).isTrue();

    ws.speak("Hello world.");
    ws.flush();
    List<DgWs.Event> events = ws.until("Flushed");
    JsonNode flushed = DgWs.texts(events).get(0);
    assertThat(flushed.toString()).isEqualTo("{\"type\":\"Flushed\",\"sequence_id\":0}");
    byte[] audio = DgWs.audio(events);
    assertThat(audio).isEqualTo(tone("Hello world.", 24000));
    assertThat(events.stream().filter(x -> x instanceof DgWs.Binary).count())
        .as("frames of 100 ms")
        .isEqualTo((audio.length + 4799) / 4800);

    ServerRecord r = e.control().lastSession();
    assertThat(r.text()).isEqualTo("Hello world.");
    assertThat(r.flushes()).isEqualTo(1);
    assertThat(r.audioSha256()).isEqualTo(DgWs.sha256(audio));
    assertThat(r.completed()).isTrue();
    assertThat(r.headers().get("authorization")).containsExactly("Token " + KEY);
    assertThat(e.control().sessionNotes().get(0))
        .containsEntry("model", "aura-2-thalia-en")
        .containsEntry("request_id", meta.path("request_id").asText());
  }

  @Test
  void speakIsBufferedUntilAFlush() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = open(e, Q24);
    ws.speak("Hello. This is buffered. ");
    ws.send("{\"type\":\"Clear\"}");
    List<DgWs.Event> before = ws.until("Cleared");
    assertThat(DgWs.audio(before)).as("no audio without a Flush").isEmpty();
    ws.speak("Only this.");
    ws.flush();
    assertThat(DgWs.audio(ws.until("Flushed"))).isEqualTo(tone("Only this.", 24000));
    assertThat(e.control().lastSession().text()).isEqualTo("Hello. This is buffered. Only this.");
  }

  @Test
  void flushesAreAcknowledgedInOrderAndAnEmptyFlushToo() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = open(e, Q24);
    ws.speak("One.");
    ws.flush();
    ws.speak("Two ");
    ws.speak("three.");
    ws.flush();
    ws.flush();
    List<DgWs.Event> first = ws.until("Flushed");
    List<DgWs.Event> second = ws.until("Flushed");
    List<DgWs.Event> third = ws.until("Flushed");
    assertThat(DgWs.audio(first)).isEqualTo(tone("One.", 24000));
    assertThat(DgWs.audio(second)).isEqualTo(tone("Two three.", 24000));
    assertThat(DgWs.audio(third)).as("an empty flush gets its Flushed, no audio").isEmpty();
    assertThat(DgWs.texts(first).get(0).path("sequence_id").asInt()).isZero();
    assertThat(DgWs.texts(second).get(0).path("sequence_id").asInt()).isEqualTo(1);
    assertThat(DgWs.texts(third).get(0).path("sequence_id").asInt()).isEqualTo(2);
    ServerRecord r = e.control().lastSession();
    assertThat(r.flushes()).isEqualTo(3);
    assertThat(r.textMessages()).isEqualTo(3);
  }

  @Test
  void closeDrainsTheAcceptedFlushesDropsUnflushedTextAndClosesNormally() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = open(e, Q24);
    ws.speak("Flushed text.");
    ws.flush();
    ws.speak("Never flushed.");
    ws.send("{\"type\":\"Close\"}");
    List<DgWs.Event> all = ws.untilClose();
    assertThat(DgWs.audio(all)).isEqualTo(tone("Flushed text.", 24000));
    assertThat(DgWs.texts(all)).extracting(j -> j.path("type").asText()).containsExactly("Flushed");
    assertThat(all.get(all.size() - 1)).isEqualTo(new DgWs.Close(1000, ""));
    assertThat(e.control().lastSession().finished()).isTrue();
  }

  @Test
  void closeImmediatelyDropsQueuedAudio() throws Exception {
    EmulatorConfig config = DgWs.paced(KEY, 1.0);
    DeepgramEmulator e =
        start(
            config,
            DeepgramEmulator.Options.builder()
                .closeMode(DeepgramEmulator.CloseMode.IMMEDIATE)
                .build());
    DgWs ws = open(e, Q24);
    String text = "A text long enough for several seconds of audio at real time.";
    ws.speak(text);
    ws.flush();
    assertThat(ws.next()).isInstanceOf(DgWs.Binary.class);
    ws.send("{\"type\":\"Close\"}");
    List<DgWs.Event> all = ws.untilClose();
    assertThat(DgWs.texts(all)).as("no Flushed").isEmpty();
    assertThat(DgWs.audio(all).length).isLessThan(tone(text, 24000).length);
    assertThat(all.get(all.size() - 1)).isEqualTo(new DgWs.Close(1000, ""));
  }

  @Test
  void closeCanFlushTheBufferFirst() throws Exception {
    DeepgramEmulator e =
        start(
            DeepgramEmulator.Options.builder()
                .closeMode(DeepgramEmulator.CloseMode.FLUSH_AND_DRAIN)
                .build());
    DgWs ws = open(e, Q24);
    ws.speak("Spoken at close.");
    ws.send("{\"type\":\"Close\"}");
    List<DgWs.Event> all = ws.untilClose();
    assertThat(DgWs.audio(all)).isEqualTo(tone("Spoken at close.", 24000));
    assertThat(all.get(all.size() - 1)).isEqualTo(new DgWs.Close(1000, ""));
  }

  @Test
  void autoFlushSpeaksCompleteSentencesWithoutAFlush() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.builder().autoFlush(true).build());
    DgWs ws = open(e, Q24);
    ws.speak("First sentence. Second");
    byte[] want = tone("First sentence.", 24000);
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    while (got.size() < want.length) {
      DgWs.Event ev = ws.next();
      assertThat(ev).isInstanceOf(DgWs.Binary.class);
      got.writeBytes(((DgWs.Binary) ev).bytes());
    }
    assertThat(got.toByteArray()).isEqualTo(want);
    ws.flush();
    assertThat(DgWs.audio(ws.until("Flushed"))).isEqualTo(tone("Second", 24000));
  }

  // ------------------------------------------------------------------ Clear

  @Test
  void clearDropsPendingAudioAndItsFlushedAndAnswersClearedWithTheLastSequenceId()
      throws Exception {
    EmulatorConfig config = DgWs.paced(KEY, 1.0);
    DeepgramEmulator e = start(config, DeepgramEmulator.Options.defaults());
    DgWs ws = open(e, Q24);
    ws.speak("A long text whose audio takes seconds to stream at real time.");
    ws.flush();
    assertThat(ws.next()).isInstanceOf(DgWs.Binary.class);
    ws.send("{\"type\":\"Clear\"}");
    JsonNode cleared = DgWs.texts(ws.until("Cleared")).get(0);
    assertThat(cleared.toString()).isEqualTo("{\"type\":\"Cleared\",\"sequence_id\":0}");
    // no audio of the cleared flush after Cleared, and its Flushed never comes
    ws.speak("Next.");
    ws.flush();
    List<DgWs.Event> next = ws.until("Flushed");
    assertThat(DgWs.audio(next)).isEqualTo(tone("Next.", 24000));
    assertThat(DgWs.texts(next).get(0).path("sequence_id").asInt())
        .as("the dropped flush took no sequence id")
        .isZero();
    ws.send("{\"type\":\"Clear\"}");
    assertThat(ws.expect("Cleared").path("sequence_id").asInt()).isZero();
    ws.flush();
    assertThat(ws.expect("Flushed").path("sequence_id").asInt()).isEqualTo(1);
    ws.send("{\"type\":\"Clear\"}");
    assertThat(ws.expect("Cleared").path("sequence_id").asInt()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ flush rate limit

  @ParameterizedTest
  @CsvSource({"LIVE,true,false", "SPEC,false,true", "BOTH,true,true"})
  void aFlushOverTheLimitGetsAWarningAndKeepsItsText(
      DeepgramEmulator.WarningFields fields, boolean live, boolean spec) throws Exception {
    TestClock clock = new TestClock();
    DeepgramEmulator e =
        start(
            DeepgramEmulator.Options.builder()
                .maxFlushesPerWindow(2)
                .warningFields(fields)
                .clock(clock)
                .build());
    DgWs ws = open(e, Q24);
    ws.flush();
    ws.flush();
    assertThat(ws.expect("Flushed").path("sequence_id").asInt()).isZero();
    assertThat(ws.expect("Flushed").path("sequence_id").asInt()).isEqualTo(1);
    ws.speak("Kept.");
    ws.flush();
    JsonNode warning = ws.expect("Warning");
    assertThat(warning.has("warn_code")).isEqualTo(live);
    assertThat(warning.has("warn_msg")).isEqualTo(live);
    assertThat(warning.has("code")).isEqualTo(spec);
    assertThat(warning.has("description")).isEqualTo(spec);
    assertThat(warning.path(live ? "warn_code" : "code").asText()).isEqualTo("EXCESSIVE_FLUSH");
    assertThat(warning.path(live ? "warn_msg" : "description").asText())
        .isEqualTo("Rate limit exceeded for flushes. Please try again later.");
    // still refused within the window; the refusals do not count
    clock.advance(Duration.ofSeconds(59));
    ws.flush();
    ws.expect("Warning");
    clock.advance(Duration.ofSeconds(2));
    ws.flush();
    List<DgWs.Event> after = ws.until("Flushed");
    assertThat(DgWs.audio(after)).as("the refused flush's text").isEqualTo(tone("Kept.", 24000));
    assertThat(DgWs.texts(after).get(0).path("sequence_id").asInt()).isEqualTo(2);
    assertThat(e.control().lastSession().flushes()).as("every Flush received").isEqualTo(5);
  }

  @Test
  void theDefaultLimitIsTwentyFlushesAMinute() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.builder().clock(new TestClock()).build());
    DgWs ws = open(e, Q24);
    for (int i = 0; i < 21; i++) {
      ws.flush();
    }
    // the refusal is immediate, so it may overtake the acknowledgements still queued
    List<JsonNode> acks = new ArrayList<>();
    List<JsonNode> warnings = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      DgWs.Event ev = ws.next();
      assertThat(ev).isInstanceOf(DgWs.Text.class);
      JsonNode j = ((DgWs.Text) ev).json();
      (j.path("type").asText().equals("Flushed") ? acks : warnings).add(j);
    }
    assertThat(acks)
        .extracting(j -> j.path("sequence_id").asInt())
        .containsExactly(java.util.stream.IntStream.range(0, 20).boxed().toArray(Integer[]::new));
    assertThat(warnings)
        .singleElement()
        .satisfies(w -> assertThat(w.path("warn_code").asText()).isEqualTo("EXCESSIVE_FLUSH"));
  }

  // ------------------------------------------------------------------ limits and close codes

  @Test
  void aSpeakOfMoreThan2000CharactersIsClosed1009() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = open(e, Q24);
    ws.speak("é".repeat(2000)); // characters, not bytes
    ws.speak("a".repeat(2001));
    DgWs.Close close = ws.closeFrame();
    assertThat(close.code()).isEqualTo(1009);
    assertThat(close.reason()).startsWith("BIG-0001 ");
    assertThat(e.control().lastSession().text()).isEqualTo("é".repeat(2000));
  }

  @Test
  void moreThan2400CharactersInAWindowAreClosed1008AndTheWindowSlides() throws Exception {
    TestClock clock = new TestClock();
    DeepgramEmulator e = start(DeepgramEmulator.Options.builder().clock(clock).build());
    DgWs ws = open(e, Q24);
    ws.speak("a".repeat(2000));
    ws.send("{\"type\":\"Clear\"}");
    ws.expect("Cleared"); // the server has counted the first 2000
    clock.advance(Duration.ofSeconds(61));
    ws.speak("b".repeat(2000));
    ws.speak("c".repeat(400));
    ws.send("{\"type\":\"Clear\"}");
    ws.expect("Cleared"); // 2400 in the window: still fine
    ws.speak("d");
    DgWs.Close close = ws.closeFrame();
    assertThat(close.code()).isEqualTo(1008);
    assertThat(close.reason()).startsWith("DATA-0001 ");
    assertThat(close.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(123);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|1008|DATA-0000",
        "[1,2]|1008|DATA-0000",
        "{\"type\":\"speak\",\"text\":\"lower case\"}|1008|DATA-0000",
        "{\"type\":\"KeepAlive\"}|1008|DATA-0000",
        "{\"type\":\"Speak\"}|1008|DATA-0000",
        "{\"type\":\"Speak\",\"text\":42}|1008|DATA-0000"
      })
  void messagesThatAreNotCommandsAreClosed(String message, int code, String token)
      throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = open(e, Q24);
    ws.send(message);
    DgWs.Close close = ws.closeFrame();
    assertThat(close.code()).isEqualTo(code);
    assertThat(close.reason()).startsWith(token + " ");
    assertThat(e.control().lastSession().frames()).containsExactly(message);
  }

  @Test
  void aBinaryMessageIsClosed1003() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = open(e, Q24);
    ws.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get();
    DgWs.Close close = ws.closeFrame();
    assertThat(close.code()).isEqualTo(1003);
    assertThat(close.reason()).startsWith("MESSAGE-0000 ");
    assertThat(e.control().lastSession().frames()).containsExactly("<binary 3 bytes>");
  }

  @Test
  void aHugeMessageIsClosed1009Big0000() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = open(e, Q24);
    ws.speak("x".repeat(DeepgramSocket.MAX_MESSAGE_BYTES + 1));
    DgWs.Close close = ws.closeFrame();
    assertThat(close.code()).isEqualTo(1009);
    assertThat(close.reason()).startsWith("BIG-0000 ");
  }

  @Test
  void theSessionCapClosesWith1011Net0003() throws Exception {
    DeepgramEmulator e =
        start(DeepgramEmulator.Options.builder().sessionLimit(Duration.ofMillis(300)).build());
    DgWs ws = open(e, Q24);
    DgWs.Close close = ws.closeFrame();
    assertThat(close.code()).isEqualTo(1011);
    assertThat(close.reason()).startsWith("NET-0003 ");
    assertThat(DeepgramEmulator.Options.defaults().sessionLimit()).hasMinutes(60);
  }

  @Test
  void anIdleTimeoutIsOffByDefaultAndClosesWith1011Net0001WhenSet() throws Exception {
    assertThat(DeepgramEmulator.Options.defaults().idleTimeout()).isNull();
    DeepgramEmulator e =
        start(DeepgramEmulator.Options.builder().idleTimeout(Duration.ofMillis(200)).build());
    DgWs ws = open(e, Q24);
    DgWs.Close close = ws.closeFrame();
    assertThat(close.code()).isEqualTo(1011);
    assertThat(close.reason()).startsWith("NET-0001 ");
  }

  // ------------------------------------------------------------------ formats and models

  @Test
  void defaultsAreAsteriaLinear16At24000() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = DgWs.connect(e, "", KEY);
    sockets.add(ws);
    assertThat(ws.expect("Metadata").path("model_name").asText()).isEqualTo("aura-asteria-en");
    ws.speak("Hi.");
    ws.flush();
    assertThat(DgWs.audio(ws.until("Flushed"))).isEqualTo(tone("Hi.", 24000));
  }

  @ParameterizedTest
  @CsvSource({"mulaw,,8000", "mulaw,16000,16000", "alaw,,8000", "alaw,16000,16000"})
  void companded(String encoding, String rate, int expected) throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws =
        open(
            e,
            "?model=aura-2-thalia-en&encoding="
                + encoding
                + (rate == null ? "" : "&sample_rate=" + rate));
    ws.speak("Hello.");
    ws.flush();
    byte[] pcm = tone("Hello.", expected);
    byte[] want =
        encoding.equals("mulaw")
            ? G711.encodeMuLaw(pcm, 0, pcm.length)
            : G711.encodeALaw(pcm, 0, pcm.length);
    assertThat(DgWs.audio(ws.until("Flushed"))).isEqualTo(want);
  }

  @Test
  void speedShortensAura2EnglishAndIsIgnoredElsewhere() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs fast = open(e, Q24 + "&speed=1.5");
    fast.speak("Hello there.");
    fast.flush();
    assertThat(DgWs.audio(fast.until("Flushed"))).isEqualTo(tone("Hello there.", 16000));
    DgWs aura1 = open(e, "?model=aura-asteria-en&speed=1.5");
    aura1.speak("Hello there.");
    aura1.flush();
    assertThat(DgWs.audio(aura1.until("Flushed"))).isEqualTo(tone("Hello there.", 24000));
  }

  // ------------------------------------------------------------------ authentication

  @ParameterizedTest
  @CsvSource({"Token", "token", "Bearer", "bearer"})
  void theKeyIsAcceptedWithEitherSchemeInAnyCase(String scheme) throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = DgWs.connect(e, Q24, Map.of("Authorization", scheme + " " + KEY));
    sockets.add(ws);
    ws.expect("Metadata");
  }

  @ParameterizedTest
  @CsvSource({"token", "bearer"})
  void theKeyIsAcceptedAsASubprotocolAndTheFirstItemIsEchoed(String scheme) throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    DgWs ws = DgWs.connectWithSubprotocol(e, scheme, KEY);
    sockets.add(ws);
    assertThat(ws.ws.getSubprotocol()).isEqualTo(scheme);
    ws.expect("Metadata");
  }

  // ------------------------------------------------------------------ handshake refusals

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Token wrong-key|" + Q24 + "|401|INVALID_AUTH",
        "Basic " + KEY + "|" + Q24 + "|401|INVALID_AUTH",
        "Token no-credit|" + Q24 + "|402|INSUFFICIENT_CREDITS",
        "Token " + KEY + "|?model=aura-austeria-en|400|Bad Request",
        "Token " + KEY + "|?model=aura-2-thalia-xx|400|Bad Request",
        "Token " + KEY + "|?mip_opt_out=False|400|INVALID_QUERY_PARAMETER",
        "Token " + KEY + "|?sample_rate=44100|400|INVALID_QUERY_PARAMETER",
        "Token " + KEY + "|?encoding=mulaw&sample_rate=24000|400|INVALID_QUERY_PARAMETER",
        "Token " + KEY + "|?encoding=mp3|400|INVALID_QUERY_PARAMETER",
        "Token " + KEY + "|?container=wav|400|INVALID_QUERY_PARAMETER",
        "Token " + KEY + "|?speed=2.0|400|INVALID_QUERY_PARAMETER"
      })
  void refusalsCarryDgErrorDgRequestIdAndTheErrorBody(
      String authorization, String query, int status, String errCode) throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    HttpResponse<?> r = DgWs.refused(e, query, Map.of("Authorization", authorization));
    assertThat(r.statusCode()).isEqualTo(status);
    JsonNode body = DgWs.JSON.readTree(String.valueOf(r.body()));
    assertThat(body.path("err_code").asText()).isEqualTo(errCode);
    assertThat(r.headers().firstValue("dg-error")).contains(body.path("err_msg").asText());
    assertThat(r.headers().firstValue("dg-request-id")).contains(body.path("request_id").asText());
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(e.control().sessions()).as("a refused handshake is no session").isEmpty();
  }

  @Test
  void aMissingKeyIs401AndADeniedModel403() throws Exception {
    DeepgramEmulator e =
        start(DeepgramEmulator.Options.builder().deniedModels(Set.of("aura-2-zeus-en")).build());
    assertThat(DgWs.refused(e, Q24, Map.of()).statusCode()).isEqualTo(401);
    HttpResponse<?> r =
        DgWs.refused(e, "?model=aura-2-zeus-en", Map.of("Authorization", "Token " + KEY));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(String.valueOf(r.body())).contains("INSUFFICIENT_PERMISSIONS");
  }

  @Test
  void moreSocketsThanTheLimitGet429WithRetryAfter() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.builder().maxConcurrentStreams(1).build());
    DgWs first = open(e, Q24);
    HttpResponse<?> r = DgWs.refused(e, Q24, Map.of("Authorization", "Token " + KEY));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).contains("1");
    assertThat(String.valueOf(r.body())).contains("TOO_MANY_REQUESTS");
    first.send("{\"type\":\"Close\"}");
    first.closeFrame();
    await()
        .atMost(DgWs.WAIT)
        .untilAsserted(() -> assertThat(e.control().openConnections()).isZero());
    open(e, Q24); // the slot is free again
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> DeepgramEmulator.Options.builder().maxSpeakCharacters(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeepgramEmulator.Options.builder().rateWindow(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeepgramEmulator.Options.builder().webSocketSampleRates(Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    DeepgramEmulator.Options o =
        DeepgramEmulator.Options.builder().maxFlushesPerWindow(3).autoFlush(true).build();
    assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
  }
}
