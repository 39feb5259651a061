package dev.voicebridge.cartesia.internal;

import dev.voicebridge.TransportException;
import dev.voicebridge.cartesia.CartesiaOptions;
import dev.voicebridge.kit.http.HttpSegmentBackend;
import dev.voicebridge.kit.http.SseReader;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One session over {@code POST /tts/sse}, which takes one whole transcript per request (no
 * continuations): each sentence of the segmenter (or each turn) is a request, the next one in
 * flight while the previous one plays, their events read strictly in order. Events have the
 * WebSocket's shapes: {@code chunk} to audio, {@code timestamps} to word timings (each request's
 * times restart at zero and are offset by the audio before it), {@code done} ends the request; an
 * {@code error} (as a frame, or as {@code event: error}) fails the session; a stream that ends
 * without {@code done} is a {@link TransportException}.
 */
final class SseBackend extends HttpSegmentBackend {
  private final CartesiaSynthesizer owner;
  private final CartesiaRequest plan;
  private final String config;
  private final AudioOutput out;
  private final Timeline timeline;
  private final Set<String> unknownTypes = new HashSet<>();

  SseBackend(CartesiaSynthesizer owner, CartesiaRequest plan) {
    super(
        owner.httpOptions(type -> type.toLowerCase(Locale.ROOT).contains("text/event-stream")),
        CartesiaSynthesizer.segmenter(plan),
        owner.settings().httpPipeline());
    this.owner = owner;
    this.plan = plan;
    this.config = CartesiaCodec.config(plan);
    this.out = new AudioOutput(plan.format(), plan.wireEncoding());
    this.timeline = new Timeline(Boolean.TRUE.equals(plan.normalizedTimestamps()));
  }

  @Override
  protected void onStart() {
    sink.attribute("transport", CartesiaOptions.SSE);
    sink.attribute("model", plan.model());
    sink.attribute("cartesia_version", plan.version());
    plan.warnings().forEach(sink::warn);
  }

  @Override
  protected HttpRequest request(String text, int index, String previous) {
    return owner.post("/tts/sse", "text/event-stream", CartesiaCodec.httpBody(config, text));
  }

  @Override
  protected Body body(int index) {
    SseReader reader = new SseReader(CartesiaOptions.PROVIDER, owner.network().maxFrameBytes());
    return new Body() {
      private boolean started;
      private boolean done;

      private boolean event(String name, byte[] data, int off, int len, String id) {
        if (!started) {
          started = true;
          timeline.request(index, out.seconds());
        }
        ServerFrame f = CartesiaCodec.decodeEvent(data, off, len);
        if (name.equals("error") || f.type() == ServerFrame.Type.ERROR) {
          throw CartesiaErrors.forFrame(f);
        }
        switch (f.type()) {
          case CHUNK -> sink.audio(out.accept(f.audio()));
          case TIMESTAMPS -> {
            if (plan.wordTimestamps()) {
              timeline.words(f.words()).forEach(sink::wordTiming);
            }
          }
          case PHONEME_TIMESTAMPS -> {
            if (plan.phonemes() != null) {
              for (CartesiaOptions.PhonemeTiming t : timeline.phonemes(f.phonemes())) {
                if (sink.isDone()) {
                  break;
                }
                plan.phonemes().onPhoneme(t);
              }
            }
          }
          case DONE -> done = true;
          case UNKNOWN -> {
            if (unknownTypes.add(f.typeName())) {
              sink.warn("ignored a server event of unknown type '" + f.typeName() + "'");
            }
          }
          default -> {
            // flush_done never comes over SSE (there is no flush input); nothing to do
          }
        }
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
              CartesiaOptions.PROVIDER,
              "the SSE stream of request " + (index + 1) + " ended without its done event");
        }
      }
    };
  }

  @Override
  protected void onEnd() {
    String dangling = out.danglingWarning();
    if (dangling != null) {
      sink.warn(dangling);
    }
    sink.audio(out.finish());
  }
}
