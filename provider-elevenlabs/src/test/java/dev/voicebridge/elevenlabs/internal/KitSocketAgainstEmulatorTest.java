package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit's {@link WebSocketConnection}, as the ElevenLabs adapter configures it, against the
 * ElevenLabs emulator's stream-input endpoint (this test was JsonSocket's before the kit).
 */
class KitSocketAgainstEmulatorTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static ElevenLabsEmulator emulator;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    emulator = ElevenLabsEmulator.start(EmulatorConfig.defaults());
    client = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  /** Records what the socket reports; requests the next message after each one. */
  static final class Recorder implements WebSocketConnection.Listener {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final CountDownLatch finalSeen = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final CountDownLatch failed = new CountDownLatch(1);
    volatile int closeCode = -1;
    final boolean closeOnFinal;

    Recorder(boolean closeOnFinal) {
      this.closeOnFinal = closeOnFinal;
    }

    @Override
    public void onOpen(WebSocketConnection socket) {
      socket.request();
    }

    @Override
    public void onBinary(WebSocketConnection socket, java.nio.ByteBuffer data) {
      texts.add("binary");
    }

    @Override
    public void onText(WebSocketConnection socket, String text) {
      texts.add(text);
      if (text.contains("\"isFinal\":true")) {
        finalSeen.countDown();
        if (closeOnFinal) {
          // what StreamInputBackend does: no more demand of its own, close politely
          socket.close();
          return;
        }
      }
      socket.request();
    }

    @Override
    public void onClose(WebSocketConnection socket, int code, String reason) {
      closeCode = code;
      closed.countDown();
    }

    @Override
    public void onFailure(WebSocketConnection socket, dev.voicebridge.VoicebridgeException error) {
      errors.add(error);
      failed.countDown();
    }
  }

  private static WebSocketConnection open(int maxFrameBytes, Recorder r) {
    URI uri =
        URI.create(
            emulator.webSocketBaseUrl()
                + "/v1/text-to-speech/voice1/stream-input?model_id=eleven_flash_v2_5"
                + "&output_format=pcm_24000");
    WebSocketConnection s =
        WebSocketConnection.create(
            WebSocketConnection.Options.builder("elevenlabs", uri, client)
                .header("xi-api-key", Secret.of("test-key").reveal())
                .connectTimeout(Duration.ofSeconds(5))
                .maxMessageBytes(maxFrameBytes)
                .pingAfter(Duration.ofMillis(1250))
                .accept(WebSocketConnection.Accept.TEXT, false)
                .build(),
            r);
    s.sendText("{\"text\":\" \"}");
    s.sendText("{\"text\":\"Hello there, this is a test of the frame cap. \"}");
    s.sendText("{\"text\":\"\"}");
    s.connect();
    return s;
  }

  @Test
  void anAudioFrameOverTheCapEndsTheSocketWithAProtocolException() throws Exception {
    Recorder r = new Recorder(false);
    WebSocketConnection s = open(1024, r); // the smallest max-frame-bytes allowed
    assertThat(r.failed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(r.errors).hasSize(1);
    assertThat(r.errors.get(0))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("max-frame-bytes (1024)");
    assertThat(r.texts).as("nothing over the cap is delivered").isEmpty();
    assertThat(s.isOpen()).isFalse();
    assertThat(r.closed.getCount()).as("no close reported after the error").isEqualTo(1);
  }

  @Test
  void theSameStreamUnderTheDefaultCapCompletes() throws Exception {
    Recorder r = new Recorder(false);
    open(Limits.DEFAULT_MAX_FRAME_BYTES, r);
    assertThat(r.finalSeen.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(r.texts).hasSizeGreaterThan(1);
    assertThat(r.texts.get(0).length()).isGreaterThan(1024);
    assertThat(r.closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(r.closeCode).isEqualTo(1000);
    assertThat(r.errors).isEmpty();
  }

  @Test
  void closeReadsOnToTheServersCloseSoTheConnectionIsReleased() throws Exception {
    // finding K1: a socket closed by this side without demand never read the server's Close,
    // and the client's TCP connection stayed in CLOSE-WAIT (open, as the server sees it)
    Recorder r = new Recorder(true);
    WebSocketConnection s = open(Limits.DEFAULT_MAX_FRAME_BYTES, r);
    assertThat(r.finalSeen.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    org.awaitility.Awaitility.await("the connection is released on both sides")
        .atMost(WAIT)
        .until(() -> emulator.control().openConnections() == 0);
    assertThat(s.isOpen()).isFalse();
    assertThat(r.closed.getCount()).as("the owner closed it: nothing reported").isEqualTo(1);
    assertThat(r.errors).isEmpty();
  }
}
