package dev.voicebridge.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.spi.conformance.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The hostile-server faults of every vendor and transport, seen with a raw client: echoed
 * credentials in each channel, endless audio, endless frames, truncated frames, an HTML page for
 * audio, slow handshakes, and that the emulator lets go of the connection when the client leaves.
 */
class HostileFaultsTest {
  /** A canary key, long enough to show how a close reason is truncated. */
  static final String KEY =
      "vb-canary-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
          + "-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  static final String TEXT = "Hello hostile world, speak a little.";

  /** A Cartesia generation request (WebSocket message or HTTP body) speaking {@link #TEXT}. */
  static final String CARTESIA_REQUEST =
      "{\"model_id\":\"sonic-3\",\"voice\":\"v1\",\"output_format\":{\"container\":\"raw\","
          + "\"encoding\":\"pcm_s16le\",\"sample_rate\":16000},\"max_buffer_delay_ms\":0,"
          + "\"context_id\":\"h1\",\"transcript\":\""
          + TEXT
          + "\",\"continue\":false}";

  static final Duration PROMPTLY = Duration.ofSeconds(3);

  /** Counts the audio frames an emulator writes (endless audio included). */
  static final class Counter implements AudioTap {
    final AtomicLong frames = new AtomicLong();

    @Override
    public void writing(String vendor, byte[] bytes) {
      frames.incrementAndGet();
    }
  }

  /** A WebSocket transport: how to open it and what a session sends. */
  enum Ws {
    FISH("fish", "/v1/tts/live", "Authorization", "Bearer " + KEY) {
      @Override
      void session(RawClient c) throws IOException {
        c.sendBinary(
            pack(Map.of("event", "start", "request", Map.of("text", "", "format", "pcm"))));
        c.sendBinary(pack(Map.of("event", "text", "text", TEXT)));
        c.sendBinary(pack(Map.of("event", "stop")));
      }

      @Override
      boolean isAudio(RawClient.Frame f) {
        return f.opcode() == 2
            && contains(f.payload(), "audio")
            && !contains(f.payload(), "finish");
      }
    },
    ELEVENLABS(
        "elevenlabs",
        "/v1/text-to-speech/voice1/stream-input?output_format=pcm_16000",
        "xi-api-key",
        KEY) {
      @Override
      void session(RawClient c) throws IOException {
        c.sendText("{\"text\":\" \"}");
        c.sendText("{\"text\":\"" + TEXT + " \",\"flush\":true}");
        c.sendText("{\"text\":\"\"}");
      }

      @Override
      boolean isAudio(RawClient.Frame f) {
        return f.opcode() == 1 && f.text().contains("\"audio\":\"") && f.text().endsWith("}");
      }
    },
    SMALLEST("smallest", "/waves/v1/tts/live", "Authorization", "Bearer " + KEY) {
      @Override
      void session(RawClient c) throws IOException {
        c.sendText("{\"voice_id\":\"magnus\",\"text\":\"" + TEXT + "\"}");
      }

      @Override
      boolean isAudio(RawClient.Frame f) {
        return f.opcode() == 1 && f.text().contains("\"chunk\"") && f.text().endsWith("}");
      }
    },
    CARTESIA("cartesia", "/tts/websocket", "Authorization", "Bearer " + KEY) {
      @Override
      void session(RawClient c) throws IOException {
        c.sendText(CARTESIA_REQUEST);
      }

      @Override
      boolean isAudio(RawClient.Frame f) {
        return f.opcode() == 1 && f.text().contains("\"type\":\"chunk\"") && f.text().endsWith("}");
      }
    },
    DEEPGRAM(
        "deepgram",
        "/v1/speak?encoding=linear16&sample_rate=16000",
        "Authorization",
        "Token " + KEY) {
      @Override
      void session(RawClient c) throws IOException {
        assertThat(c.readFrame().text())
            .as("Metadata, right after the upgrade")
            .contains("Metadata");
        c.sendText("{\"type\":\"Speak\",\"text\":\"" + TEXT + "\"}");
        c.sendText("{\"type\":\"Flush\"}");
      }

      @Override
      boolean isAudio(RawClient.Frame f) {
        return f.opcode() == 2;
      }
    };

    final String vendor;
    final String path;
    final String header;
    final String credential;

