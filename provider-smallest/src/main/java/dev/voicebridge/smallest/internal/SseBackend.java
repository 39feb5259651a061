package dev.voicebridge.smallest.internal;

import dev.voicebridge.TransportException;
import dev.voicebridge.kit.HttpErrors;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.HttpSegmentBackend;
import dev.voicebridge.kit.http.SseReader;
import dev.voicebridge.text.SentenceSegmenter;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One session over SSE ({@code POST /waves/v1/tts/live}), which has no server-side text buffering:
 * text is cut into sentences (or taken whole at each flush), each one request, sent one after the
 * other (Smallest allows one request at a time per concurrency unit), its audio streamed as it
 * arrives. Each request ends with its {@code done: true} event; a stream that ends without one is a
 * {@link TransportException}.
 */
final class SseBackend extends HttpSegmentBackend {
  /** Smallest's advice: at most 250 characters per request. */
  static final int MAX_SEGMENT_CHARS = 250;

  /** The first sentence may end at a clause mark once it is this long (faster first audio). */
  static final int FIRST_SEGMENT_MIN_CHARS = 30;

  private final NetworkSettings network;
  private final SmallestRequest request;
  private final List<String> warnings;
  private AudioOutput out;

  SseBackend(
      NetworkSettings network,
      SmallestRequest request,
      List<String> warnings,
      boolean perSentence) {
    super(
        network.httpOptions(
            (status, headers, body) ->
                SmallestErrors.forHttp(
                    status,
                    new String(body, StandardCharsets.UTF_8),
                    headers.firstValue("retry-after").orElse(null)),
            type -> type.toLowerCase(Locale.ROOT).contains("event-stream")),
        perSentence
            ? SentenceSegmenter.builder()
                .firstSegmentMinChars(FIRST_SEGMENT_MIN_CHARS)
                .maxSegmentChars(MAX_SEGMENT_CHARS)
                .build()
            : null,
        1);
    this.network = network;
    this.request = request;
    this.warnings = List.copyOf(warnings);
  }

  @Override
  protected void onStart() {
    this.out = new AudioOutput(sink.format());
    sink.attribute("transport", "sse");
    sink.attribute("model", request.model());
    warnings.forEach(sink::warn);
  }

  @Override
  protected HttpRequest request(String text, int index, String previous) {
    return network
        .request(SmallestSettings.LIVE_PATH)
        .header("Authorization", "Bearer " + network.apiKey().reveal())
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                SmallestCodec.sseBody(request, text), StandardCharsets.UTF_8))
        .build();
  }

  @Override
  protected Body body(int index) {
    SseReader reader = new SseReader(SmallestCodec.PROVIDER, network.maxFrameBytes());
    return new Body() {
      private boolean done;

      private boolean event(String name, byte[] data, int off, int len, String id) {
        SmallestCodec.SseFrame f = SmallestCodec.decodeSse(name, data, off, len);
        if (f instanceof SmallestCodec.SseError err) {
          throw err.status() > 0
              ? HttpErrors.forStatus(
                  SmallestCodec.PROVIDER, err.status(), err.code(), err.message(), null)
              : SmallestErrors.forErrorFrame(err.message(), err.code());
        }
        SmallestCodec.SseData d = (SmallestCodec.SseData) f;
        if (d.audio() != null) {
          sink.audio(out.accept(d.audio()));
        }
        done = d.done();
        return !done;
      }

      @Override
      public void onChunk(ByteBuffer chunk) {
        reader.feed(chunk, this::event);
      }

      @Override
      public boolean isDone() {
        return done;
      }

      @Override
      public void onEnd() {
        reader.finish(this::event);
        if (!done) {
          throw new TransportException(
              SmallestCodec.PROVIDER, "the SSE stream ended without 'done: true'");
        }
      }
    };
  }

  @Override
  protected void onEnd() {
    if (out.hasDanglingByte()) {
      sink.warn("the audio ended with an odd number of bytes (half a sample)");
    }
    sink.audio(out.finish());
  }
}
