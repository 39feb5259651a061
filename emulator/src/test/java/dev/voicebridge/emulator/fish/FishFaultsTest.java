package dev.voicebridge.emulator.fish;

import static dev.voicebridge.emulator.fish.FishTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.fish.FishTestClient.Binary;
import dev.voicebridge.emulator.fish.FishTestClient.Closed;
import dev.voicebridge.emulator.fish.FishTestClient.Event;
import dev.voicebridge.emulator.fish.FishTestClient.Text;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FishFaultsTest {
  static final String TEXT = "Fault injection needs several frames of audio to work with.";

  FishEmulator fish;
  FishTestClient client;

  @BeforeEach
  void setUp() {
    // 20 ms frames: plenty of audio events for "after N chunks"
    fish = FishEmulator.start(EmulatorConfig.builder().frameMillis(20).build());
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    fish.close();
  }

  /** Starts a session, sends the text and stop; returns the events up to the end or a limit. */
  List<Event> run(Fault fault) throws Exception {
    fish.control().inject(fault);
    client = FishTestClient.connect(fish.liveUrl(), "test-key", null);
    client.start(map("text", "", "format", "pcm", "sample_rate", 16000));
    client.text(TEXT);
    client.stop();
    List<Event> seen = new ArrayList<>();
    while (true) {
      Event e = client.next();
      seen.add(e);
      if (e instanceof Closed
          || e instanceof FishTestClient.Failed
          || (e instanceof Binary b && "finish".equals(b.event()))) {
        return seen;
      }
    }
  }

  static long audioEvents(List<Event> seen) {
    return seen.stream().filter(e -> e instanceof Binary b && "audio".equals(b.event())).count();
  }

  @Test
  void handshakeStatusRefusesTheUpgradeWithTheVendorBodyAndRetryAfter() throws Exception {
    fish.control().inject(new Fault.HandshakeStatus(503, Duration.ofSeconds(7)));
    FishTestClient.RawResponse r =
        FishTestClient.rawHandshake(fish.baseUrl(), Map.of("Authorization", "Bearer test-key"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers()).containsEntry("retry-after", "7");
    assertThat(r.body()).contains("\"status\":503").contains(Fault.MESSAGE);
    // consumed: the next handshake works
    assertThat(
            FishTestClient.rawHandshake(fish.baseUrl(), Map.of("Authorization", "Bearer test-key"))
                .status())
        .isEqualTo(101);
  }

  @Test
  void errorFrameIsAFinishWithReasonErrorAfterNChunks() throws Exception {
    List<Event> seen = run(new Fault.ErrorFrame(2, Fault.ErrorKind.SERVER));
    assertThat(audioEvents(seen)).isEqualTo(2);
    Binary last = (Binary) seen.get(seen.size() - 1);
    assertThat(last.map()).containsEntry("event", "finish").containsEntry("reason", "error");
    assertThat((String) last.map().get("message")).contains(Fault.MESSAGE);
    assertThat(fish.control().lastSession().completed()).isFalse();
    assertThat(client.barrier()).isEmpty(); // exactly one finish
  }

  @Test
  void errorFrameKindsCarryStatusSpecificMessages() throws Exception {
    List<Event> seen = run(new Fault.ErrorFrame(0, Fault.ErrorKind.QUOTA));
    assertThat(audioEvents(seen)).isZero();
    assertThat((String) ((Binary) seen.get(0)).map().get("message"))
        .isEqualTo("Insufficient API credit (" + Fault.MESSAGE + ")");
  }

  @Test
  void cleanDisconnectClosesWithoutFinish() throws Exception {
    List<Event> seen = run(new Fault.Disconnect(1, false));
    assertThat(audioEvents(seen)).isEqualTo(1);
    assertThat(seen.get(seen.size() - 1)).isEqualTo(new Closed(1000, Fault.MESSAGE));
  }

  @Test
  void abruptDisconnectDropsTheConnectionWithoutCloseFrame() throws Exception {
    fish.control().inject(new Fault.Disconnect(3, true));
    try (RawWebSocket raw = RawWebSocket.connect(fish.baseUrl(), "test-key")) {
      raw.sendBinary(map("event", "start", "request", map("text", "", "format", "pcm")));
      raw.sendBinary(map("event", "text", "text", TEXT));
      raw.sendBinary(map("event", "stop"));
      List<RawWebSocket.Frame> frames = new ArrayList<>();
      for (RawWebSocket.Frame f = raw.read(); f != null; f = raw.read()) {
        frames.add(f);
      }
      assertThat(frames).hasSize(3).allSatisfy(f -> assertThat(f.opcode()).isEqualTo(2));
      assertThat(frames)
          .allSatisfy(
              f -> assertThat(FishTestClient.decode(f.payload())).containsEntry("event", "audio"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> fish.control().openConnections() == 0);
  }

  @Test
  void stallKeepsTheSocketOpenAndSilent() throws Exception {
    fish.control().inject(new Fault.Stall(1));
    client = FishTestClient.connect(fish.liveUrl(), "test-key", null);
    client.start(map("text", "", "format", "pcm", "sample_rate", 16000));
    client.text(TEXT);
    client.stop();
    Event first = client.next();
    assertThat(((Binary) first).event()).isEqualTo("audio");
    // the socket still answers pings, but no audio and no finish come any more
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fish.control().lastSession().audioFramesSent() == 1);
    assertThat(client.barrier()).isEmpty();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> client.events.isEmpty());
    ServerRecord r = fish.control().lastSession();
    assertThat(r.completed()).isFalse();
    assertThat(r.audioFramesSent()).isEqualTo(1);
  }

  @Test
  void malformedFrameIsBinaryThatIsNotMessagePack() throws Exception {
    List<Event> seen = run(new Fault.MalformedFrame(1));
    Binary bad = (Binary) seen.get(1);
    assertThat(bad.map()).isNull();
    assertThat(bad.bytes()).isNotEmpty();
  }

  @Test
  void oversizeFrameIsAnAudioEventOfTheGivenSize() throws Exception {
    List<Event> seen = run(new Fault.OversizeFrame(0, 100_000));
    Binary big = (Binary) seen.get(0);
    assertThat(big.event()).isEqualTo("audio");
    assertThat(big.bytes().length).isBetween(99_990, 100_010);
    // recorded as audio: a client that accepts it still matches the digest
    assertThat(fish.control().lastSession().audioSha256())
        .isEqualTo(FishTestClient.sha256(client.audio()));
  }

  @Test
  void wrongFrameTypeIsATextFrameThatClientsMustIgnore() throws Exception {
    List<Event> seen = run(new Fault.WrongFrameType(1));
    assertThat(seen.get(1)).isInstanceOf(Text.class);
    Binary last = (Binary) seen.get(seen.size() - 1);
    assertThat(last.map()).containsEntry("reason", "stop");
  }

  @Test
  void closeAfterCompletionClosesOnceThenTheNextSocketStaysOpen() throws Exception {
    List<Event> seen = run(new Fault.CloseAfterCompletion());
    assertThat(((Binary) seen.get(seen.size() - 1)).map()).containsEntry("reason", "stop");
    assertThat(client.next()).isEqualTo(new Closed(1000, ""));
    client.close();
    client = FishTestClient.connect(fish.liveUrl(), "test-key", null);
    client.start(map("text", "", "format", "pcm", "sample_rate", 16000));
    client.stop();
    client.untilFinish(new ArrayList<>());
    assertThat(client.barrier()).isEmpty();
  }

  @Test
  void aFaultAppliesToTheNextSessionOnly() throws Exception {
    List<Event> first = run(new Fault.ErrorFrame(0, Fault.ErrorKind.SERVER));
    assertThat(((Binary) first.get(0)).map()).containsEntry("reason", "error");
    assertThat(fish.control().peekFault()).isNull();
    client.start(map("text", "", "format", "pcm", "sample_rate", 16000));
    client.text("Fine now");
    client.stop();
    Binary finish = client.untilFinish(new ArrayList<>());
    assertThat(finish.map()).containsEntry("reason", "stop");
    assertThat(fish.control().sessions()).hasSize(2);
  }

  // --- HTTP ---

  HttpResponse<InputStream> post(String json) throws Exception {
    HttpRequest rq =
        HttpRequest.newBuilder(URI.create(fish.baseUrl() + "/v1/tts"))
            .header("Authorization", "Bearer test-key")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return FishTestClient.HTTP.send(rq, HttpResponse.BodyHandlers.ofInputStream());
  }

  static final String PCM_JSON =
      "{\"text\":\"" + TEXT + "\",\"format\":\"pcm\",\"sample_rate\":16000}";

  @Test
  void httpHandshakeStatusAnswersThatStatusWithTheVendorBody() throws Exception {
    fish.control().inject(new Fault.HandshakeStatus(429, Duration.ofSeconds(2)));
    HttpResponse<InputStream> r = post(PCM_JSON);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("2");
    assertThat(new String(r.body().readAllBytes()))
        .contains("\"status\":429")
        .contains(Fault.MESSAGE);
  }

  @Test
  void httpDisconnectAndErrorFrameAbortTheChunkedBody() throws Exception {
    for (Fault f :
        List.of(
            new Fault.Disconnect(2, true),
            new Fault.Disconnect(2, false),
            new Fault.ErrorFrame(2, Fault.ErrorKind.SERVER))) {
      fish.control().inject(f);
      HttpResponse<InputStream> r = post(PCM_JSON);
      assertThat(r.statusCode()).isEqualTo(200);
      try (InputStream in = r.body()) {
        assertThatThrownBy(in::readAllBytes).as("%s", f).isInstanceOf(IOException.class);
      }
      ServerRecord rec = fish.control().lastSession();
      assertThat(rec.completed()).isFalse();
      assertThat(rec.audioFramesSent()).isEqualTo(2);
    }
  }

  @Test
  void httpStallStopsWriting() throws Exception {
    fish.control().inject(new Fault.Stall(1));
    HttpResponse<InputStream> r = post(PCM_JSON);
    assertThat(r.statusCode()).isEqualTo(200);
    InputStream in = r.body();
    int frame = 16000 * 2 * 20 / 1000;
    assertThat(in.readNBytes(frame)).hasSize(frame);
    CompletableFuture<Integer> more =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return in.read();
              } catch (IOException e) {
                return -2;
              }
            });
    assertThatThrownBy(() -> more.get(500, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    in.close();
    assertThat(fish.control().lastSession().completed()).isFalse();
  }
}
