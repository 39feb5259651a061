package dev.voicebridge.elevenlabs;

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
import java.net.URLDecoder;
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
 * The transport security guarantees of docs/security.md for ElevenLabs: no plain http/ws to a
 * remote host unless allowed, no redirect that carries the key to another server, voice ids (URL
 * path) and model ids (query) never change the request line or the headers.
 */
class ElevenLabsSecurityTest {
  private static final String KEY = "sk-canary-el-53cur1ty";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://example.com",
        "http://api.elevenlabs.io/",
        "http://10.0.0.7:8080",
        "http://127.0.0.1.example.com"
      })
  void plainHttpToARemoteHostIsRefusedAtCreateNamingTheKey(String url) {
    assertThatThrownBy(() -> create(Map.of("voicebridge.elevenlabs.base-url", url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.elevenlabs.base-url")
        .hasMessageContaining("allow-insecure")
        .hasMessageNotContaining(KEY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ws://example.com", "ftp://example.com", "file:///etc/passwd", "https://x/?a=b"})
  void otherSchemesAndQueriesAreRefusedAtCreateNamingTheKey(String url) {
    assertThatThrownBy(() -> create(Map.of("voicebridge.elevenlabs.base-url", url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.elevenlabs.base-url")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void httpsAndExplicitlyAllowedHttpAreAccepted() {
    create(Map.of("voicebridge.elevenlabs.base-url", "https://example.com")).close();
    create(
            Map.of(
                "voicebridge.elevenlabs.base-url", "http://example.com",
                "voicebridge.elevenlabs.allow-insecure", "true"))
        .close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../../v1/user", "a\r\nX-Injected: yes", "voice?x=1", "voice#f", "%2e%2e", "a/b"})
  void hostileVoiceIdsAreRefusedBeforeAnyIo(String voice) throws Exception {
    try (Stub stub = new Stub(head -> response(404, "{}"))) {
      for (String transport : List.of("websocket", "multi-context", "http", "http-timestamps")) {
        try (StreamingSynthesizer s = create(stub, transport)) {
          SynthesisOptions options = SynthesisOptions.builder().voice(voice).build();
          assertThatThrownBy(() -> s.open(options).close())
              .as(transport)
              .isInstanceOf(ConfigurationException.class)
              .hasMessageContaining("voice")
              .hasMessageNotContaining(KEY);
        }
      }
      assertThatThrownBy(() -> create(Map.of("voicebridge.elevenlabs.voice", voice)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("voicebridge.elevenlabs.voice");
      assertThat(stub.heads).as("requests that reached the server").isEmpty();
    }
  }

  /**
   * On the WebSockets a model id travels in the handshake's query string: encoded, it changes
   * neither the path, nor the other parameters, nor the headers.
   */
  @ParameterizedTest
  @ValueSource(strings = {"m&voice_id=evil", "m\r\nX-Injected: yes", "m/../../admin", "m#x"})
  void modelIdsAreEncodedIntoTheQuery(String model) throws Exception {
    for (String transport : List.of("websocket", "multi-context")) {
      checkModelQuery(model, transport);
    }
  }

  private void checkModelQuery(String model, String transport) throws Exception {
    try (Stub stub =
        new Stub(head -> response(400, "{\"detail\":{\"status\":\"x\",\"message\":\"no\"}}"))) {
      try (StreamingSynthesizer s = create(stub, transport)) {
        SynthesisOptions options =
            SynthesisOptions.builder().format(AudioFormat.PCM_24K).model(model).build();
        RecordingSubscriber rec;
        try {
          rec = run(s, options);
        } catch (VoicebridgeException refusedBeforeIo) {
          assertThat(stub.heads).isEmpty();
          return;
        }
        assertThat(rec.completed()).isFalse();
      }
      assertThat(stub.heads).isNotEmpty();
      for (String head : stub.heads) {
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        String target = requestLine.split(" ")[1];
        int q = target.indexOf('?');
        assertThat(target.substring(0, q))
            .isEqualTo(
                "/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/"
                    + (transport.equals("websocket") ? "stream-input" : "multi-stream-input"));
        Map<String, String> query = new HashMap<>();
        for (String kv : target.substring(q + 1).split("&")) {
          String[] p = kv.split("=", 2);
          query.put(
              URLDecoder.decode(p[0], StandardCharsets.UTF_8),
              p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
        }
        assertThat(query).containsEntry("model_id", model).doesNotContainKey("voice_id");
        // the request line carries it percent-encoded; no header line may start with it
        assertThat(head.substring(head.indexOf("\r\n") + 2).split("\r\n"))
            .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("x-injected"));
      }
    }
  }

  /** A 307 to another server: the adapter must not follow it with the key (or at all). */
  @ParameterizedTest
  @ValueSource(strings = {"http", "http-timestamps", "websocket", "multi-context"})
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
            run(s, SynthesisOptions.builder().format(AudioFormat.PCM_24K).build());
        assertThat(rec.completed()).as("a redirect is not a successful synthesis").isFalse();
        assertThat(rec.error()).isInstanceOf(VoicebridgeException.class);
        assertThat(ElevenLabsSecretsTest.stackTrace(rec.error())).doesNotContain(KEY);
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
            "voicebridge.elevenlabs.base-url",
            "http://127.0.0.1:" + stub.port(),
            "voicebridge.elevenlabs.transport",
            transport,
            "voicebridge.elevenlabs.response-timeout",
            "2s",
            "voicebridge.elevenlabs.connect-timeout",
            "2s"));
  }

  private static StreamingSynthesizer create(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("voicebridge.elevenlabs.api-key", KEY);
    props.putAll(extra);
    return new ElevenLabsProvider()
        .create(ProviderContext.of("elevenlabs", VoicebridgeConfig.of(props)));
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
      thread = new Thread(() -> serve(script), "elevenlabs-security-stub");
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