    Ws(String vendor, String path, String header, String credential) {
      this.vendor = vendor;
      this.path = path;
      this.header = header;
      this.credential = credential;
    }

    abstract void session(RawClient c) throws IOException;

    abstract boolean isAudio(RawClient.Frame f);

    RawClient open(VendorEmulator e) throws IOException {
      return RawClient.upgrade(e.baseUrl(), path, Map.of(header, credential));
    }
  }

  /** An HTTP transport: the request of a session. */
  enum Http {
    FISH(
        "fish",
        "/v1/tts",
        "Authorization",
        "Bearer " + KEY,
        false,
        "{\"text\":\"" + TEXT + "\",\"format\":\"pcm\"}"),
    ELEVENLABS_STREAM(
        "elevenlabs",
        "/v1/text-to-speech/voice1/stream?output_format=pcm_16000",
        "xi-api-key",
        KEY,
        false,
        "{\"text\":\"" + TEXT + "\"}"),
    ELEVENLABS_NDJSON(
        "elevenlabs",
        "/v1/text-to-speech/voice1/stream/with-timestamps?output_format=pcm_16000",
        "xi-api-key",
        KEY,
        true,
        "{\"text\":\"" + TEXT + "\"}"),
    SMALLEST_SSE(
        "smallest",
        "/waves/v1/tts/live",
        "Authorization",
        "Bearer " + KEY,
        true,
        "{\"voice_id\":\"magnus\",\"text\":\"" + TEXT + "\"}"),
    SMALLEST_SYNC(
        "smallest",
        "/waves/v1/tts",
        "Authorization",
        "Bearer " + KEY,
        false,
        "{\"voice_id\":\"magnus\",\"text\":\"" + TEXT + "\"}"),
    CARTESIA_SSE("cartesia", "/tts/sse", "Authorization", "Bearer " + KEY, true, CARTESIA_REQUEST),
    CARTESIA_BYTES(
        "cartesia", "/tts/bytes", "Authorization", "Bearer " + KEY, false, CARTESIA_REQUEST),
    DEEPGRAM(
        "deepgram",
        "/v1/speak?encoding=linear16&container=none",
        "Authorization",
        "Token " + KEY,
        false,
        "{\"text\":\"" + TEXT + "\"}");

    final String vendor;
    final String path;
    final String header;
    final String credential;
    final boolean framed;
    final String body;

    Http(
        String vendor, String path, String header, String credential, boolean framed, String body) {
      this.vendor = vendor;
      this.path = path;
      this.header = header;
      this.credential = credential;
      this.framed = framed;
      this.body = body;
    }

    RawClient send(VendorEmulator e) throws IOException {
      return RawClient.post(e.baseUrl(), path, Map.of(header, credential), body);
    }
  }

  private final List<VendorEmulator> started = new ArrayList<>();
  private final Counter counter = new Counter();

  @AfterEach
  void stop() {
    started.forEach(VendorEmulator::close);
  }

  private VendorEmulator start(String vendor) {
    VendorEmulator e =
        Emulators.start(vendor, EmulatorConfig.builder().apiKey(KEY).audioTap(counter).build());
    started.add(e);
    return e;
  }

  static byte[] pack(Map<String, ?> m) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      packValue(p, m);
      return p.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void packValue(MessageBufferPacker p, Object v) throws IOException {
    if (v instanceof Map<?, ?> m) {
      p.packMapHeader(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        p.packString((String) e.getKey());
        packValue(p, e.getValue());
      }
    } else {
      p.packString((String) v);
    }
  }

