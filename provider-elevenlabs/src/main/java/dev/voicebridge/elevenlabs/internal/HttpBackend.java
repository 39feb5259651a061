package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.internal.CappedBody;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.text.SentenceSegmenter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A session over HTTP {@code /stream} (audio streamed as it arrives) or {@code
 * /stream/with-timestamps} (newline-delimited JSON with seconds-based alignment). Tokens go through
 * the sentence segmenter; each segment is one request, sent in order, one at a time. The response
 * body is read with back pressure: the next buffer is requested only when the session has room.
 */
final class HttpBackend implements SessionBackend {
  private static final int MAX_ERROR_BODY = 64 << 10;

  private final ElevenLabsSynthesizer owner;
  private final Plan plan;
  private final boolean timestamps;
  private final SentenceSegmenter segmenter =
      SentenceSegmenter.builder().firstSegmentMinChars(30).maxSegmentChars(400).build();
  private final AudioTimeline timeline;
  private final URI uri;
  private final Duration requestTimeout;
  private final StringBuilder unsegmented = new StringBuilder(); // this, when !httpSentences

  private SynthesisSink sink;
  private final Deque<String> queue = new ArrayDeque<>(); // this
  private boolean finished; // this
  private boolean done; // this
  private boolean inFlight; // this
  private boolean connectedReported; // this
  private String previousText; // this
  private Flow.Subscription current; // this
  private CompletableFuture<?> call; // this: the request in flight, until its response arrives

