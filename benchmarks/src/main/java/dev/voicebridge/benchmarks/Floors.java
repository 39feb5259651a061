package dev.voicebridge.benchmarks;

import dev.voicebridge.fish.internal.FishCodec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the library: the same emulator endpoints read by a bare JDK client (HttpClient
 * body stream, JDK WebSocket with no session machinery), timed the same way, so "what the library
 * adds" is the library's row minus the floor row of the same run.
 */
final class Floors implements AutoCloseable {
  private final HttpClient http = HttpClient.newHttpClient();
  private WebSocket fishSocket;
  private volatile FishListener fishListener;

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
  }
}
