package dev.voicebridge.fish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.spi.ProviderContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport security guarantees of docs/security.md for Fish Audio: no plain http/ws to a
 * remote host unless allowed, no redirect that carries the key to another server, the model (a
 * header) refused with control characters before any I/O, the voice (in the MessagePack body) never
 * reaching the request line or the headers.
 */
class FishSecurityTest {
  private static final String KEY = "sk-canary-fish-53cur1ty";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final List<String> TRANSPORTS = List.of("websocket", "http");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://example.com",
        "http://api.fish.audio/",
        "http://10.0.0.7:8080",
        "http://127.0.0.1.example.com"
      })
  void plainHttpToARemoteHostIsRefusedAtCreateNamingTheKey(String url) {
    assertThatThrownBy(() -> create(Map.of("voicebridge.fish.base-url", url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.fish.base-url")
        .hasMessageContaining("allow-insecure")
        .hasMessageNotContaining(KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws://example.com", "ftp://example.com", "file:///etc/passwd"})
  void otherSchemesAreRefusedAtCreateNamingTheKey(String url) {
    assertThatThrownBy(() -> create(Map.of("voicebridge.fish.base-url", url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.fish.base-url")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void httpsAndExplicitlyAllowedHttpAreAccepted() {
    create(Map.of("voicebridge.fish.base-url", "https://example.com")).close();
    create(
            Map.of(
                "voicebridge.fish.base-url", "http://example.com",
                "voicebridge.fish.allow-insecure", "true"))
        .close();
  }

  /** The model is sent as the {@code model} header: a line break is header injection. */
  @ParameterizedTest
  @ValueSource(strings = {"s1\r\nX-Injected: yes", "s1\nX-Injected: yes", "s1\tx"})
  void aModelWithControlCharactersIsRefusedBeforeAnyIo(String model) throws Exception {
    assertThatThrownBy(() -> create(Map.of("voicebridge.fish.model", model)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.fish.model")
        .hasMessageNotContaining(KEY);
    try (Stub stub = new Stub(head -> response(404, "{}"))) {
      for (String transport : TRANSPORTS) {
        try (StreamingSynthesizer s = create(stub, transport)) {
          SynthesisOptions options = SynthesisOptions.builder().model(model).build();
          assertThatThrownBy(() -> s.open(options).close())
              .as(transport)
              .isInstanceOf(VoicebridgeException.class)
              .hasMessageContaining("model")
              .hasMessageNotContaining(KEY);
        }
      }
      assertThat(stub.heads).as("requests that reached the server").isEmpty();
    }
  }

  /**
   * The voice travels as {@code reference_id} inside the MessagePack body: path segments and line
   * breaks in it change neither the request line nor the headers.
   */
  @ParameterizedTest
  @ValueSource(strings = {"../../admin", "a\r\nX-Injected: yes", "v?x=1#frag", "%2e%2e%2f"})
  void voiceIdsNeverReachTheRequestLineOrHeaders(String voice) throws Exception {
    try (Stub stub = new Stub(head -> response(400, "{\"message\":\"no\"}"))) {
      for (String transport : TRANSPORTS) {
        try (StreamingSynthesizer s = create(stub, transport)) {
          SynthesisOptions options =
              SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).voice(voice).build();
          try {
            RecordingSubscriber rec = run(s, options);
            assertThat(rec.completed()).isFalse();
          } catch (VoicebridgeException refusedBeforeIo) {
            // refusing is fine too
          }
        }
      }
      for (String head : stub.heads) {
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        assertThat(requestLine).matches("(GET /v1/tts/live|POST /v1/tts) HTTP/1.1");
        assertThat(head.substring(head.indexOf("\r\n") + 2).split("\r\n"))
            .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("x-injected"));
      }
    }
  }

  /** A 307 to another server: the adapter must not follow it with the key (or at all). */
  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void aRedirectNeverCarriesTheKeyToAnotherServer(String transport) throws Exception {
    try (Stub other = new Stub(head -> response(200, ""));
        Stub first =
            new Stub(
                head ->
                    "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:"
                        + other.port()
                        + head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"))
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")) {
      try (StreamingSynthesizer s = create(first, transport)) {
        RecordingSubscriber rec =
            run(s, SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).build());
        assertThat(rec.completed()).as("a redirect is not a successful synthesis").isFalse();
        assertThat(rec.error()).isInstanceOf(VoicebridgeException.class);
        assertThat(FishSecretsTest.stackTrace(rec.error())).doesNotContain(KEY);
      }
      assertThat(first.heads).as("the first server was asked").isNotEmpty();
      assertThat(other.heads).as("requests that reached the redirect target").isEmpty();
      assertThat(other.accepted).as("connections to the redirect target").isZero();
    }
  }

  private static RecordingSubscriber run(StreamingSynthesizer s, SynthesisOptions options)
      throws InterruptedException {
    SynthesisSession session = s.open(options);
    RecordingSubscriber rec = new RecordingSubscriber();
    session.events().subscribe(rec);
    session.sendText("Where does this go?");
    session.finish();
    assertThat(rec.awaitTerminal(TIMEOUT)).isTrue();
    session.close();
    return rec;
  }

  private static String response(int status, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return "HTTP/1.1 "
        + status
        + " X\r\nContent-Type: application/json\r\nContent-Length: "
        + b.length
        + "\r\nConnection: close\r\n\r\n"
        + body;
  }

  private static StreamingSynthesizer create(Stub stub, String transport) {
    return create(
        Map.of(
            "voicebridge.fish.base-url",
            "http://127.0.0.1:" + stub.port(),
            "voicebridge.fish.transport",
            transport,
            "voicebridge.fish.response-timeout",
            "2s",
            "voicebridge.fish.connect-timeout",
            "2s"));
  }

  private static StreamingSynthesizer create(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("voicebridge.fish.api-key", KEY);
    props.putAll(extra);
    return new FishProvider().create(ProviderContext.of("fish", VoicebridgeConfig.of(props)));
  }

  /**
   * A scripted HTTP/1.1 server on loopback (plain sockets, one connection at a time): records each
   * request head and answers with what the script returns for it.
   */
  static final class Stub implements AutoCloseable {
    final List<String> heads = new CopyOnWriteArrayList<>();
    volatile int accepted;
    private final ServerSocket server;
    private final Thread thread;

    Stub(Function<String, String> script) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> serve(script), "fish-security-stub");
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve(Function<String, String> script) {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          accepted++;
          s.setSoTimeout(5000);
          InputStream in = s.getInputStream();
          String head = readHead(in);
          if (head == null) {
            continue;
          }
          heads.add(head);
          int length = contentLength(head);
          if (length > 0) {
            in.readNBytes(length);
          }
          OutputStream out = s.getOutputStream();
          out.write(script.apply(head).getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (IOException e) {
          // closed, or the client went away
        }
      }
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int state = 0;
      while (b.size() < 65536) {
        int c = in.read();
        if (c < 0) {
          return null;
        }
        b.write(c);
        state =
            (c == '\r' && (state == 0 || state == 2))
                ? state + 1
                : c == '\n' && (state == 1 || state == 3) ? state + 1 : 0;
        if (state == 4) {
          return b.toString(StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    }

    private static int contentLength(String head) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
          return Integer.parseInt(line.substring(colon + 1).trim());
        }
      }
      return 0;
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(5000);
      assertThat(thread.isAlive()).isFalse();
    }
  }
}
