package dev.voicebridge.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProviderException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ProviderContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP {@code /stream} error response whose body never ends: the client reads a bounded prefix
 * for the message, ends the session with the status's exception and drops the connection, instead
 * of buffering the body until memory or the response timeout runs out.
 */
class ElevenLabsHttpErrorBodyTest {
  private static final String KEY = "sk-canary-el-errbody";

  private ServerSocket server;
  private Thread thread;
  private final AtomicLong written = new AtomicLong();

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
    thread = new Thread(this::serve, "elevenlabs-test-endless-error");
    thread.setDaemon(true);
    thread.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }

  private void serve() {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      // the request head ends with an empty line; its body is not needed
      int state = 0;
      for (int c; state < 4 && (c = in.read()) >= 0; ) {
        state =
            (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                ? state + 1
                : 0;
      }
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      chunk(
          out,
          "{\"detail\":{\"message\":\"endless error page\",\"padding\":\""
              .getBytes(StandardCharsets.UTF_8));
      byte[] padding = new byte[8192];
      Arrays.fill(padding, (byte) 'x');
      while (written.get() < (256L << 20)) { // the test fails long before this
        chunk(out, padding);
      }
    } catch (IOException e) {
      // the client hung up: expected
    }
  }

  private void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    written.addAndGet(data.length);
  }

  @Test
  void anEndlessErrorBodyIsReadOnlyUpToTheBoundAndEndsTheSession() throws Exception {
    try (StreamingSynthesizer synth =
        new ElevenLabsProvider()
            .create(
                ProviderContext.of(
                    "elevenlabs",
                    VoicebridgeConfig.of(
                        Map.of(
                            "voicebridge.elevenlabs.api-key",
                            KEY,
                            "voicebridge.elevenlabs.base-url",
                            "http://127.0.0.1:" + server.getLocalPort(),
                            "voicebridge.elevenlabs.transport",
                            "http",
                            "voicebridge.elevenlabs.response-timeout",
                            "20s"))))) {
      SynthesisSession s =
          synth.open(SynthesisOptions.builder().format(AudioFormat.PCM_16K).build());
      s.sendText("Hello.");
      s.finish();
      Throwable t;
      try {
        s.completion().toCompletableFuture().get(15, TimeUnit.SECONDS);
        t = null;
      } catch (ExecutionException e) {
        t = e.getCause();
      }
      assertThat(t)
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("endless error page")
          .hasMessageNotContaining(KEY);
      assertThat(((ProviderException) t).status()).isEqualTo(500);
      // the client hung up: the server's writes fail soon after the bound
      thread.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(thread.isAlive()).isFalse();
      assertThat(written.get()).isLessThan(64L << 20);
    }
  }
}
