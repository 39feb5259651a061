package dev.voicebridge.cartesia.internal;

import dev.voicebridge.cartesia.CartesiaOptions;
import dev.voicebridge.kit.http.HttpExchange;
import dev.voicebridge.kit.http.HttpSegmentBackend;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;

/**
 * One session over {@code POST /tts/bytes}: each sentence of the segmenter (or each turn) is one
 * request for raw audio ({@code container: raw}: WAV is wrapped locally, so the session is one
 * stream), the next one in flight while the previous one plays, each body streamed to the
 * application as it arrives. The body is audio only: no word timings.
 */
final class BytesBackend extends HttpSegmentBackend {
  private final CartesiaSynthesizer owner;
  private final CartesiaRequest plan;
  private final String config;
  private final AudioOutput out;

  BytesBackend(CartesiaSynthesizer owner, CartesiaRequest plan) {
    super(
        owner.httpOptions(HttpExchange::isAudio),
        CartesiaSynthesizer.segmenter(plan),
        owner.settings().httpPipeline());
    this.owner = owner;
    this.plan = plan;
    this.config = CartesiaCodec.config(plan);
    this.out = new AudioOutput(plan.format(), plan.wireEncoding());
  }

  @Override
  protected void onStart() {
    sink.attribute("transport", CartesiaOptions.BYTES);
    sink.attribute("model", plan.model());
    sink.attribute("cartesia_version", plan.version());
    plan.warnings().forEach(sink::warn);
  }

  @Override
  protected HttpRequest request(String text, int index, String previous) {
    return owner.post(
        "/tts/bytes", "application/octet-stream, audio/*", CartesiaCodec.httpBody(config, text));
  }

  @Override
  protected Body body(int index) {
    return chunk -> {
      byte[] copy = new byte[chunk.remaining()];
      chunk.get(copy);
      sink.audio(out.accept(copy));
    };
  }

  @Override
  protected void onEnd() {
    String dangling = out.danglingWarning();
    if (dangling != null) {
      sink.warn(dangling);
    }
    ByteBuffer rest = out.finish();
    sink.audio(rest);
  }
}
