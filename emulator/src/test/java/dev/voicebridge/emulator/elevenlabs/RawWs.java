package dev.voicebridge.emulator.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** A raw WebSocket test client (JDK HttpClient + Jackson), independent of any adapter. */
final class RawWs implements WebSocket.Listener, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);

  /** What the server sent. */
  sealed interface Event permits Text, Binary, Close, Error {}

  record Text(String raw) implements Event {
    @Override
    public String toString() {
      return "Text["
          + (raw.length() > 200 ? raw.substring(0, 200) + "...(" + raw.length() + ")" : raw)
          + "]";
    }

    JsonNode json() {
      try {
        return JSON.readTree(raw);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + raw, e);
      }
    }
  }

  record Binary(int bytes) implements Event {}

  record Close(int code, String reason) implements Event {}

  record Error(Throwable cause) implements Event {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();

  /** One client for all tests (the JDK 17 HttpClient cannot be shut down). */
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(WAIT).build();

  WebSocket ws;

  private RawWs() {}

  static RawWs connect(URI uri, Map<String, String> headers) throws Exception {
    RawWs r = new RawWs();
    WebSocket.Builder b = CLIENT.newWebSocketBuilder().connectTimeout(WAIT);
    headers.forEach(b::header);
    r.ws = b.buildAsync(uri, r).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return r;
  }

  void send(String json) throws Exception {
    ws.sendText(json, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The next event, failing after {@link #WAIT}. */
  Event next() throws InterruptedException {
    Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      fail("no event from the server within " + WAIT);
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
    assertThat(e).as("expected a text frame").isInstanceOf(Text.class);
    return ((Text) e).json();
  }

  /** Every event up to and including the close (or error). */
  List<Event> untilClose() throws InterruptedException {
    List<Event> out = new ArrayList<>();
    while (true) {
      Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        fail("no close from the server within " + WAIT + "; got " + out);
      }
      out.add(e);
      if (e instanceof Close || e instanceof Error) {
        return out;
      }
    }
  }

  /** Audio frames (JSON with a non-null audio) among the events. */
  static List<JsonNode> audio(List<Event> events) {
    List<JsonNode> out = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof Text t) {
        JsonNode j = t.json();
        if (j.hasNonNull("audio")) {
          out.add(j);
        }
      }
    }
    return out;
  }

  /** The decoded audio of the frames. */
  static byte[] bytes(List<JsonNode> frames) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (JsonNode f : frames) {
      out.writeBytes(Base64.getDecoder().decode(f.get("audio").asText()));
    }
    return out.toByteArray();
  }

  /** The characters of a frame's alignment object, joined. */
  static String chars(JsonNode alignment) {
    StringBuilder sb = new StringBuilder();
    alignment.get("chars").forEach(c -> sb.append(c.asText()));
    return sb.toString();
  }

  /**
   * The text of each generation: frames whose normalized alignment starts with the generation's
   * leading space begin a new one.
   */
  static List<String> generations(List<JsonNode> frames) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : frames) {
      JsonNode n = f.get("normalizedAlignment");
      if (n == null || n.isNull()) {
        continue;
      }
      String c = chars(n);
      if (c.startsWith(" ") || out.isEmpty()) {
        out.add(c.substring(c.startsWith(" ") ? 1 : 0));
      } else {
        out.set(out.size() - 1, out.get(out.size() - 1) + c);
      }
    }
    return out;
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
    events.add(new Error(error));
  }

  @Override
  public void close() {
    if (ws != null && !ws.isOutputClosed()) {
      ws.abort();
    }
  }
}
