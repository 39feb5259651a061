package dev.voicebridge.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.fish.internal.FishCodec;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The floor under the library: the same emulator endpoints read by a bare JDK client (HttpClient
 * body stream, JDK WebSocket with no session machinery), timed the same way, so "what the library
 * adds" is the library's row minus the floor row of the same run.
 */
final class Floors implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EL_VOICE = "JBFqnCBsd6RMkjVDRZzb";
  private static final String SMALLEST_VOICE = "meher";
  private static final String CARTESIA_VOICE = "794f9389-aac1-45b6-b726-9d9369183238";
  private static final String CARTESIA_VERSION = "2026-08-14";
  private static final String DEEPGRAM_PATH =
      "/v1/speak?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000";
  private final HttpClient http = HttpClient.newHttpClient();
  private WebSocket fishSocket;
  private volatile FishListener fishListener;
  private WebSocket smallestSocket;
  private volatile JsonCollector smallestCollector;
  private WebSocket cartesiaSocket;
  private volatile JsonCollector cartesiaCollector;
  private int cartesiaContexts;

  /** Fish {@code POST /v1/tts}, PCM 24 kHz, the body read by a blocking InputStream. */
  Common.Run fishHttp(URI base, String text) throws Exception {
    String body =
        "{\"text\":\""
            + text
            + "\",\"format\":\"pcm\",\"sample_rate\":24000,\"latency\":\"normal\"}";
    return httpRun(
        HttpRequest.newBuilder(base.resolve("/v1/tts"))
            .header("Authorization", "Bearer " + Common.KEY)
            .header("Content-Type", "application/json")
            .header("model", "s1")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** ElevenLabs {@code POST /v1/text-to-speech/{voice}/stream}, PCM 24 kHz. */
  Common.Run elevenLabsHttp(URI base, String text) throws Exception {
    String body = "{\"text\":\"" + text + "\",\"model_id\":\"eleven_flash_v2_5\"}";
    return httpRun(
        HttpRequest.newBuilder(
                base.resolve(
                    "/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream?output_format=pcm_24000"))
            .header("xi-api-key", Common.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /**
   * ElevenLabs {@code POST /v1/text-to-speech/{voice}/stream/with-timestamps}, PCM 24 kHz: the body
   * read line by line, each line parsed with Jackson and its {@code audio_base64} decoded.
   */
  Common.Run elevenLabsHttpTimestamps(URI base, String text) throws Exception {
    String body = "{\"text\":\"" + text + "\",\"model_id\":\"eleven_flash_v2_5\"}";
    HttpRequest request =
        HttpRequest.newBuilder(
                base.resolve(
                    "/v1/text-to-speech/"
                        + EL_VOICE
                        + "/stream/with-timestamps?output_format=pcm_24000"))
            .header("xi-api-key", Common.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return lines(request, "", "audio_base64");
  }

  /**
   * Posts {@code request} and reads its body line by line: every line starting with {@code prefix}
   * is parsed with Jackson from there, and its base64 field {@code field} is the audio.
   */
  private Common.Run lines(HttpRequest request, String prefix, String field) throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode());
    }
    JsonCollector c = new JsonCollector(null);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty() || !line.startsWith(prefix)) {
          continue;
        }
        JsonNode a = JSON.readTree(line.substring(prefix.length())).get(field);
        if (a != null && a.isTextual() && !a.asText().isEmpty()) {
          c.audio(Base64.getDecoder().decode(a.asText()));
        }
      }
    }
    return new Common.Run(start, c.chunks, null);
  }

  private Common.Run httpRun(HttpRequest request) throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode());
    }
    List<Common.Chunk> chunks = new ArrayList<>();
    long offset = 0;
    byte[] buf = new byte[65536];
    try (InputStream in = r.body()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        long now = System.nanoTime();
        if (n > 0) {
          chunks.add(new Common.Chunk(now, now, offset, n, Arrays.copyOf(buf, n)));
          offset += n;
        }
      }
    }
    return new Common.Run(start, chunks, null);
  }

  /** Fish WebSocket {@code /v1/tts/live}: start, text, stop on one long-lived JDK WebSocket. */
  Common.Run fishWs(URI base, String text) throws Exception {
    if (fishSocket == null) {
      URI ws = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/v1/tts/live");
      fishSocket =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + Common.KEY)
              .header("model", "s1")
              .buildAsync(
                  ws,
                  new WebSocket.Listener() {
                    final ByteArrayOutputStream parts = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                      byte[] b = new byte[data.remaining()];
                      data.get(b);
                      parts.write(b, 0, b.length);
                      if (last) {
                        long now = System.nanoTime();
                        byte[] frame = parts.toByteArray();
                        parts.reset();
                        fishListener.on(FishCodec.decode(ByteBuffer.wrap(frame)), now);
                      }
                      w.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
    }
    FishListener l = new FishListener();
    fishListener = l;
    long start = System.nanoTime();
    fishSocket
        .sendBinary(
            ByteBuffer.wrap(
                FishCodec.start(Map.of("text", "", "format", "pcm", "sample_rate", 24000))),
            true)
        .get(30, TimeUnit.SECONDS);
    fishSocket.sendBinary(ByteBuffer.wrap(FishCodec.text(text)), true).get(30, TimeUnit.SECONDS);
    fishSocket.sendBinary(ByteBuffer.wrap(FishCodec.stop()), true).get(30, TimeUnit.SECONDS);
    l.done.get(30, TimeUnit.SECONDS);
    return new Common.Run(start, l.chunks, null);
  }

  /**
   * ElevenLabs stream-input on a new JDK WebSocket per session (the server ends the socket with the
   * input): the initial space, the text with {@code flush}, the empty end of input; audio is the
   * base64 {@code audio} of each JSON message, decoded with Jackson and the JDK's base64.
   */
  Common.Run elevenLabsWs(URI base, String text) throws Exception {
    URI ws =
        wsUri(
            base,
            "/v1/text-to-speech/"
                + EL_VOICE
                + "/stream-input?model_id=eleven_flash_v2_5&output_format=pcm_24000");
    JsonCollector c =
        new JsonCollector(
            (node, col) -> {
              JsonNode a = node.get("audio");
              if (a != null && a.isTextual() && !a.asText().isEmpty()) {
                col.audio(Base64.getDecoder().decode(a.asText()));
              }
              if (node.path("isFinal").asBoolean(false)) {
                col.done.complete(null);
              }
            });
    WebSocket w =
        http.newWebSocketBuilder()
            .header("xi-api-key", Common.KEY)
            .buildAsync(ws, c)
            .get(10, TimeUnit.SECONDS);
    long start = System.nanoTime();
    ObjectNode body = JSON.createObjectNode().put("text", text + " ").put("flush", true);
    w.sendText("{\"text\":\" \"}", true).get(30, TimeUnit.SECONDS);
    w.sendText(body.toString(), true).get(30, TimeUnit.SECONDS);
    w.sendText("{\"text\":\"\"}", true).get(30, TimeUnit.SECONDS);
    c.done.get(30, TimeUnit.SECONDS);
    w.abort();
    return new Common.Run(start, c.chunks, null);
  }

  /**
   * Smallest {@code /waves/v1/tts/live} on one long-lived JDK WebSocket: one request message per
   * session, {@code chunk} messages until {@code complete} (after a 50 ms backoff, as the library's
   * row asks for).
   */
  Common.Run smallestWs(URI base, String text) throws Exception {
    if (smallestSocket == null) {
      smallestSocket =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + Common.KEY)
              .buildAsync(
                  wsUri(base, "/waves/v1/tts/live"),
                  new JsonCollector((node, col) -> smallestCollector.onSmallest(node)))
              .get(10, TimeUnit.SECONDS);
    }
    JsonCollector c = new JsonCollector(null);
    smallestCollector = c;
    long start = System.nanoTime();
    smallestSocket
        .sendText(smallestRequest(text).put("complete_backoff_ms", 50).toString(), true)
        .get(30, TimeUnit.SECONDS);
    c.done.get(30, TimeUnit.SECONDS);
    return new Common.Run(start, c.chunks, null);
  }

  /**
   * Smallest SSE, {@code POST /waves/v1/tts/live}: the body read line by line, each {@code data:}
   * line parsed with Jackson and its {@code audio} decoded.
   */
  Common.Run smallestSse(URI base, String text) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/waves/v1/tts/live"))
            .header("Authorization", "Bearer " + Common.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(smallestRequest(text).toString()))
            .build();
    return lines(request, "data:", "audio");
  }

  /**
   * Deepgram {@code POST /v1/speak}, raw linear16 at 24 kHz ({@code container=none}), the body read
   * by a blocking InputStream.
   */
  Common.Run deepgramHttp(URI base, String text) throws Exception {
    String body = JSON.createObjectNode().put("text", text).toString();
    return httpRun(
        HttpRequest.newBuilder(base.resolve(DEEPGRAM_PATH + "&container=none"))
            .header("Authorization", "Token " + Common.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /**
   * Deepgram's speak WebSocket on a new JDK WebSocket per session (a socket takes 2,400 characters
   * and 20 flushes a minute, so a long-lived one would hit the vendor's limits): {@code Speak},
   * {@code Flush}, binary audio until {@code Flushed}, then {@code Close} and the server's close.
   */
  Common.Run deepgramWs(URI base, String text) throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    JsonCollector c =
        new JsonCollector(
            (node, col) -> {
              if (node.path("type").asText().equals("Flushed")) {
                col.done.complete(null);
              }
            }) {
          @Override
          public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closed.complete(null);
            return super.onClose(w, status, reason);
          }
        };
    // timed from before the handshake: a session's socket is part of its cost, for the library's
    // rows and the official client's alike
    long start = System.nanoTime();
    WebSocket w =
        http.newWebSocketBuilder()
            .header("Authorization", "Token " + Common.KEY)
            .buildAsync(wsUri(base, DEEPGRAM_PATH), c)
            .get(10, TimeUnit.SECONDS);
    w.sendText(JSON.createObjectNode().put("type", "Speak").put("text", text).toString(), true)
        .get(30, TimeUnit.SECONDS);
    w.sendText("{\"type\":\"Flush\"}", true).get(30, TimeUnit.SECONDS);
    c.done.get(30, TimeUnit.SECONDS);
    w.sendText("{\"type\":\"Close\"}", true).get(30, TimeUnit.SECONDS);
    closed.get(30, TimeUnit.SECONDS); // the server's close frees its stream slot at once
    return new Common.Run(start, c.chunks, null);
  }

  private static ObjectNode smallestRequest(String text) {
    return JSON.createObjectNode()
        .put("voice_id", SMALLEST_VOICE)
        .put("text", text)
        .put("sample_rate", 24000);
  }

  /**
   * Cartesia {@code /tts/websocket} on one long-lived JDK WebSocket: one context per session, the
   * whole text in one message with {@code continue: false}, {@code chunk} frames until {@code
   * done}. Word timestamps are asked for (and parsed, then dropped), as the library's row does.
   */
  Common.Run cartesiaWs(URI base, String text) throws Exception {
    if (cartesiaSocket == null) {
      cartesiaSocket =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + Common.KEY)
              .header("Cartesia-Version", CARTESIA_VERSION)
              .buildAsync(
                  wsUri(base, "/tts/websocket"),
                  new JsonCollector((node, col) -> cartesiaCollector.onCartesia(node)))
              .get(10, TimeUnit.SECONDS);
    }
    JsonCollector c = new JsonCollector(null);
    cartesiaCollector = c;
    ObjectNode body =
        cartesiaRequest(text)
            .put("add_timestamps", true)
            .put("context_id", "floor-" + ++cartesiaContexts)
            .put("continue", false);
    long start = System.nanoTime();
    cartesiaSocket.sendText(body.toString(), true).get(30, TimeUnit.SECONDS);
    c.done.get(30, TimeUnit.SECONDS);
    return new Common.Run(start, c.chunks, null);
  }

  /**
   * Cartesia {@code POST /tts/sse} with word timestamps: each {@code data:} line parsed with
   * Jackson and its {@code data} decoded.
   */
  Common.Run cartesiaSse(URI base, String text) throws Exception {
    String body = cartesiaRequest(text).put("add_timestamps", true).toString();
    return lines(cartesiaPost(base, "/tts/sse", "text/event-stream", body), "data:", "data");
  }

  /** Cartesia {@code POST /tts/bytes}, raw PCM 24 kHz, the body read by a blocking InputStream. */
  Common.Run cartesiaBytes(URI base, String text) throws Exception {
    String body = cartesiaRequest(text).toString();
    return httpRun(cartesiaPost(base, "/tts/bytes", "application/octet-stream", body));
  }

  private static HttpRequest cartesiaPost(URI base, String path, String accept, String body) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + Common.KEY)
        .header("Cartesia-Version", CARTESIA_VERSION)
        .header("Content-Type", "application/json")
        .header("Accept", accept)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static ObjectNode cartesiaRequest(String text) {
    ObjectNode o = JSON.createObjectNode().put("model_id", "sonic-3").put("voice", CARTESIA_VOICE);
    o.putObject("output_format")
        .put("container", "raw")
        .put("encoding", "pcm_s16le")
        .put("sample_rate", 24000);
    return o.put("transcript", text);
  }

  private static URI wsUri(URI base, String pathAndQuery) {
    return URI.create(base.toString().replaceFirst("^http", "ws")).resolve(pathAndQuery);
  }

  /**
   * A JDK WebSocket listener for JSON text messages, collecting the audio they carry (or, for
   * Deepgram, the binary messages).
   */
  private static class JsonCollector implements WebSocket.Listener {
    final List<Common.Chunk> chunks = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final BiConsumer<JsonNode, JsonCollector> handler;
    private final StringBuilder parts = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private long offset;

    JsonCollector(BiConsumer<JsonNode, JsonCollector> handler) {
      this.handler = handler;
    }

    void audio(byte[] a) {
      long now = System.nanoTime();
      chunks.add(new Common.Chunk(now, now, offset, a.length, a));
      offset += a.length;
    }

    void onSmallest(JsonNode node) {
      switch (node.path("status").asText()) {
        case "chunk" -> audio(Base64.getDecoder().decode(node.path("data").path("audio").asText()));
        case "complete" -> done.complete(null);
        case "error" -> done.completeExceptionally(new IllegalStateException(node.toString()));
        default -> {}
      }
    }

    void onCartesia(JsonNode node) {
      switch (node.path("type").asText()) {
        case "chunk" -> audio(Base64.getDecoder().decode(node.path("data").asText()));
        case "done" -> done.complete(null);
        case "error" -> done.completeExceptionally(new IllegalStateException(node.toString()));
        default -> {}
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      parts.append(data);
      if (last) {
        String message = parts.toString();
        parts.setLength(0);
        try {
          handler.accept(JSON.readTree(message), this);
        } catch (Exception e) {
          done.completeExceptionally(e);
        }
      }
      w.request(1);
      return null;
    }

    /** A binary message is audio (Deepgram); the other vendors here send none. */
    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      binary.write(b, 0, b.length);
      if (last) {
        audio(binary.toByteArray());
        binary.reset();
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
      done.completeExceptionally(new IllegalStateException("closed " + status + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      done.completeExceptionally(error);
    }
  }

  private static final class FishListener {
    final List<Common.Chunk> chunks = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    long offset;

    void on(FishCodec.ServerEvent e, long now) {
      if (e instanceof FishCodec.Audio a) {
        chunks.add(new Common.Chunk(now, now, offset, a.data().length, a.data()));
        offset += a.data().length;
      } else if (e instanceof FishCodec.Finish) {
        done.complete(null);
      }
    }
  }

  @Override
  public void close() {
    if (fishSocket != null) {
      fishSocket.abort();
    }
    if (smallestSocket != null) {
      smallestSocket.abort();
    }
    if (cartesiaSocket != null) {
      cartesiaSocket.abort();
    }
  }
}
