package dev.voicebridge.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.spi.ProviderContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cancel while an HTTP request waits for its response headers aborts the exchange: the server
 * sees the connection closed at once, not when the request timeout runs out, and the session ends
 * with one cancellation signal.
 */
class ElevenLabsHttpCancelTest {
  private static final String KEY = "sk-canary-el-cancel";

  private ServerSocket server;
  private Thread thread;
  private volatile Socket connection;
  private final CompletableFuture<String> requested = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
    thread = new Thread(this::serve, "elevenlabs-test-silent-server");
    thread.setDaemon(true);
    thread.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    Socket c = connection;
    if (c != null) {
      c.close();
    }
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }

  /** Reads one request, then never answers; notes how the client leaves. */
  private void serve() {
    try (Socket s = server.accept()) {
      connection = s;
      InputStream in = new BufferedInputStream(s.getInputStream());
      int length = 0;
      String first = null;
      for (String line; !(line = readLine(in)).isEmpty(); ) {
        if (first == null) {
          first = line;
        }
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.readNBytes(length);
      requested.complete(first);
      // the headers are held: nothing is written until the client goes away
      closed.complete(in.read() < 0 ? "closed" : "more bytes");
    } catch (IOException e) {
      closed.complete("reset: " + e);
      requested.completeExceptionally(e);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("the request broke off");
      }
      b.append((char) c);
    }
    return b.toString().strip();
  }

  @Test
  void aCancelBeforeTheResponseHeadersAbortsTheRequest() throws Exception {
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
                            // the request timeout (response + connect timeout) is far longer than
                            // the waits below: only the cancel can end the exchange in time
                            "voicebridge.elevenlabs.response-timeout",
                            "60s"))))) {
      SynthesisSession s =
          synth.open(SynthesisOptions.builder().format(AudioFormat.PCM_16K).build());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText("Hello there.");
      s.finish();
      assertThat(requested.get(10, TimeUnit.SECONDS)).startsWith("POST ");

      s.cancel();

      assertThat(closed)
          .as("the server sees the exchange aborted")
          .succeedsWithin(Duration.ofSeconds(10))
          .isEqualTo("closed");
      assertThat(rec.awaitTerminal(Duration.ofSeconds(10))).as("terminal signal").isTrue();
      assertThat(rec.error()).isInstanceOf(SynthesisCancelledException.class);
      assertThat(rec.terminalSignals()).as("exactly one terminal signal").isEqualTo(1);
      assertThat(rec.audio()).isEmpty();
      assertThat(s.report().outcome()).isEqualTo(SynthesisReport.Outcome.CANCELLED);
    }
  }
}
