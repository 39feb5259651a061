package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
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

/** {@link JsonSocket} against the ElevenLabs emulator's stream-input endpoint. */
class JsonSocketTest {
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
  static final class Recorder implements JsonSocket.Handler {
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
    public void onOpen(JsonSocket socket) {
      socket.request();
    }

    @Override
    public void onText(JsonSocket socket, String text) {
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
    public void onClose(JsonSocket socket, int code, String reason) {
      closeCode = code;
      closed.countDown();
    }

    @Override
    public void onError(JsonSocket socket, Throwable error) {
      errors.add(error);
      failed.countDown();
    }
  }

  private static JsonSocket open(int maxFrameBytes, Recorder r) {
    URI uri =
        URI.create(
            emulator.webSocketBaseUrl()
                + "/v1/text-to-speech/voice1/stream-input?model_id=eleven_flash_v2_5"
                + "&output_format=pcm_24000");
    JsonSocket s = JsonSocket.create(client, Duration.ofSeconds(5), maxFrameBytes, r);
    s.send("{\"text\":\" \"}");
    s.send("{\"text\":\"Hello there, this is a test of the frame cap. \"}");
    s.send("{\"text\":\"\"}");
    s.connect(uri, Secret.of("test-key"), Duration.ofSeconds(5));
    return s;
  }

  @Test
  void anAudioFrameOverTheCapEndsTheSocketWithAProtocolException() throws Exception {
    Recorder r = new Recorder(false);
    JsonSocket s = open(1024, r); // the smallest max-frame-bytes allowed
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
    // and the client's TCP connection stayed in CLOSE-WAIT
    Recorder r = new Recorder(true);
    JsonSocket s = open(Limits.DEFAULT_MAX_FRAME_BYTES, r);
    assertThat(r.finalSeen.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(r.closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("the server's Close is read after close()")
        .isTrue();
    assertThat(r.closeCode).isEqualTo(1000);
    assertThat(s.isOpen()).isFalse();
    assertThat(r.errors).isEmpty();
  }
}
