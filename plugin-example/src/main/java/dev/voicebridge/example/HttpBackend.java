package dev.voicebridge.example;

import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.kit.HttpErrors;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.HttpExchange;
import dev.voicebridge.kit.http.HttpSegmentBackend;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A session over the tone vendor's HTTP API, {@code POST /v1/tones}: the text of each turn (up to a
 * flush, or up to the finish) is one request, and the 16-bit PCM of its body is streamed to the
 * application as it arrives. Everything else (back pressure, error bodies, the content type,
 * cancel, failures that name the host) is the provider kit's: this class only says what a request
 * and a body are. A vendor that speaks sentence by sentence passes a {@code SentenceSegmenter}
 * instead of {@code null} (see the Fish adapter).
 */
final class HttpBackend extends HttpSegmentBackend {
  private final NetworkSettings network;
  private final ToneGenerator tones;
  private final SynthesisOptions options;

  HttpBackend(NetworkSettings network, ToneGenerator tones, SynthesisOptions options) {
    super(
        network.httpOptions(HttpErrors.plain(ExampleProvider.NAME), HttpExchange::isAudio),
        null,
        1);
    this.network = network;
    this.tones = tones;
    this.options = options;
  }

  // tag::http-backend[]
  @Override
  protected void onStart() {
    sink.attribute("transport", "http");
    if (options.voice().isPresent() || options.model().isPresent()) {
      sink.warn("voice and model are ignored: the tone API has one voice");
    }
  }

  @Override
  protected HttpRequest request(String text, int index, String previous) {
    HttpRequest.Builder b =
        network
            .request("/v1/tones")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(text), StandardCharsets.UTF_8));
    if (network.apiKey() != null) {
      b.header("Authorization", "Bearer " + network.apiKey().reveal());
    }
    return b.build();
  }

  /** The request's JSON: the text and how to render it. */
  private String body(String text) {
    return "{\"text\":"
        + json(text)
        + ",\"sample_rate\":"
        + sink.format().sampleRate()
        + ",\"char_ms\":"
        + tones.charDuration().toMillis()
        + ",\"frequency\":"
        + tones.baseFrequency()
        + "}";
  }

  @Override
  protected Body body(int index) {
    return chunk -> {
      byte[] pcm = new byte[chunk.remaining()];
      chunk.get(pcm);
      sink.audio(ByteBuffer.wrap(pcm));
    };
  }

  // end::http-backend[]

  /** A JSON string: quotes, backslashes and control characters escaped. */
  static String json(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
