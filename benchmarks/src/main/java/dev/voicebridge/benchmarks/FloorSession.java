package dev.voicebridge.benchmarks;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.fish.internal.FishCodec;
import dev.voicebridge.fish.internal.FishRequest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One Fish session on a bare JDK WebSocket (no library), feeding the same collector as a library
 * session: the floor row of the scale benchmark.
 */
final class FloorSession {
  private FloorSession() {}

  /**
   * Opens the socket and sends start, text and stop without blocking the caller (as a library
   * session does), so the floor sessions open at the same rate as the library's.
   */
  static CompletableFuture<WebSocket> start(
      HttpClient http, URI base, String text, Common.Collector c) {
    URI ws = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/v1/tts/live");
    // the library's start request, field for field (its default latency mode sets the emulator's
    // first-audio delay, so a different one would shift the floor's sessions in time)
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("text", "");
    request.put("format", "pcm");
    request.put("sample_rate", 24000);
    request.put("latency", FishRequest.DEFAULT_LATENCY);
    byte[] start = FishCodec.start(request);
    byte[] body = FishCodec.text(text);
    byte[] stop = FishCodec.stop();
    CompletableFuture<WebSocket> opened =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + Common.KEY)
            .header("model", "s1")
            .buildAsync(ws, new Listener(c));
    CompletableFuture<WebSocket> sent =
        opened
            .thenCompose(w -> w.sendBinary(ByteBuffer.wrap(start), true))
            .thenCompose(w -> w.sendBinary(ByteBuffer.wrap(body), true))
            .thenCompose(w -> w.sendBinary(ByteBuffer.wrap(stop), true));
    sent.whenComplete(
        (w, e) -> {
          if (e != null) {
            c.onError(e);
          }
        });
    return sent;
  }

  private static final class Listener implements WebSocket.Listener {
    private final Common.Collector c;
    private final ByteArrayOutputStream parts = new ByteArrayOutputStream();
    private long offset;
    private long seq;

    Listener(Common.Collector c) {
      this.c = c;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      parts.write(b, 0, b.length);
      if (last) {
        long now = System.nanoTime();
        FishCodec.ServerEvent e = FishCodec.decode(ByteBuffer.wrap(parts.toByteArray()));
        parts.reset();
        if (e instanceof FishCodec.Audio a) {
          c.onNext(
              new AudioChunk(
                  ByteBuffer.wrap(a.data()), AudioFormat.PCM_24K, seq++, offset, now, null));
          offset += a.data().length;
        } else if (e instanceof FishCodec.Finish) {
          c.onComplete();
        }
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
      c.onError(new IllegalStateException("closed " + status + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      c.onError(error);
    }
  }
}
