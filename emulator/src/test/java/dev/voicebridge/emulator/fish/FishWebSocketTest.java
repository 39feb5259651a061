package dev.voicebridge.emulator.fish;

import static dev.voicebridge.emulator.fish.FishTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.GatedVoice;
import dev.voicebridge.emulator.TapRecorder;
import dev.voicebridge.emulator.fish.FishTestClient.Binary;
import dev.voicebridge.emulator.fish.FishTestClient.Closed;
import dev.voicebridge.emulator.fish.FishTestClient.Event;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FishWebSocketTest {
  /** Bytes of tone audio per character at 16 kHz PCM. */
  static final int PER_CHAR_16K = 16000 * 60 / 1000 * 2;

  static final TapRecorder TAP = new TapRecorder();
  FishEmulator fish;
  FishTestClient client;

  @BeforeEach
  void setUp() {
    TAP.clear();
    fish = FishEmulator.start(EmulatorConfig.defaults().toBuilder().audioTap(TAP).build());
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    fish.close();
  }

  static Map<String, Object> pcm16k(int chunkLength) {
    return map(
        "text",
        "",
        "format",
        "pcm",
        "sample_rate",
        16000,
        "latency",
        "balanced",
        "chunk_length",
        chunkLength);
  }

  FishTestClient connect() throws Exception {
    client = FishTestClient.connect(fish.liveUrl(), "test-key", null);
    return client;
  }

  @Test
  void audioThenExactlyOneFinishAndTheRecordMatchesWhatArrived() throws Exception {
    connect();
    client.start(pcm16k(100));
    client.text("Hello world. ");
    client.text("This is a test.");
    client.stop();
    List<Event> seen = new ArrayList<>();
    Binary finish = client.untilFinish(seen);
    assertThat(finish.map()).containsEntry("reason", "stop");
    assertThat(seen.subList(0, seen.size() - 1))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(((Binary) e).event()).isEqualTo("audio"));
    assertThat(client.barrier()).isEmpty(); // nothing after the finish, in particular no 2nd finish
    byte[] audio = client.audio();
    assertThat(audio).hasSize("Hello world. This is a test.".length() * PER_CHAR_16K);
    ServerRecord r = fish.control().lastSession();
    assertThat(r.completed()).isTrue();
    assertThat(r.finished()).isTrue();
    assertThat(r.text()).isEqualTo("Hello world. This is a test.");
    assertThat(r.textMessages()).isEqualTo(2);
    assertThat(r.audioBytesSent()).isEqualTo(audio.length);
    assertThat(r.audioSha256()).isEqualTo(FishTestClient.sha256(audio));
    assertThat(r.audioFramesSent()).isEqualTo(seen.size() - 1);
    assertThat(TAP.sha256()).isEqualTo(r.audioSha256()); // the tap saw each frame once
    assertThat(TAP.vendors()).containsExactly("fish");
    assertThat(r.headers()).containsKey("authorization");
    assertThat(r.frames()).hasSize(4);
    assertThat(r.frames().get(0)).startsWith("{\"event\":\"start\",\"request\":{");
    assertThat(r.frames().get(1)).isEqualTo("{\"event\":\"text\",\"text\":\"Hello world. \"}");
    assertThat(r.frames().get(3)).isEqualTo("{\"event\":\"stop\"}");
  }

  @Test
  void aLongMessageIsSynthesizedAChunkAtATimeSoAudioStartsBeforeTheRest() throws Exception {
    GatedVoice voice = new GatedVoice();
    fish.close();
    fish = FishEmulator.start(EmulatorConfig.defaults().toBuilder().voice(voice).build());
    connect();
    client.start(pcm16k(100));
    String sentence = "A sentence of forty-one characters here. ";
    String text = sentence.repeat(20).strip(); // one message, 20 chunks of 100 characters or less
    client.text(text);
    client.stop();
    Event first = client.next();
    int synthesizedAtFirstAudio = voice.asked().size();
    voice.open();
    List<Event> seen = new ArrayList<>();
    client.untilFinish(seen);
    assertThat(((Binary) first).event()).isEqualTo("audio");
    assertThat(synthesizedAtFirstAudio).isLessThanOrEqualTo(2);
    assertThat(voice.asked()).hasSizeGreaterThan(5);
    assertThat(client.audio()).hasSize(String.join("", voice.asked()).length() * PER_CHAR_16K);
  }

  @Test
  void noAudioBeforeChunkLengthThenAChunkCutAtASentenceEnd() throws Exception {
    connect();
    client.start(pcm16k(100));
    String first = "This first sentence is exactly long enough to be cut here."; // 58 chars
    String second = " The second one goes past the chunk length of one hundred.";
    client.text(first); // 58 < 100: nothing yet
    assertThat(client.barrier()).isEmpty();
    assertThat(fish.control().lastSession().audioFramesSent()).isZero();
    client.text(second); // now > 100: the first sentence is cut and spoken
    client.awaitAudioBytes(first.length() * PER_CHAR_16K);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> fish.control().lastSession().audioBytesSent() >= first.length() * PER_CHAR_16K);
    assertThat(fish.control().lastSession().audioBytesSent())
        .isEqualTo(first.length() * PER_CHAR_16K);
    client.flush(); // the rest
    String rest = second.strip();
    client.awaitAudioBytes((first.length() + rest.length()) * PER_CHAR_16K);
    assertThat(client.audio()).hasSize((first.length() + rest.length()) * PER_CHAR_16K);
  }

  @Test
  void flushGivesAudioWithoutStopAndTheSessionGoesOn() throws Exception {
    connect();
    client.start(pcm16k(300));
    client.text("Hi there.");
    client.flush();
    client.awaitAudioBytes(9 * PER_CHAR_16K);
    client.text("Again.");
    client.flush();
    client.awaitAudioBytes(15 * PER_CHAR_16K);
    client.stop();
    client.untilFinish(new ArrayList<>());
    ServerRecord r = fish.control().lastSession();
    assertThat(r.flushes()).isEqualTo(2);
    assertThat(r.completed()).isTrue();
  }

  @Test
  void stopDrainsTheBufferThenFinishes() throws Exception {
    connect();
    client.start(pcm16k(300));
    client.text("Short text");
    client.stop();
    List<Event> seen = new ArrayList<>();
    client.untilFinish(seen);
    assertThat(client.audio()).hasSize(10 * PER_CHAR_16K);
  }

  @Test
  void anEmptySessionFinishesWithoutAudio() throws Exception {
    connect();
    client.start(pcm16k(300));
    client.stop();
    List<Event> seen = new ArrayList<>();
    Binary finish = client.untilFinish(seen);
    assertThat(seen).hasSize(1);
    assertThat(finish.map()).containsEntry("reason", "stop");
  }

  @Test
  void aSecondStartOnTheSameSocketRunsANewSession() throws Exception {
    connect();
    for (int i = 0; i < 2; i++) {
      client.start(pcm16k(300));
      client.text("Turn " + i);
      client.stop();
      client.untilFinish(new ArrayList<>());
    }
    List<ServerRecord> sessions = fish.control().sessions();
    assertThat(sessions).hasSize(2);
    assertThat(sessions.get(0).connection()).isEqualTo(sessions.get(1).connection());
    assertThat(sessions).allSatisfy(r -> assertThat(r.completed()).isTrue());
    assertThat(fish.control().connectionsAccepted()).isEqualTo(1);
    assertThat(fish.control().openConnections()).isEqualTo(1);
    client.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> fish.control().openConnections() == 0);
  }

  @Test
  void withTheCloseSwitchTheSocketClosesAfterFinish() throws Exception {
    fish.close();
    fish =
        FishEmulator.start(
            EmulatorConfig.defaults(),
            FishEmulator.Options.builder().closeAfterFinish(true).build());
    connect();
    client.start(pcm16k(300));
    client.text("Bye");
    client.stop();
    client.untilFinish(new ArrayList<>());
    Event e = client.next();
    assertThat(e).isEqualTo(new Closed(1000, ""));
  }

  @Test
  void withTheCloseSwitchWithoutCloseFrameTheConnectionDrops() throws Exception {
    fish.close();
    fish =
        FishEmulator.start(
            EmulatorConfig.defaults(),
            FishEmulator.Options.builder()
                .closeAfterFinish(true)
                .closeFrameAfterFinish(false)
                .build());
    try (RawWebSocket raw = RawWebSocket.connect(fish.baseUrl(), "test-key")) {
      raw.sendBinary(map("event", "start", "request", pcm16k(300)));
      raw.sendBinary(map("event", "text", "text", "Bye"));
      raw.sendBinary(map("event", "stop"));
      List<RawWebSocket.Frame> frames = new ArrayList<>();
      for (RawWebSocket.Frame f = raw.read(); f != null; f = raw.read()) {
        frames.add(f);
      }
      assertThat(frames).isNotEmpty().allSatisfy(f -> assertThat(f.opcode()).isEqualTo(2));
      Map<String, Object> last = FishTestClient.decode(frames.get(frames.size() - 1).payload());
      assertThat(last).containsEntry("event", "finish").containsEntry("reason", "stop");
    }
  }

  @Test
  void aBadKeyIsRefusedAtTheHandshakeWithAJsonBody() throws Exception {
    FishTestClient.RawResponse bad =
        FishTestClient.rawHandshake(fish.baseUrl(), Map.of("Authorization", "Bearer nope"));
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.headers().get("content-type")).startsWith("application/json");
    assertThat(bad.body()).isEqualTo("{\"status\":401,\"message\":\"Invalid Token\"}");
    FishTestClient.RawResponse none = FishTestClient.rawHandshake(fish.baseUrl(), Map.of());
    assertThat(none.status()).isEqualTo(401);
    FishTestClient.RawResponse broke =
        FishTestClient.rawHandshake(fish.baseUrl(), Map.of("Authorization", "Bearer no-credit"));
    assertThat(broke.status()).isEqualTo(402);
    assertThat(broke.body()).contains("\"status\":402").contains("Insufficient API credit");
    FishTestClient.RawResponse ok =
        FishTestClient.rawHandshake(fish.baseUrl(), Map.of("Authorization", "Bearer test-key"));
    assertThat(ok.status()).isEqualTo(101);
    assertThat(fish.control().sessions()).isEmpty();
  }

  @Test
  void aBadStartGetsAnErrorEventThenClose() throws Exception {
    connect();
    client.start(map("text", "", "chunk_length", 50));
    Event e = client.next();
    assertThat(e).isInstanceOf(Binary.class);
    Binary error = (Binary) e;
    assertThat(error.event()).isEqualTo("error");
    assertThat((String) error.map().get("error")).contains("chunk_length");
    Event close = client.next();
    assertThat(close).isInstanceOf(Closed.class);
    assertThat(((Closed) close).code()).isEqualTo(1008);
    assertThat(fish.control().lastSession().completed()).isFalse();
  }

  @Test
  void unsupportedFormatsAndRatesAreRefusedLikeTheVendorDoes() throws Exception {
    for (Map<String, Object> request :
        List.of(
            map("text", "", "format", "opus"),
            map("text", "", "format", "opus", "sample_rate", 24000),
            map("text", "", "format", "pcm", "sample_rate", 22050),
            map("text", "", "format", "mp3", "sample_rate", 16000),
            map("text", "", "format", "flac"))) {
      connect();
      client.start(request);
      Event e = client.next();
      assertThat(e).isInstanceOf(Binary.class);
      assertThat(((Binary) e).event()).as("%s", request).isEqualTo("error");
      assertThat(client.next()).isInstanceOf(Closed.class);
      client.close();
    }
  }

  @Test
  void textBeforeStartIsAnError() throws Exception {
    connect();
    client.text("hello");
    Event e = client.next();
    assertThat(((Binary) e).event()).isEqualTo("error");
    assertThat(client.next()).isInstanceOf(Closed.class);
  }

  @Test
  void unknownEventsAndTextFramesAreIgnored() throws Exception {
    connect();
    client.start(pcm16k(300));
    client.send(map("event", "bogus", "x", 1));
    client.ws.sendText("{\"event\":\"stop\"}", true).get();
    client.text("Still fine");
    client.stop();
    Binary finish = client.untilFinish(new ArrayList<>());
    assertThat(finish.map()).containsEntry("reason", "stop");
    ServerRecord r = fish.control().lastSession();
    assertThat(r.text()).isEqualTo("Still fine");
    assertThat(r.frames()).contains("{\"event\":\"bogus\",\"x\":1}");
    assertThat(r.frames()).anyMatch(f -> f.startsWith("text frame (ignored)"));
  }

  @Test
  void aPythonStyleStartWithNilsAndKbpsOpusBitrateIsAccepted() throws Exception {
    connect();
    Map<String, Object> request =
        map(
            "text",
            "",
            "chunk_length",
            200,
            "format",
            "wav",
            "sample_rate",
            null,
            "mp3_bitrate",
            128,
            "opus_bitrate",
            32,
            "references",
            List.of(),
            "reference_id",
            null,
            "normalize",
            true,
            "latency",
            "balanced",
            "prosody",
            null,
            "top_p",
            0.7,
            "temperature",
            0.7,
            "min_chunk_length",
            50,
            "max_new_tokens",
            1024,
            "repetition_penalty",
            1.2,
            "condition_on_previous_chunks",
            true,
            "early_stop_threshold",
            1.0);
    client.start(request);
    client.text("Wave");
    client.stop();
    List<Event> seen = new ArrayList<>();
    client.untilFinish(seen);
    byte[] audio = client.audio();
    WavInfo info = Wav.read(audio);
    assertThat(info.sampleRate()).isEqualTo(44100); // sample_rate nil = 44100
    assertThat(info.isStreaming()).isTrue();
    assertThat(audio).hasSize(Wav.HEADER_BYTES + 4 * (44100 * 60 / 1000) * 2);
  }

  @Test
  void mp3ComesAsMpegFramesInSmallAudioEvents() throws Exception {
    connect();
    client.start(map("text", "", "format", "mp3", "sample_rate", 32000, "mp3_bitrate", 64));
    client.text("An mp3 test sentence.");
    client.stop();
    List<Event> seen = new ArrayList<>();
    client.untilFinish(seen);
    byte[] audio = client.audio();
    assertThat(audio.length).isGreaterThan(100);
    boolean sync = (audio[0] & 0xFF) == 0xFF && (audio[1] & 0xE0) == 0xE0;
    boolean id3 = new String(audio, 0, 3, StandardCharsets.ISO_8859_1).equals("ID3");
    assertThat(sync || id3)
        .as("frame sync or ID3 at %s", Arrays.toString(Arrays.copyOf(audio, 4)))
        .isTrue();
    assertThat(seen).allSatisfy(e -> assertThat(((Binary) e).bytes().length).isLessThan(65536));
  }

  @Test
  void pcmFramesStayWellUnder64KiB() throws Exception {
    connect();
    client.start(map("text", "", "format", "pcm", "sample_rate", 44100));
    client.text("A long enough sentence to need several frames of audio.");
    client.stop();
    List<Event> seen = new ArrayList<>();
    client.untilFinish(seen);
    assertThat(seen.size()).isGreaterThan(2);
    assertThat(seen).allSatisfy(e -> assertThat(((Binary) e).bytes().length).isLessThan(65536));
  }

  @Test
  void theModelHeaderIsAcceptedAndUnknownOrMissingFallsBack() throws Exception {
    for (String model : new String[] {"s1", "s2-pro", "speech-9", null}) {
      client = FishTestClient.connect(fish.liveUrl(), "test-key", model);
      client.start(pcm16k(300));
      client.stop();
      client.untilFinish(new ArrayList<>());
      client.close();
    }
    assertThat(fish.effectiveModels()).containsExactly("s1", "s2-pro", "s2.1-pro", "s2.1-pro");
    assertThat(fish.control().sessions().get(0).headers()).containsEntry("model", List.of("s1"));
  }

  @Test
  void pingsAreAnsweredOnceWithTheirPayload() throws Exception {
    connect();
    assertThat(client.barrier()).isEmpty();
    assertThat(client.barrier()).isEmpty(); // no duplicate pong of the first ping
  }
}
