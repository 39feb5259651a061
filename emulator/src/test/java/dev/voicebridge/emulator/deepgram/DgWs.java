package dev.voicebridge.emulator.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.LatencyProfile;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw Deepgram WebSocket client for the tests (java.net.http + Jackson, no adapter code): every
 * message the server sends lands in a queue, in order, whole (fragments joined).
 */
final class DgWs implements WebSocket.Listener, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);

  /** One client for all tests (the JDK 17 HttpClient cannot be shut down). */
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(WAIT).build();

  /** What the server sent. */
  sealed interface Event permits Text, Binary, Close, Error {}

  /** A text message. */
  record Text(String raw) implements Event {
    JsonNode json() {
      try {
        return JSON.readTree(raw);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + raw, e);
      }
    }

    /** The {@code type} of a JSON message, or null for text that is not JSON. */
    String type() {
      try {
        return JSON.readTree(raw).path("type").asText();
      } catch (Exception e) {
        return null;
      }
    }
  }

  /** A binary message (audio). */
  record Binary(byte[] bytes) implements Event {
    @Override
    public String toString() {
      return "Binary[" + bytes.length + " bytes]";
    }
  }

  /** The server's close. */
  record Close(int code, String reason) implements Event {}

  /** The connection failed. */
  record Error(Throwable cause) implements Event {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final StringBuilder partialText = new StringBuilder();
  private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
  WebSocket ws;

  private DgWs() {}

  /** Connects with {@code Authorization: Token <key>} and a query such as {@code ?model=...}. */
  static DgWs connect(DeepgramEmulator e, String query, String key) throws Exception {
    return connect(e, query, Map.of("Authorization", "Token " + key));
  }

  /** Connects with the given headers. */
  static DgWs connect(DeepgramEmulator e, String query, Map<String, String> headers)
      throws Exception {
    DgWs r = new DgWs();
    WebSocket.Builder b = CLIENT.newWebSocketBuilder().connectTimeout(WAIT);
    headers.forEach(b::header);
    URI uri = URI.create(e.webSocketUrl() + query);
    r.ws = b.buildAsync(uri, r).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return r;
  }

  /** Connects with {@code Sec-WebSocket-Protocol: token, <key>} (how browsers authenticate). */
  static DgWs connectWithSubprotocol(DeepgramEmulator e, String scheme, String key)
      throws Exception {
    DgWs r = new DgWs();
    r.ws =
        CLIENT
            .newWebSocketBuilder()
            .connectTimeout(WAIT)
            .subprotocols(scheme, key)
            .buildAsync(e.webSocketUrl(), r)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return r;
  }

  /** A configuration with {@code key} whose audio is paced at {@code pace} (no first delay). */
  static EmulatorConfig paced(String key, double pace) {
    return EmulatorConfig.builder()
        .apiKey(key)
        .profile(new LatencyProfile(Duration.ZERO, pace, Duration.ZERO))
        .build();
  }

  /** The response of a handshake that must be refused. */
  static HttpResponse<?> refused(DeepgramEmulator e, String query, Map<String, String> headers) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> {
              try (DgWs ws = connect(e, query, headers)) {
                ws.expect("Metadata");
              }
            });
    while (t instanceof ExecutionException || t instanceof CompletionException) {
      t = t.getCause();
    }
    assertThat(t).as("a refused handshake").isInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) t).getResponse();
  }

  void send(String text) throws Exception {
    ws.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  void speak(String text) throws Exception {
    send(JSON.createObjectNode().put("type", "Speak").put("text", text).toString());
  }

  void flush() throws Exception {
    send("{\"type\":\"Flush\"}");
  }

  /** The next event, failing after {@link #WAIT}. */
  Event next() throws InterruptedException {
    Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      fail("no event from the server within " + WAIT);
    }
    return e;
  }

  /** The next event, which must be a text frame of {@code type}. */
  JsonNode expect(String type) throws InterruptedException {
    Event e = next();
    assertThat(e).as("expected a %s message", type).isInstanceOf(Text.class);
    JsonNode j = ((Text) e).json();
    assertThat(j.path("type").asText()).as("the message %s", j).isEqualTo(type);
    return j;
  }

  /** Events up to and including the first text message of {@code type} (fails on a close). */
  List<Event> until(String type) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    while (true) {
      Event e = next();
      out.add(e);
      if (e instanceof Text t && type.equals(t.type())) {
        return out;
      }
      if (e instanceof Close || e instanceof Error) {
        fail("the connection ended before a " + type + ": " + out);
      }
    }
  }

  /** Every event up to and including the close (or error). */
  List<Event> untilClose() throws InterruptedException {
    List<Event> out = new ArrayList<>();
    while (true) {
      Event e = next();
      out.add(e);
      if (e instanceof Close || e instanceof Error) {
        return out;
      }
    }
  }

  /** The last event of {@link #untilClose()}, which must be a close. */
  Close closeFrame() throws InterruptedException {
    List<Event> all = untilClose();
    Event last = all.get(all.size() - 1);
    assertThat(last).as("a close frame after %s", all).isInstanceOf(Close.class);
    return (Close) last;
  }

  /** The audio bytes among the events, joined. */
  static byte[] audio(List<Event> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Event e : events) {
      if (e instanceof Binary b) {
        out.writeBytes(b.bytes());
      }
    }
    return out.toByteArray();
  }

  /** The text messages among the events. */
  static List<JsonNode> texts(List<Event> events) {
    List<JsonNode> out = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof Text t) {
        out.add(t.json());
      }
    }
    return out;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partialText.append(data);
    if (last) {
      events.add(new Text(partialText.toString()));
      partialText.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    partialBinary.writeBytes(b);
    if (last) {
      events.add(new Binary(partialBinary.toByteArray()));
      partialBinary.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    events.add(new Close(statusCode, reason));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    events.add(new Error(error));
  }

  @Override
  public void close() {
    if (ws != null && !ws.isOutputClosed()) {
      ws.abort();
    }
  }
}
