package dev.voicebridge.emulator.cartesia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Cartesia WebSocket test client (the JDK's WebSocket and Jackson), independent of any adapter:
 * it sends JSON messages and queues what the server sends, in order.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);

  /** One client for all tests (the JDK 17 HttpClient cannot be shut down). */
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

  /** What the server sent. */
  sealed interface Event permits Text, Binary, Close, Failure {}

  /** A text frame. */
  record Text(String raw) implements Event {
    JsonNode json() {
      try {
        return JSON.readTree(raw);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + raw, e);
      }
    }

    String type() {
      return json().path("type").asText();
    }
  }

  /** A binary frame. */
  record Binary(int bytes) implements Event {}

  /** A close frame. */
  record Close(int code, String reason) implements Event {}

  /** The connection failed. */
  record Failure(Throwable cause) implements Event {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  WebSocket ws;

  private WsClient() {}

  /** Connects to {@code base}'s {@code /tts/websocket} with {@code query} and headers. */
  static WsClient connect(URI base, String query, Map<String, String> headers) throws Exception {
    URI uri =
        URI.create(
            "ws://"
                + base.getHost()
                + ":"
                + base.getPort()
                + "/tts/websocket"
                + (query.isEmpty() ? "" : "?" + query));
    WsClient c = new WsClient();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
    headers.forEach(b::header);
    c.ws = b.buildAsync(uri, c).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return c;
  }

  void send(String text) throws Exception {
    ws.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  void send(JsonNode message) throws Exception {
    send(JSON.writeValueAsString(message));
  }

  /** The next event, failing after {@link #WAIT}. */
  Event next() throws InterruptedException {
    Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      fail("nothing from the server within " + WAIT);
    }
    return e;
  }

  /** The next event within {@code d}, or null. */
  Event poll(Duration d) throws InterruptedException {
    return events.poll(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next event, which must be a JSON text frame. */
  JsonNode nextJson() throws InterruptedException {
    Event e = next();
    assertThat(e).as("a text frame").isInstanceOf(Text.class);
    return ((Text) e).json();
  }

  /** Text frames up to and including the first that matches (fails at a close or a failure). */
  List<JsonNode> until(Predicate<JsonNode> last) throws InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      Event e = next();
      if (!(e instanceof Text t)) {
        fail("expected more frames, got " + e + " after " + out);
        return out;
      }
      JsonNode j = t.json();
      out.add(j);
      if (last.test(j)) {
        return out;
      }
    }
  }

  /**
   * Text frames up to and including the terminal frame ({@code done} or {@code error}) of {@code
   * id}.
   */
  List<JsonNode> untilEnd(String id) throws InterruptedException {
    return until(
        j ->
            id.equals(j.path("context_id").asText(null))
                && (j.path("type").asText().equals("done")
                    || j.path("type").asText().equals("error")));
  }

  /** Like {@link #untilEnd}, keeping only the frames of context {@code id}. */
  List<JsonNode> contextFrames(String id) throws InterruptedException {
    return untilEnd(id).stream().filter(j -> id.equals(j.path("context_id").asText(null))).toList();
  }

  /** Every event up to and including a close or failure. */
  List<Event> untilClose() throws InterruptedException {
    List<Event> out = new ArrayList<>();
    while (true) {
      Event e = next();
      out.add(e);
      if (e instanceof Close || e instanceof Failure) {
        return out;
      }
    }
  }

  /** The frames of {@code type} for context {@code id}. */
  static List<JsonNode> of(List<JsonNode> frames, String type, String id) {
    return frames.stream()
        .filter(j -> j.path("type").asText().equals(type))
        .filter(j -> id == null || id.equals(j.path("context_id").asText(null)))
        .toList();
  }

  /** The decoded audio of the chunk frames, in order. */
  static byte[] audio(List<JsonNode> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode c : chunks) {
      if (c.path("type").asText().equals("chunk")) {
        out.writeBytes(Base64.getDecoder().decode(c.get("data").asText()));
      }
    }
    return out.toByteArray();
  }

  /** A generation message: the npm client's shape (note section 2.2). */
  static ObjectNode request(String contextId, String transcript, boolean cont) {
    ObjectNode o = JSON.createObjectNode();
    o.put("model_id", "sonic-3");
    o.putObject("output_format")
        .put("container", "raw")
        .put("encoding", "pcm_s16le")
        .put("sample_rate", 16000);
    o.put("voice", "voice-1");
    o.put("max_buffer_delay_ms", 0);
    o.put("transcript", transcript);
    o.put("context_id", contextId);
    o.put("continue", cont);
    return o;
  }

  /** A flush message for {@code contextId}. */
  static ObjectNode flush(String contextId) {
    return request(contextId, "", true).put("flush", true);
  }

  /** A cancel message. */
  static ObjectNode cancel(String contextId) {
    ObjectNode o = JSON.createObjectNode();
    o.put("context_id", contextId);
    o.put("cancel", true);
    return o;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      events.add(new Text(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    events.add(new Binary(data.remaining()));
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
    events.add(new Failure(error));
  }

  @Override
  public void close() {
    if (ws != null && !ws.isOutputClosed()) {
      ws.abort();
    }
  }
}
