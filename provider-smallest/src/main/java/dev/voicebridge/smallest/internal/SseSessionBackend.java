package dev.voicebridge.smallest.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.CappedBody;
import dev.voicebridge.spi.ProviderErrors;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.text.SentenceSegmenter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * One session over SSE ({@code POST /waves/v1/tts/live}), which has no server-side text buffering:
 * text is cut into sentences by the {@link SentenceSegmenter}, and each sentence is one request,
 * sent one after the other (Smallest allows one request at a time per concurrency unit), its audio
 * streamed as it arrives. A flush or the finish sends what the segmenter still holds. Each request
 * ends with its {@code done: true} event; a stream that ends without one is a {@link
 * TransportException}.
 */
final class SseSessionBackend implements SessionBackend {
  /** Smallest's advice: at most 250 characters per request. */
  static final int MAX_SEGMENT_CHARS = 250;

  /** The first sentence may end at a clause mark once it is this long (faster first audio). */
  static final int FIRST_SEGMENT_MIN_CHARS = 30;

  /** The bytes of an error body read for its message; the rest is discarded unread. */
  static final int MAX_ERROR_BODY = 64 * 1024;

  private final Supplier<HttpClient> client;
  private final SmallestSettings settings;
  private final RequestSettings request;
  private final List<String> warnings;
  private final boolean perSentence;
  private final StringBuilder untilFlush = new StringBuilder();
  private final SentenceSegmenter segmenter =
      SentenceSegmenter.builder()
          .firstSegmentMinChars(FIRST_SEGMENT_MIN_CHARS)
          .maxSegmentChars(MAX_SEGMENT_CHARS)
          .build();

  private SynthesisSink sink;
  private AudioOutput out;
  private final SseParser parser; // one request's stream at a time: reset per request

  // guarded by this
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private boolean inFlight;
  private boolean finishRequested;
  private boolean ended;
  private CompletableFuture<?> call;
  private Flow.Subscription subscription;
  private int requests;

