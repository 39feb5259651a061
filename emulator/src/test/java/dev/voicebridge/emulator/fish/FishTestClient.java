package dev.voicebridge.emulator.fish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * A small raw Fish client for the tests, written here from the protocol notes (java.net.http
 * WebSocket + msgpack-core): packs events, and queues what the server sends.
 */
final class FishTestClient implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** One HTTP client for all tests (its selector thread is the JDK's). */
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Something the server sent. */
  sealed interface Event permits Binary, Text, Closed, Failed, Pong {}

  /** A binary frame: raw bytes and its decoding (null if it is not MessagePack). */
  record Binary(byte[] bytes, Map<String, Object> map) implements Event {
    String event() {
      return map == null ? null : (String) map.get("event");
    }
  }

  /** A text frame. */
  record Text(String text) implements Event {}

  /** A close frame. */
  record Closed(int code, String reason) implements Event {}

  /** The connection failed (e.g. dropped without a close frame). */
  record Failed(Throwable error) implements Event {}

  /** A pong and its payload. */
  record Pong(byte[] payload) implements Event {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final WebSocket ws;
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream();

  private FishTestClient(WebSocket ws) {
    this.ws = ws;
  }

  static FishTestClient connect(URI liveUrl, String key, String model) throws Exception {
    BlockingQueue<Event> q = new LinkedBlockingQueue<>();
    WebSocket.Builder b = HTTP.newWebSocketBuilder();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (model != null) {
      b.header("model", model);
    }
    Listener listener = new Listener(q);
    WebSocket ws = b.buildAsync(liveUrl, listener).get(10, TimeUnit.SECONDS);
    FishTestClient c = new FishTestClient(ws);
    listener.target = c;
    return c;
  }

  private static final class Listener implements WebSocket.Listener {
    final BlockingQueue<Event> q;
    volatile FishTestClient target;
    final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    final StringBuilder text = new StringBuilder();

    Listener(BlockingQueue<Event> q) {
      this.q = q;
    }

    private BlockingQueue<Event> queue() {
      FishTestClient t = target;
      return t != null ? t.events : q;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      binary.writeBytes(b);
      if (last) {
        byte[] all = binary.toByteArray();
        binary.reset();
        queue().add(new Binary(all, decode(all)));
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        queue().add(new Text(text.toString()));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      byte[] b = new byte[message.remaining()];
      message.get(b);
      queue().add(new Pong(b));
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      queue().add(new Closed(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      queue().add(new Failed(error));
    }
  }

  /** Decodes a MessagePack map, or null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> decode(byte[] bytes) {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      Value v = u.unpackValue();
      if (u.hasNext() || !v.isMapValue()) {
        return null;
      }
      return (Map<String, Object>) FishCodec.toJava(v);
    } catch (Exception e) {
      return null;
    }
  }

  static byte[] pack(Map<String, ?> map) {
    return FishCodec.pack(map);
  }

  /** A map from alternating keys and values (values may be null). */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  void send(Map<String, ?> event) throws Exception {
    ws.sendBinary(ByteBuffer.wrap(pack(event)), true).get(10, TimeUnit.SECONDS);
  }

  void sendRaw(byte[] bytes) throws Exception {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
  }

  void start(Map<String, Object> request) throws Exception {
    send(map("event", "start", "request", request));
  }

  void text(String t) throws Exception {
    send(map("event", "text", "text", t));
  }

  void flush() throws Exception {
    send(map("event", "flush"));
  }

  void stop() throws Exception {
    send(map("event", "stop"));
  }

  /** The next event, failing the test after the timeout. */
  Event next() throws InterruptedException {
    Event e = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event from the server within " + TIMEOUT);
    }
    if (e instanceof Binary b && "audio".equals(b.event())) {
      audio.writeBytes((byte[]) b.map().get("audio"));
    }
    return e;
  }

  /** Reads events until a {@code finish}; returns the audio events' count and the finish. */
  Binary untilFinish(List<Event> seen) throws InterruptedException {
    while (true) {
      Event e = next();
      seen.add(e);
      if (e instanceof Binary b && "finish".equals(b.event())) {
        return b;
      }
      if (e instanceof Closed || e instanceof Failed) {
        throw new AssertionError("connection ended before finish: " + e + " after " + seen);
      }
    }
  }

  /** Reads audio events until {@code bytes} audio bytes arrived in total (since the start). */
  void awaitAudioBytes(int bytes) throws InterruptedException {
    while (audio.size() < bytes) {
      Event e = next();
      if (!(e instanceof Binary b && "audio".equals(b.event()))) {
        throw new AssertionError("expected audio, got " + e);
      }
    }
  }

  /** Sends a ping and waits for its pong; returns the events that came before it. */
  List<Event> barrier() throws Exception {
    byte[] id = Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
    ws.sendPing(ByteBuffer.wrap(id)).get(10, TimeUnit.SECONDS);
    List<Event> before = new ArrayList<>();
    while (true) {
      Event e = next();
      if (e instanceof Pong p && java.util.Arrays.equals(p.payload(), id)) {
        return before;
      }
      before.add(e); // includes any unexpected pong (e.g. a duplicate answer to an earlier ping)
    }
  }

  byte[] audio() {
    return audio.toByteArray();
  }

  void resetAudio() {
    audio.reset();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Override
  public void close() {
    ws.abort();
  }

  /** A raw HTTP/1.1 WebSocket handshake; returns the status line, headers and body. */
  static RawResponse rawHandshake(URI baseUrl, Map<String, String> headers) throws IOException {
    try (Socket s = new Socket(baseUrl.getHost(), baseUrl.getPort())) {
      s.setSoTimeout((int) TIMEOUT.toMillis());
      StringBuilder req = new StringBuilder();
      req.append("GET /v1/tts/live HTTP/1.1\r\n")
          .append("Host: ")
          .append(baseUrl.getHost())
          .append(':')
          .append(baseUrl.getPort())
          .append("\r\n")
          .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
          .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        head.write(c);
      }
      String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          h.put(
              lines[i].substring(0, colon).trim().toLowerCase(),
              lines[i].substring(colon + 1).trim());
        }
      }
      byte[] body = new byte[0];
      if (h.containsKey("content-length")) {
        body = in.readNBytes(Integer.parseInt(h.get("content-length")));
      }
      return new RawResponse(status, h, new String(body, StandardCharsets.UTF_8));
    }
  }

  record RawResponse(int status, Map<String, String> headers, String body) {}
}