  HttpBackend(ElevenLabsSynthesizer owner, Plan plan) {
    this.owner = owner;
    this.plan = plan;
    this.timestamps = Transport.HTTP_TIMESTAMPS.equals(plan.transport());
    this.timeline = new AudioTimeline(plan.format(), plan.normalizedAlignment());
    this.uri = plan.httpUri(owner.settings().baseUrl());
    this.requestTimeout =
        owner.settings().responseTimeout().plus(owner.settings().connectTimeout());
  }

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    s.attribute("transport", "http");
    s.attribute("endpoint", timestamps ? "stream/with-timestamps" : "stream");
    s.attribute("output_format", plan.outputFormat());
    plan.warnings().forEach(s::warn);
  }

  @Override
  public void text(String text) {
    List<String> segments;
    synchronized (this) {
      if (plan.httpSentences()) {
        segments = segmenter.push(text);
        queue.addAll(segments);
      } else {
        unsegmented.append(text);
      }
    }
    pump();
  }

  @Override
  public void flush() {
    synchronized (this) {
      takeAll();
    }
    pump();
  }

  @Override
  public void finish() {
    synchronized (this) {
      takeAll();
      finished = true;
    }
    pump();
  }

  private void takeAll() {
    // called with this held
    if (plan.httpSentences()) {
      queue.addAll(segmenter.flush());
    } else {
      String all = unsegmented.toString().strip();
      unsegmented.setLength(0);
      if (!all.isEmpty()) {
        queue.add(all);
      }
    }
  }

  @Override
  public void cancel() {
    Flow.Subscription s;
    CompletableFuture<?> c;
    synchronized (this) {
      done = true;
      queue.clear();
      s = current;
      current = null;
      c = call;
      call = null;
    }
    abort(s, c);
  }

  /**
   * Stops the body being read, or the request still waiting for its response: since JDK 16, {@code
   * cancel(true)} on the future sendAsync returned aborts the exchange (without it, a cancel before
   * the response headers would only be noticed once they arrived, the connection held meanwhile).
   */
  private static void abort(Flow.Subscription s, CompletableFuture<?> c) {
    if (s != null) {
      s.cancel();
    }
    if (c != null) {
      c.cancel(true);
    }
  }

  private void pump() {
    String segment = null;
    String previous = null;
    boolean complete = false;
    synchronized (this) {
      if (done || inFlight) {
        return;
      }
      segment = queue.poll();
      if (segment == null) {
        if (!finished) {
          return;
        }
        done = true;
        complete = true;
      } else {
        inFlight = true;
        previous = previousText;
        previousText = segment;
      }
    }
    if (complete) {
      sink.complete();
      return;
    }
    send(segment, previous);
  }

  private void send(String segment, String previous) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(uri)
              .timeout(requestTimeout)
              .header("xi-api-key", owner.settings().apiKey().reveal())
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      WireCodec.httpBody(plan, segment, previous), StandardCharsets.UTF_8))
              .build();
    } catch (IllegalArgumentException e) {
      // never quote the JDK's message: it contains the header value, i.e. the key
      fail(
          new TransportException(
              ElevenLabsSynthesizer.NAME,
              "POST " + uri.getPath() + ": a header value was refused"));
      return;
    }
    // The body handler runs as soon as the status line and headers are in, on the client's
    // executor, and the audio subscriber receives the body as it arrives. The first audio does not
    // wait for the future sendAsync returns: on a machine with fewer than three cores the JDK
    // completes it through a new thread per request (CompletableFuture's default executor). That
    // future reports failures before a response, and an error status once its body is read (at
    // most MAX_ERROR_BODY). The error is mapped there, not in the subscriber: mapping it on the
    // client's thread would end the session before the JDK has seen whether the server closed the
    // connection after the error, and the next session could go out on that dead pooled connection
    // ("header parser received no bytes"); an error has no first audio to speed up.
    CompletableFuture<HttpResponse<String>> f;
    try {
      f = owner.httpClient().sendAsync(request, this::onResponse);
    } catch (RuntimeException e) {
      // the synthesizer was closed meanwhile (IllegalStateException), or the client refused the
      // request: this may run on the client's thread, where a throw would leave the session hanging
      fail(
          new TransportException(
              ElevenLabsSynthesizer.NAME, "cannot send POST " + uri.getPath() + ": " + e, e));
      return;
    }
    synchronized (this) {
      if (done) {
        f.cancel(true); // cancelled (or failed) while the request was being sent
        return;
      }
      call = f;
    }
    f.whenComplete(
        (response, t) -> {
          synchronized (this) {
            if (call == f) {
              call = null;
            }
            if (done) {
              return; // cancelled or failed already: a CancellationException is ours
            }
          }
          if (t != null) {
            fail(ErrorMapper.fromConnectFailure(t));
          } else if (!isSuccess(response.statusCode())) {
            fail(ErrorMapper.fromHttp(response.statusCode(), response.headers(), response.body()));
          }
        });
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status <= 299;
  }

  /** Picks the subscriber for one response once its status and headers are in. */
  private HttpResponse.BodySubscriber<String> onResponse(HttpResponse.ResponseInfo info) {
    if (!isSuccess(info.statusCode())) {
      return HttpResponse.BodySubscribers.mapping(
          new CappedBody(MAX_ERROR_BODY, true), b -> new String(b, StandardCharsets.UTF_8));
    }
    boolean report;
    synchronized (this) {
      report = !connectedReported;
      connectedReported = true;
    }
    if (report) {
      sink.connected(false);
    }
    timeline.beginRequest();
    return new BodyReader();
  }

  private void fail(VoicebridgeException e) {
    Flow.Subscription s;
    CompletableFuture<?> c;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      queue.clear();
      s = current;
      current = null;
      c = call;
      call = null;
    }
    sink.fail(e);
    abort(s, c);
  }

  private synchronized boolean isDone() {
    return done;
  }

  /** Reads one response body: audio bytes, or with-timestamps lines. */
  private final class BodyReader implements HttpResponse.BodySubscriber<String> {
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private final int maxLine = owner.settings().maxFrameBytes();
    private byte[] line = new byte[Math.min(16 << 10, maxLine)]; // with-timestamps only
    private int lineLength;

    /**
     * Completes once subscribed, as {@code BodyHandlers.ofPublisher()} did: the future sendAsync
     * returns says only that the response arrived; the body's end and failures come here.
     */
    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      body.complete(null);
      boolean cancel;
      synchronized (HttpBackend.this) {
        cancel = done;
        if (!cancel) {
          current = s;
        }
      }
      if (cancel) {
        s.cancel();
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (isDone()) {
        return;
      }
      try {
        for (ByteBuffer b : buffers) {
          if (timestamps) {
            readLines(b);
          } else if (b.hasRemaining()) {
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            timeline.requestChunk(copy, null);
            sink.audio(ByteBuffer.wrap(copy));
          }
        }
      } catch (VoicebridgeException e) {
        fail(e);
        return;
      }
      sink.whenReady(() -> subscription.request(1));
    }

    /** Appends {@code b} to the line, decoding each whole line; a line over the cap fails. */
    private void readLines(ByteBuffer b) {
      while (b.hasRemaining()) {
        int from = b.position();
        int limit = b.limit();
        int newline = -1;
        for (int i = from; i < limit; i++) {
          if (b.get(i) == '\n') {
            newline = i;
            break;
          }
        }
        int n = (newline < 0 ? limit : newline) - from;
        if (n > maxLine - lineLength) {
          throw new ProtocolException(
              ElevenLabsSynthesizer.NAME,
              "a with-timestamps line exceeds max-frame-bytes (" + maxLine + " bytes)");
        }
        if (lineLength + n > line.length) {
          line =
              Arrays.copyOf(
                  line, (int) Math.min(maxLine, Math.max(lineLength + n, 2L * line.length)));
        }
        b.get(line, lineLength, n);
        lineLength += n;
        if (newline < 0) {
          return;
        }
        b.get(); // the newline
        line();
      }
    }

    /** Decodes the line held (if not blank) and empties it. */
    private void line() {
      int from = 0;
      int to = lineLength;
      lineLength = 0;
      while (from < to && isSpace(line[from])) {
        from++;
      }
      while (to > from && isSpace(line[to - 1])) {
        to--;
      }
      if (from == to) {
        return;
      }
      WireCodec.TimestampChunk chunk = WireCodec.decodeTimestampLine(line, from, to);
      Alignment a = plan.normalizedAlignment() ? chunk.normalizedAlignment() : chunk.alignment();
      List<WordTiming> words = timeline.requestChunk(chunk.audio(), a);
      if (chunk.audio() != null) {
        sink.audio(ByteBuffer.wrap(chunk.audio()));
      }
      words.forEach(sink::wordTiming);
    }

    @Override
    public void onError(Throwable t) {
      fail(
          new TransportException(
              ElevenLabsSynthesizer.NAME, "the response body broke off: " + t, t));
    }

    @Override
    public void onComplete() {
      if (isDone()) {
        return;
      }
      try {
        if (timestamps && lineLength > 0) {
          line();
        }
      } catch (VoicebridgeException e) {
        fail(e);
        return;
      }
      timeline.end().forEach(sink::wordTiming);
      synchronized (HttpBackend.this) {
        inFlight = false;
        if (current == subscription) {
          current = null;
        }
      }
      pump();
    }
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0b;
  }
}