  SseSessionBackend(
      Supplier<HttpClient> client,
      SmallestSettings settings,
      RequestSettings request,
      List<String> warnings,
      boolean perSentence) {
    this.perSentence = perSentence;
    this.client = client;
    this.settings = settings;
    this.request = request;
    this.warnings = List.copyOf(warnings);
    this.parser = new SseParser(settings.maxFrameBytes());
  }

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    this.out = new AudioOutput(s.format());
    s.attribute("transport", "sse");
    warnings.forEach(s::warn);
    s.connected(false); // a connection is made per request; nothing to set up in advance
  }

  @Override
  public void text(String t) {
    synchronized (this) {
      if (ended) {
        return;
      }
      if (perSentence) {
        queue.addAll(segmenter.push(t));
      } else {
        untilFlush.append(t);
      }
    }
    pump();
  }

  @Override
  public void flush() {
    synchronized (this) {
      if (ended) {
        return;
      }
      queue.addAll(takeRest());
    }
    pump();
  }

  @Override
  public void finish() {
    synchronized (this) {
      if (ended) {
        return;
      }
      queue.addAll(takeRest());
      finishRequested = true;
    }
    pump();
    maybeComplete();
  }

  @Override
  public void cancel() {
    Flow.Subscription sub;
    CompletableFuture<?> c;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      sub = subscription;
      c = call;
      subscription = null;
      call = null;
    }
    if (sub != null) {
      sub.cancel();
    }
    if (c != null) {
      c.cancel(true);
    }
  }

  // called with this held
  private List<String> takeRest() {
    if (perSentence) {
      return segmenter.flush();
    }
    String all = untilFlush.toString();
    untilFlush.setLength(0);
    return all.isBlank() ? List.of() : List.of(all.strip());
  }

  private void pump() {
    String next;
    int n;
    synchronized (this) {
      if (ended || inFlight || queue.isEmpty()) {
        return;
      }
      inFlight = true;
      next = queue.poll();
      n = ++requests;
    }
    send(next, n);
  }

  private void maybeComplete() {
    synchronized (this) {
      if (ended || inFlight || !queue.isEmpty() || !finishRequested) {
        return;
      }
      ended = true;
    }
    if (out.hasDanglingByte()) {
      sink.warn("the audio ended with an odd number of bytes (half a sample)");
    }
    sink.audio(out.finish());
    sink.attribute("requests", Integer.toString(requestsSent()));
    sink.complete();
  }

  private synchronized int requestsSent() {
    return requests;
  }

  private void requestDone() {
    synchronized (this) {
      inFlight = false;
      subscription = null;
      call = null;
    }
    pump();
    maybeComplete();
  }

  private void fail(VoicebridgeException e) {
    Flow.Subscription sub;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      sub = subscription;
      subscription = null;
      call = null;
    }
    if (sub != null) {
      sub.cancel();
    }
    sink.fail(e);
  }

  private void send(String text, int n) {
    HttpRequest req =
        HttpRequest.newBuilder(settings.sseUri())
            .header("Authorization", "Bearer " + settings.apiKey().reveal())
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    SmallestCodec.sseBody(request, text), StandardCharsets.UTF_8))
            .build();
    // A 200 is read as it arrives by the EventSubscriber, on the client's executor. An error
    // status is mapped once the future completes, as before, with its body read only up to
    // MAX_ERROR_BODY. Mapping it in the subscriber instead would end the session before the JDK has
    // seen whether the server closed the connection after the error, and the next request could go
    // out on that dead pooled connection. A body that breaks before it ends fails the future (a
    // transport failure).
    CompletableFuture<HttpResponse<String>> f;
    try {
      f =
          client
              .get()
              .sendAsync(
                  req,
                  info ->
                      info.statusCode() == 200
                          ? new EventSubscriber()
                          : HttpResponse.BodySubscribers.mapping(
                              new CappedBody(MAX_ERROR_BODY, false),
                              b -> new String(b, StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      fail(new TransportException(SmallestCodec.PROVIDER, "sending the SSE request: " + e, e));
      return;
    }
    synchronized (this) {
      if (ended) {
        f.cancel(true);
        return;
      }
      if (inFlight && requests == n) {
        call = f; // unless this response was already read and the next request sent
      }
    }
    f.whenComplete(
        (response, error) -> {
          if (error != null) {
            fail(
                SmallestErrors.forTransport(
                    "POST " + settings.sseUri(), error, settings.connectTimeout()));
          } else if (response.statusCode() != 200) {
            fail(
                SmallestErrors.forHttp(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("retry-after").orElse(null)));
          }
          // 200: the EventSubscriber drives the rest
        });
  }

  /** Reads one request's event stream with back pressure. */
  private final class EventSubscriber implements HttpResponse.BodySubscriber<String> {
    private final SseParser.Handler handler = this::handle;
    private Flow.Subscription sub;
    private boolean done;
    private boolean stopped;

    @Override
    public CompletionStage<String> getBody() {
      return CompletableFuture.completedFuture(null); // the response completes on its headers
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      sub = s;
      parser.reset(); // the previous request's stream is over (requests are sequential)
      boolean cancelled;
      synchronized (SseSessionBackend.this) {
        cancelled = ended;
        if (!cancelled) {
          subscription = s;
        }
      }
      if (cancelled) {
        s.cancel();
        return;
      }
      sink.whenReady(() -> s.request(1));
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (stopped || done) {
        return;
      }
      try {
        for (ByteBuffer b : items) {
          if (!parser.feed(b, handler)) {
            break; // stopped, or done
          }
        }
        if (stopped) {
          return;
        }
      } catch (ProtocolException e) {
        stopped = true;
        fail(e);
        return;
      }
      if (done) {
        sub.request(Long.MAX_VALUE); // drain whatever follows 'done' without looking at it
      } else {
        sink.whenReady(() -> sub.request(1));
      }
    }

    /** One event; its data is valid only during the call. Returns whether to read on. */
    private boolean handle(String event, byte[] data, int off, int len, String id) {
      if (done || stopped) {
        return false;
      }
      SmallestCodec.SseFrame f = SmallestCodec.decodeSse(event, data, off, len);
      if (f instanceof SmallestCodec.SseError err) {
        stopped = true;
        fail(
            err.status() > 0
                ? ProviderErrors.forStatus(
                    SmallestCodec.PROVIDER, err.status(), err.code(), err.message(), null)
                : SmallestErrors.forErrorFrame(err.message(), err.code()));
        return false;
      }
      SmallestCodec.SseData d = (SmallestCodec.SseData) f;
      if (d.audio() != null) {
        sink.audio(out.accept(d.audio()));
      }
      if (d.done()) {
        done = true;
        requestDone();
      }
      return !done && !stopped;
    }

    @Override
    public void onError(Throwable t) {
      if (stopped || done) {
        return;
      }
      stopped = true;
      fail(
          new TransportException(
              SmallestCodec.PROVIDER,
              "the SSE stream broke before 'done': " + SmallestErrors.unwrap(t),
              t));
    }

    @Override
    public void onComplete() {
      if (stopped || done) {
        return;
      }
      try {
        parser.finish(handler);
        if (stopped) {
          return;
        }
      } catch (ProtocolException e) {
        stopped = true;
        fail(e);
        return;
      }
      if (!done) {
        stopped = true;
        fail(
            new TransportException(
                SmallestCodec.PROVIDER, "the SSE stream ended without 'done: true'"));
      }
    }
  }
}
