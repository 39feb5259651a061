package dev.voicebridge.deepgram.internal;

import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.deepgram.DeepgramOptions;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.HttpExchange;
import dev.voicebridge.kit.http.HttpSegmentBackend;
import dev.voicebridge.text.SentenceSegmenter;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One session over REST {@code POST /v1/speak}, which takes one whole text per request: each
 * sentence (or, with {@link DeepgramOptions#HTTP_REQUEST_UNIT} {@code flush}, each turn) is one
 * request, two in flight at once (the next one generates while the previous one plays), bodies
 * streamed to the sink in order as their chunks arrive. Raw encodings are asked for with {@code
 * container=none}, so the audio of several requests joins into one stream (WAV gets one header for
 * the session, written here). Each response's {@code dg-request-id} and {@code dg-char-count} go
 * into the report.
 */
final class HttpBackend extends HttpSegmentBackend {
  /** Requests in flight at once. */
  static final int DEPTH = 2;

  private final NetworkSettings network;
  private final DeepgramRequest request;
  private final String path;
  private final AudioOutput out;

  // guarded by themselves
  private final Map<Integer, String> requestIds = new TreeMap<>(); // by request index
  private long charCount;

  HttpBackend(NetworkSettings network, DeepgramRequest request) {
    super(
        network.httpOptions(
            (status, headers, body) ->
                DeepgramErrors.forStatus(status, headers, body, "POST " + DeepgramRequest.PATH),
            HttpExchange::isAudio),
        DeepgramOptions.PER_FLUSH.equals(request.httpUnit())
            ? null
            : SentenceSegmenter.builder()
                .firstSegmentMinChars(0)
                .maxSegmentChars(SentenceSegmenter.DEFAULT_MAX_SEGMENT_CHARS)
                .build(),
        DEPTH);
    this.network = network;
    this.request = request;
    this.path = request.restPath();
    this.out = new AudioOutput(request.output(), request.format().sampleRate());
  }

  @Override
  protected void onStart() {
    sink.attribute("transport", "http");
    sink.attribute("model", request.model());
    request.warnings().forEach(sink::warn);
  }

  @Override
  protected HttpRequest request(String text, int index, String previous) {
    if (text.length() > DeepgramCodec.MAX_SPEAK_CHARS) {
      throw new InvalidRequestException(
          DeepgramCodec.PROVIDER,
          -1,
          null,
          "a turn of "
              + text.length()
              + " characters is longer than the "
              + DeepgramCodec.MAX_SPEAK_CHARS
              + " Deepgram takes per request; flush more often, or use http-request-unit"
              + " sentence");
    }
    return network
        .request(path)
        .header("Authorization", "Token " + network.apiKey().reveal())
        .header("Content-Type", "application/json")
        .header("Accept", "*/*")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                DeepgramCodec.restBody(text), StandardCharsets.UTF_8))
        .build();
  }

  @Override
  protected Body body(int index) {
    return new Body() {
      @Override
      public void onResponse(int status, HttpHeaders headers) {
        responded(index, headers);
      }

      @Override
      public void onChunk(ByteBuffer chunk) {
        ByteBuffer audio;
        synchronized (out) {
          audio = out.accept(chunk);
        }
        sink.audio(audio);
      }
    };
  }

  private void responded(int index, HttpHeaders headers) {
    String id = DeepgramErrors.header(headers, "dg-request-id");
    if (id == null) {
      id = headers.firstValue("request-id").orElse(null);
    }
    String count = DeepgramErrors.header(headers, "dg-char-count");
    String ids;
    long chars;
    synchronized (requestIds) {
      if (id != null) {
        requestIds.put(index, id);
      }
      if (count != null) {
        try {
          charCount += Long.parseLong(count.trim());
        } catch (NumberFormatException ignored) {
          // not a number: not counted
        }
      }
      ids = String.join(",", requestIds.values());
      chars = charCount;
    }
    if (!ids.isEmpty()) {
      sink.attribute("request-id", ids);
    }
    if (count != null) {
      sink.attribute("char-count", Long.toString(chars));
    }
  }

  @Override
  protected void onEnd() {
    ByteBuffer rest;
    boolean dangling;
    synchronized (out) {
      dangling = out.hasDanglingByte();
      rest = out.finish();
    }
    if (dangling) {
      sink.warn("the audio ended with an odd number of bytes (half a sample)");
    }
    sink.audio(rest);
  }
}
