package dev.voicebridge.fish.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.fish.FishOptions;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.HttpExchange;
import dev.voicebridge.kit.http.HttpSegmentBackend;
import dev.voicebridge.text.SentenceSegmenter;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;

/**
 * One session over HTTP {@code POST /v1/tts}: Fish's HTTP endpoint has no text buffering, so each
 * sentence (or, with {@link FishOptions#HTTP_REQUEST_UNIT} {@code flush}, each turn) is one
 * request, run one after another, each body streamed to the sink as its chunks arrive. For WAV, the
 * header of every response after the first is dropped, so the session is one WAV stream.
 */
final class HttpBackend extends HttpSegmentBackend {
  private static final int MAX_WAV_HEADER = 64 * 1024;

  private final NetworkSettings network;
  private final FishRequest request;

  HttpBackend(FishSettings settings, FishRequest request) {
    super(
        settings
            .network()
            .httpOptions(
                (status, headers, body) ->
                    FishErrors.forStatus(status, headers, body, "POST /v1/tts"),
                HttpExchange::isAudio),
        FishOptions.PER_FLUSH.equals(request.httpUnit())
            ? null
            : SentenceSegmenter.builder()
                .firstSegmentMinChars(0)
                .maxSegmentChars(SentenceSegmenter.DEFAULT_MAX_SEGMENT_CHARS)
                .build(),
        1);
    this.network = settings.network();
    this.request = request;
  }

  @Override
  protected void onStart() {
    sink.attribute("transport", "http");
    sink.attribute("model", request.model());
    request.warnings().forEach(sink::warn);
  }

  @Override
  protected HttpRequest request(String text, int index, String previous) {
    return network
        .request("/v1/tts")
        .header("Authorization", "Bearer " + network.apiKey().reveal())
        .header("Content-Type", "application/msgpack")
        .header("model", request.model())
        .POST(HttpRequest.BodyPublishers.ofByteArray(FishCodec.pack(request.withText(text))))
        .build();
  }

  @Override
  protected Body body(int index) {
    boolean strip = index > 0 && request.format().encoding() == AudioFormat.Encoding.WAV;
    return new Body() {
      private ByteArrayOutputStream header = strip ? new ByteArrayOutputStream() : null;

      @Override
      public void onChunk(ByteBuffer chunk) {
        if (header == null) {
          byte[] copy = new byte[chunk.remaining()];
          chunk.get(copy);
          sink.audio(ByteBuffer.wrap(copy));
          return;
        }
        byte[] part = new byte[chunk.remaining()];
        chunk.get(part);
        header.writeBytes(part);
        byte[] all = header.toByteArray();
        WavInfo info;
        try {
          info = Wav.read(all);
        } catch (IllegalArgumentException e) {
          if (all.length > MAX_WAV_HEADER) {
            throw new ProtocolException(
                FishCodec.PROVIDER, "no valid WAV header in the response: " + e.getMessage());
          }
          return; // more of the header to come
        }
        header = null;
        int offset = info.dataOffset();
        if (offset < all.length) {
          sink.audio(ByteBuffer.wrap(all, offset, all.length - offset));
        }
      }

      @Override
      public void onEnd() {
        if (header != null && header.size() > 0) {
          throw new ProtocolException(
              FishCodec.PROVIDER, "the response ended inside its WAV header");
        }
      }
    };
  }
}
