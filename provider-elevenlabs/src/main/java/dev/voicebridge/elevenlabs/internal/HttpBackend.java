package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.WordTiming;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.Transports;
import dev.voicebridge.kit.http.HttpExchange;
import dev.voicebridge.kit.http.HttpSegmentBackend;
import dev.voicebridge.kit.http.LineReader;
import dev.voicebridge.text.SentenceSegmenter;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A session over HTTP {@code /stream} (audio streamed as it arrives) or {@code
 * /stream/with-timestamps} (newline-delimited JSON with seconds-based alignment). Tokens go through
 * the sentence segmenter (or, with {@code http-sentences} off, the text of each turn is one
 * request); each piece is one request carrying the one before it as {@code previous_text}, sent in
 * order, one at a time, each body read as the application reads.
 */
final class HttpBackend extends HttpSegmentBackend {
  private final NetworkSettings network;
  private final ElevenLabsRequest plan;
  private final boolean timestamps;
  private final AudioTimeline timeline;
  private final URI uri;

  HttpBackend(ElevenLabsSynthesizer owner, ElevenLabsRequest plan) {
    super(
        owner
            .settings()
            .network()
            .httpOptions(
                (status, headers, body) ->
                    ElevenLabsErrors.fromHttp(
                        status, headers, new String(body, StandardCharsets.UTF_8)),
                Transports.HTTP_TIMESTAMPS.equals(plan.transport())
                    ? type -> !type.toLowerCase(Locale.ROOT).contains("html")
                    : HttpExchange::isAudio),
        plan.httpSentences()
            ? SentenceSegmenter.builder().firstSegmentMinChars(30).maxSegmentChars(400).build()
            : null,
        1);
    this.network = owner.settings().network();
    this.plan = plan;
    this.timestamps = Transports.HTTP_TIMESTAMPS.equals(plan.transport());
    this.timeline = new AudioTimeline(plan.format(), plan.normalizedAlignment());
    this.uri = plan.httpUri(network.baseUrl());
  }

  @Override
  protected void onStart() {
    sink.attribute("transport", "http");
    sink.attribute("endpoint", timestamps ? "stream/with-timestamps" : "stream");
    sink.attribute("output_format", plan.outputFormat());
    sink.attribute("model", plan.model());
    plan.warnings().forEach(sink::warn);
  }

  @Override
  protected HttpRequest request(String text, int index, String previous) {
    return HttpRequest.newBuilder(uri)
        .timeout(network.requestTimeout())
        .header("xi-api-key", network.apiKey().reveal())
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                ElevenLabsCodec.httpBody(plan, text, previous), StandardCharsets.UTF_8))
        .build();
  }

  @Override
  protected Body body(int index) {
    LineReader lines =
        timestamps ? new LineReader(ElevenLabsSynthesizer.NAME, network.maxFrameBytes()) : null;
    return new Body() {
      @Override
      public void onResponse(int status, HttpHeaders headers) {
        timeline.beginRequest();
      }

      @Override
      public void onChunk(ByteBuffer chunk) {
        if (lines != null) {
          lines.feed(chunk, this::line);
          return;
        }
        byte[] copy = new byte[chunk.remaining()];
        chunk.get(copy);
        timeline.requestChunk(copy, null);
        sink.audio(ByteBuffer.wrap(copy));
      }

      private void line(byte[] line, int off, int len) {
        ElevenLabsCodec.TimestampChunk c =
            ElevenLabsCodec.decodeTimestampLine(line, off, off + len);
        Alignment a = plan.normalizedAlignment() ? c.normalizedAlignment() : c.alignment();
        List<WordTiming> words = timeline.requestChunk(c.audio(), a);
        if (c.audio() != null) {
          sink.audio(ByteBuffer.wrap(c.audio()));
        }
        words.forEach(sink::wordTiming);
      }

      @Override
      public void onEnd() {
        if (lines != null) {
          lines.finish(this::line);
        }
        timeline.end().forEach(sink::wordTiming);
      }
    };
  }
}
