package dev.voicebridge.emulator.smallest;

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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw Smallest WebSocket client for the tests (java.net.http + Jackson): every frame the server
 * sends lands in a queue, in order.
 */
final class WsProbe implements WebSocket.Listener, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);

  /** The socket closed. */
  record Closed(int code, String reason) {}

  /** The socket failed (e.g. a TCP reset). */
  record Failed(Throwable error) {}

  final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
  WebSocket ws;

  static WsProbe connect(HttpClient http, URI uri, String key) {
    WsProbe probe = new WsProbe();
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(WAIT);
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    probe.ws = b.buildAsync(uri, probe).orTimeout(10, TimeUnit.SECONDS).join();
    return probe;
  }

  static ObjectNode request(String voice, String text) {
    ObjectNode o = JSON.createObjectNode();
    o.put("voice_id", voice);
    o.put("text", text);
    return o;
  }

  void send(JsonNode message) {
    send(message.toString());
  }

  void send(String message) {
    ws.sendText(message, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** The next event (String, ByteBuffer, Closed or Failed); fails after 10 s. */
  Object next() {
    try {
      Object o = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (o == null) {
        fail("no frame from the server within " + WAIT);
      }
      return o;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next event if one comes within {@code millis}, else null. */
  Object poll(long millis) {
    try {
      return events.poll(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next event, which must be a JSON text frame. */
  JsonNode nextJson() {
    Object o = next();
    assertThat(o).as("next event").isInstanceOf(String.class);
    return parse((String) o);
  }

  /** JSON frames up to and including the first whose status is {@code status}. */
  List<JsonNode> until(String status) {
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      JsonNode n = nextJson();
      out.add(n);
      if (status.equals(n.path("status").asText())) {
        return out;
      }
    }
  }

  static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  /** The decoded audio of the chunk frames among {@code frames}, in order. */
  static byte[] audio(List<JsonNode> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode f : frames) {
      if ("chunk".equals(f.path("status").asText())) {
        out.writeBytes(Base64.getDecoder().decode(f.path("data").path("audio").asText()));
      }
    }
    return out.toByteArray();
  }

  static List<JsonNode> withStatus(List<JsonNode> frames, String status) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode f : frames) {
      if (status.equals(f.path("status").asText())) {
        out.add(f);
      }
    }
    return out;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      events.add(partial.toString());
      partial.setLength(0);
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
      events.add(ByteBuffer.wrap(partialBinary.toByteArray()));
      partialBinary.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    events.add(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    events.add(new Failed(error));
  }

  @Override
  public void close() {
    if (ws != null && !ws.isOutputClosed()) {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).join();
      } catch (RuntimeException e) {
        // already closed
      }
    }
    if (ws != null) {
      ws.abort();
    }
  }
}
