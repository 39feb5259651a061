package dev.voicebridge.benchmarks;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.fish.internal.FishCodec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One Fish session on a bare JDK WebSocket (no library), feeding the same collector as a library
 * session: the floor row of the scale benchmark.
 */
final class FloorSession {
  private FloorSession() {}

  static WebSocket start(HttpClient http, URI base, String text, Common.Collector c)
      throws Exception {
    URI ws = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/v1/tts/live");
    WebSocket w =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + Common.KEY)
            .header("model", "s1")
            .buildAsync(
                ws,
                new WebSocket.Listener() {
                  final ByteArrayOutputStream parts = new ByteArrayOutputStream();
                  long offset;
                  long seq;

                  @Override
                  public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    parts.write(b, 0, b.length);
                    if (last) {
                      long now = System.nanoTime();
                      FishCodec.ServerEvent e =
                          FishCodec.decode(ByteBuffer.wrap(parts.toByteArray()));
                      parts.reset();
                      if (e instanceof FishCodec.Audio a) {
                        c.onNext(
                            new AudioChunk(
                                ByteBuffer.wrap(a.data()),
                                AudioFormat.PCM_24K,
                                seq++,
                                offset,
                                now,
                                null));
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
                })
            .get(30, TimeUnit.SECONDS);
    w.sendBinary(
            ByteBuffer.wrap(
                FishCodec.start(Map.of("text", "", "format", "pcm", "sample_rate", 24000))),
            true)
        .get(30, TimeUnit.SECONDS);
    w.sendBinary(ByteBuffer.wrap(FishCodec.text(text)), true).get(30, TimeUnit.SECONDS);
    w.sendBinary(ByteBuffer.wrap(FishCodec.stop()), true).get(30, TimeUnit.SECONDS);
    return w;
  }
}