  static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1)
        .contains(new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
  }

  /** Opens a WebSocket, expecting the upgrade. */
  private RawClient upgraded(Ws ws, VendorEmulator e) throws IOException {
    RawClient c = ws.open(e);
    assertThat(c.readHead()).as("the upgrade").isEqualTo(101);
    return c;
  }

  /** Frames up to the close frame or the end of the stream (at most {@code max}). */
  private static List<RawClient.Frame> framesUntilClose(RawClient c, int max) throws IOException {
    List<RawClient.Frame> out = new ArrayList<>();
    for (RawClient.Frame f = c.readFrame(); f != null && out.size() < max; f = c.readFrame()) {
      out.add(f);
      if (f.opcode() == 8) {
        break;
      }
    }
    return out;
  }

  /** Frames until one matches (at most {@code max}); fails at a close or the end of the stream. */
  private static RawClient.Frame readUntil(RawClient c, Predicate<RawClient.Frame> p, int max)
      throws IOException {
    for (int i = 0; i < max; i++) {
      RawClient.Frame f = c.readFrame();
      assertThat(f).as("a frame").isNotNull();
      if (p.test(f)) {
        return f;
      }
      assertThat(f.opcode()).as("a close before the expected frame").isNotEqualTo(8);
    }
    throw new AssertionError("no such frame in " + max);
  }

  private static void awaitReleased(VendorEmulator e) {
    await()
        .atMost(PROMPTLY)
        .untilAsserted(() -> assertThat(e.control().openConnections()).isZero());
  }

  // ------------------------------------------------------------------ echoed credentials

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketEchoesTheCredentialInTheRefusalBody(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.EchoCredentials(Fault.EchoCredentials.Channel.REFUSAL_BODY));
    try (RawClient c = ws.open(e)) {
      assertThat(c.readHead()).isEqualTo(401);
      assertThat(new String(c.readBody(1 << 16), StandardCharsets.UTF_8)).contains(ws.credential);
    }
  }

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketEchoesTheCredentialInAnErrorFrame(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.EchoCredentials(Fault.EchoCredentials.Channel.ERROR_FRAME));
    try (RawClient c = upgraded(ws, e)) {
      ws.session(c);
      RawClient.Frame error =
          readUntil(c, f -> f.opcode() != 8 && contains(f.payload(), ws.credential), 100);
      assertThat(ws.isAudio(error)).as("the echo is in an error frame").isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketEchoesTheCredentialInAMalformedFrame(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.EchoCredentials(Fault.EchoCredentials.Channel.MALFORMED_FRAME));
    try (RawClient c = upgraded(ws, e)) {
      ws.session(c);
      RawClient.Frame first = c.readFrame();
      assertThat(contains(first.payload(), ws.credential)).as("the first frame").isTrue();
      assertThat(ws.isAudio(first)).isFalse();
      assertThat(ws.isAudio(c.readFrame())).as("audio follows").isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketEchoesTheCredentialInTheCloseReasonTruncatedTo123Bytes(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.EchoCredentials(Fault.EchoCredentials.Channel.CLOSE_REASON));
    try (RawClient c = upgraded(ws, e)) {
      ws.session(c);
      List<RawClient.Frame> frames = framesUntilClose(c, 1000);
      RawClient.Frame close = frames.get(frames.size() - 1);
      assertThat(close.opcode()).isEqualTo(8);
      assertThat(close.closeCode()).isEqualTo(1008);
      assertThat(close.payload().length - 2).isLessThanOrEqualTo(123);
      String key = KEY;
      assertThat(close.closeReason()).contains(key.substring(0, 20));
      assertThat(ws.credential)
          .startsWith(close.closeReason().substring(close.closeReason().indexOf(": ") + 2));
    }
  }

  @ParameterizedTest
  @EnumSource(Http.class)
  void httpEchoesTheCredentialInTheRefusalBody(Http http) throws Exception {
    VendorEmulator e = start(http.vendor);
    e.control().inject(new Fault.EchoCredentials(Fault.EchoCredentials.Channel.REFUSAL_BODY));
    try (RawClient c = http.send(e)) {
      assertThat(c.readHead()).isEqualTo(401);
      assertThat(new String(c.readBody(1 << 16), StandardCharsets.UTF_8)).contains(http.credential);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Http.class,
      names = {
        "FISH",
        "ELEVENLABS_STREAM",
        "ELEVENLABS_NDJSON",
        "SMALLEST_SSE",
        "CARTESIA_SSE",
        "CARTESIA_BYTES",
        "DEEPGRAM"
      })
  void httpEchoesTheCredentialInAnErrorBodyOrEvent(Http http) throws Exception {
    VendorEmulator e = start(http.vendor);
    e.control().inject(new Fault.EchoCredentials(Fault.EchoCredentials.Channel.ERROR_FRAME));
    try (RawClient c = http.send(e)) {
      c.readHead();
      assertThat(new String(c.readBody(1 << 20), StandardCharsets.UTF_8)).contains(http.credential);
    }
  }

  // ------------------------------------------------------------------ endless audio

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketEndlessAudioNeverCompletesAndStopsWhenTheClientLeaves(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.EndlessAudio());
    try (RawClient c = upgraded(ws, e)) {
      ws.session(c);
      int audio = 0;
      while (audio < 300) { // the text makes about a dozen frames
        RawClient.Frame f = c.readFrame();
        assertThat(f).as("a frame").isNotNull();
        assertThat(f.opcode()).as("no close").isNotEqualTo(8);
        if (ws.isAudio(f)) {
          audio++;
        } else {
          assertThat(f.text()).doesNotContain("isFinal\":true").doesNotContain("complete");
        }
      }
    }
    awaitReleased(e);
    assertWritesStop();
  }

  @ParameterizedTest
  @EnumSource(Http.class)
  void httpEndlessAudioNeverEndsAndStopsWhenTheClientLeaves(Http http) throws Exception {
    VendorEmulator e = start(http.vendor);
    e.control().inject(new Fault.EndlessAudio());
    try (RawClient c = http.send(e)) {
      assertThat(c.readHead()).isEqualTo(200);
      assertThat(c.header("Content-Length")).isNull();
      int max = 4 << 20; // far more than the text makes
      assertThat(c.readBody(max)).hasSize(max);
    }
    awaitReleased(e);
    assertWritesStop();
  }

  /** The endless writes stop once the client has gone: the count stays put. */
  private void assertWritesStop() {
    long[] last = {-1};
    await()
        .atMost(PROMPTLY)
        .until(
            () -> {
              long now = counter.frames.get();
              boolean same = now == last[0];
              last[0] = now;
              return same;
            });
    long settled = counter.frames.get();
    await()
        .during(Duration.ofMillis(300))
        .atMost(PROMPTLY)
        .until(() -> counter.frames.get() == settled);
  }

  // ------------------------------------------------------------------ endless frames

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketEndlessFrameNeverEndsItsMessage(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.EndlessFrame(1));
    try (RawClient c = upgraded(ws, e)) {
      ws.session(c);
      RawClient.Frame audio = c.readFrame();
      assertThat(ws.isAudio(audio)).isTrue();
      RawClient.Frame start = c.readFrame();
      assertThat(start.fin()).as("the message's first fragment is not its last").isFalse();
      assertThat(start.opcode()).isIn(1, 2);
      long bytes = start.payload().length;
      while (bytes < (4 << 20)) {
        RawClient.Frame f = c.readFrame();
        assertThat(f.opcode()).as("continuation").isZero();
        assertThat(f.fin()).isFalse();
        bytes += f.payload().length;
      }
    }
    awaitReleased(e);
  }

  @ParameterizedTest
  @EnumSource(
      value = Http.class,
      names = {"ELEVENLABS_NDJSON", "SMALLEST_SSE", "CARTESIA_SSE"})
  void httpEndlessFrameNeverEndsItsLineOrEvent(Http http) throws Exception {
    VendorEmulator e = start(http.vendor);
    e.control().inject(new Fault.EndlessFrame(1));
    try (RawClient c = http.send(e)) {
      assertThat(c.readHead()).isEqualTo(200);
      byte[] body = c.readBody(4 << 20);
      assertThat(body).hasSize(4 << 20);
      String tail = new String(body, body.length - 100_000, 100_000, StandardCharsets.US_ASCII);
      assertThat(tail).doesNotContain("\n");
    }
    awaitReleased(e);
  }

  // ------------------------------------------------------------------ truncated frames

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketTruncatedFrameIsAPartialFrameThenAReset(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.TruncatedFrame(1));
    try (RawClient c = upgraded(ws, e)) {
      ws.session(c);
      assertThat(ws.isAudio(c.readFrame())).isTrue();
      RawClient.PartialFrame p =
          (RawClient.PartialFrame)
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> {
                    for (int i = 0; i < 10; i++) {
                      c.readFrame();
                    }
                  });
      assertThat(p).as("a partial frame").isNotNull();
      assertThat(p.announced).isEqualTo(1000);
      assertThat(p.received).isEqualTo(10);
      assertThat(RawClient.isReset(p)).as("then a reset: %s", p.getCause()).isTrue();
    }
    awaitReleased(e);
  }

  @ParameterizedTest
  @EnumSource(Http.class)
  void httpTruncatedFrameIsAPartialChunkThenAReset(Http http) throws Exception {
    VendorEmulator e = start(http.vendor);
    e.control().inject(new Fault.TruncatedFrame(1));
    try (RawClient c = http.send(e)) {
      assertThat(c.readHead()).isEqualTo(200);
      RawClient.PartialFrame p =
          (RawClient.PartialFrame)
              org.assertj.core.api.Assertions.catchThrowable(() -> c.readBody(Integer.MAX_VALUE));
      assertThat(p).as("a partial chunk or body").isNotNull();
      assertThat(RawClient.isReset(p)).as("then a reset: %s", p.getCause()).isTrue();
      if (c.header("Content-Length") == null) {
        assertThat(p.announced).isEqualTo(1000);
        assertThat(p.received).isEqualTo(10);
      }
    }
    awaitReleased(e);
  }

  // ------------------------------------------------------------------ HTML instead of audio

  @ParameterizedTest
  @EnumSource(Http.class)
  void httpAnswersAnHtmlPageWithStatus200(Http http) throws Exception {
    VendorEmulator e = start(http.vendor);
    e.control().inject(new Fault.HtmlInsteadOfAudio());
    try (RawClient c = http.send(e)) {
      assertThat(c.readHead()).isEqualTo(200);
      assertThat(c.header("Content-Type")).startsWith("text/html");
      assertThat(new String(c.readBody(1 << 16), StandardCharsets.UTF_8)).contains("<html>");
    }
  }

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketUpgradeAnsweredWithAnHtmlPage(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.HtmlInsteadOfAudio());
    try (RawClient c = ws.open(e)) {
      assertThat(c.readHead()).isEqualTo(200);
      assertThat(c.header("Content-Type")).startsWith("text/html");
    }
  }

  // ------------------------------------------------------------------ slow handshakes

  @ParameterizedTest
  @EnumSource(Ws.class)
  void webSocketSlowHandshakeAnswersLateAndLetsGoOfALeavingClientAtOnce(Ws ws) throws Exception {
    VendorEmulator e = start(ws.vendor);
    e.control().inject(new Fault.SlowHandshake(Duration.ofMillis(200)));
    try (RawClient c = ws.open(e)) {
      assertThat(c.readHead()).as("answered after the delay").isEqualTo(101);
    }
    awaitReleased(e);
    slowHandshakeReleasedWhenTheClientLeaves(e, () -> ws.open(e));
  }

  @ParameterizedTest
  @EnumSource(Http.class)
  void httpSlowHandshakeLetsGoOfALeavingClientAtOnce(Http http) throws Exception {
    VendorEmulator e = start(http.vendor);
    e.control().inject(new Fault.SlowHandshake(Duration.ofMillis(200)));
    try (RawClient c = http.send(e)) {
      assertThat(c.readHead()).as("answered after the delay").isEqualTo(200);
    }
    slowHandshakeReleasedWhenTheClientLeaves(e, () -> http.send(e));
  }

  /** A client that leaves during a slow handshake is let go long before the delay ends. */
  private static void slowHandshakeReleasedWhenTheClientLeaves(VendorEmulator e, Opener opener)
      throws Exception {
    int before = e.control().connectionsAccepted();
    e.control().inject(new Fault.SlowHandshake(Duration.ofMinutes(5)));
    RawClient c = opener.open();
    // the handshake is under way once the fault is taken from the queue
    await()
        .atMost(PROMPTLY)
        .until(
            () ->
                e.control().connectionsAccepted() > before
                    && ((EmulatorControl) e.control()).peekFault() == null);
    c.close();
    awaitReleased(e);
  }

  @FunctionalInterface
  interface Opener {
    RawClient open() throws IOException;
  }

  // ------------------------------------------------------------------ declared where implemented

  @ParameterizedTest
  @EnumSource(Ws.class)
  void everyEmulatorDeclaresTheHostileFaults(Ws ws) {
    VendorEmulator e = start(ws.vendor);
    assertThat(e.control().supportedFaults())
        .contains(
            Fault.EchoCredentials.class,
            Fault.EndlessAudio.class,
            Fault.EndlessFrame.class,
            Fault.TruncatedFrame.class,
            Fault.HtmlInsteadOfAudio.class,
            Fault.SlowHandshake.class);
    assertThatThrownBy(() -> Emulators.start("nope", EmulatorConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
