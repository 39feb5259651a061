package dev.voicebridge.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.spi.conformance.Fault;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EmulatorControl#busyConnections()}: an HTTP connection idle in a client's pool is open but
 * not busy; one whose response is still being sent, and an open WebSocket, are busy.
 */
class BusyConnectionsTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  FishEmulator fish;
  HttpClient http;

  @BeforeEach
  void setUp() {
    fish = FishEmulator.start(EmulatorConfig.builder().apiKey("test-key").build());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void tearDown() {
    fish.close();
  }

  HttpRequest speak() {
    return HttpRequest.newBuilder(URI.create(fish.baseUrl() + FishEmulator.TTS_PATH))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer test-key")
        .POST(
            HttpRequest.BodyPublishers.ofString("{\"text\":\"Busy or idle.\",\"format\":\"pcm\"}"))
        .build();
  }

  @Test
  void aKeptAliveConnectionIsOpenButNotBusy() throws Exception {
    HttpResponse<byte[]> r = http.send(speak(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    EmulatorControl c = fish.control();
    await().atMost(WAIT).until(() -> c.busyConnections() == 0);
    assertThat(c.openConnections()).as("the client keeps the connection in its pool").isEqualTo(1);
  }

  @Test
  void aResponseStillBeingSentIsBusy() throws Exception {
    EmulatorControl c = fish.control();
    c.inject(new Fault.Stall(1));
    HttpResponse<InputStream> r = http.send(speak(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (InputStream body = r.body()) {
      assertThat(body.read()).as("the first byte of audio arrives").isNotNegative();
      assertThat(c.openConnections()).isEqualTo(1);
      assertThat(c.busyConnections()).as("the server holds the response open").isEqualTo(1);
    }
  }

  @Test
  void anOpenWebSocketIsBusy() throws Exception {
    EmulatorControl c = fish.control();
    CompletableFuture<WebSocket> open =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer test-key")
            .buildAsync(fish.liveUrl(), new WebSocket.Listener() {});
    WebSocket ws = open.get();
    try {
      await().atMost(WAIT).until(() -> c.openConnections() == 1);
      assertThat(c.busyConnections()).as("an upgraded connection is never idle").isEqualTo(1);
    } finally {
      ws.abort();
    }
    await().atMost(WAIT).until(() -> c.openConnections() == 0);
    assertThat(c.busyConnections()).isZero();
  }
}
