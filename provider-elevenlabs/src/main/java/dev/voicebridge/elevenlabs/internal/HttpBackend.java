package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.text.SentenceSegmenter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A session over HTTP {@code /stream} (audio streamed as it arrives) or {@code
 * /stream/with-timestamps} (newline-delimited JSON with seconds-based alignment). Tokens go through
 * the sentence segmenter; each segment is one request, sent in order, one at a time. The response
 * body is read with back pressure: the next buffer is requested only when the session has room.
 */
final class HttpBackend implements SessionBackend {
  private static final int MAX_ERROR_BODY = 64 << 10;
  private static final int MAX_LINE = JsonSocket.MAX_MESSAGE_CHARS;

  private final ElevenLabsSynthesizer owner;
  private final Plan plan;
  private final boolean timestamps;
  private final SentenceSegmenter segmenter =
      SentenceSegmenter.builder().firstSegmentMinChars(30).maxSegmentChars(400).build();
  private final AudioTimeline timeline;
  private final URI uri;
  private final StringBuilder unsegmented = new StringBuilder(); // this, when !httpSentences

  private SynthesisSink sink;
  private final Deque<String> queue = new ArrayDeque<>(); // this
  private boolean finished; // this
  private boolean done; // this
  private boolean inFlight; // this
  private boolean connectedReported; // this
  private String previousText; // this
  private Flow.Subscription current; // this

  HttpBackend(ElevenLabsSynthesizer owner, Plan plan) {
    this.owner = owner;
    this.plan = plan;
    this.timestamps = Transport.HTTP_TIMESTAMPS.equals(plan.transport());
    this.timeline = new AudioTimeline(plan.format(), plan.normalizedAlignment());
    this.uri = plan.httpUri(owner.settings().baseUrl());
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
    synchronized (this) {
      done = true;
      queue.clear();
      s = current;
      current = null;
    }
    if (s != null) {
      s.cancel();
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
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(owner.settings().responseTimeout().plus(owner.settings().connectTimeout()))
            .header("xi-api-key", owner.settings().apiKey().reveal())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    WireCodec.httpBody(plan, segment, previous), StandardCharsets.UTF_8))
            .build();
    owner
        .httpClient()
        .sendAsync(request, HttpResponse.BodyHandlers.ofPublisher())
        .whenComplete(
            (response, t) -> {
              if (t != null) {
                fail(ErrorMapper.fromConnectFailure(t));
              } else {
                onResponse(response);
              }
            });
  }

  private void onResponse(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      collect(response.body())
          .whenComplete((body, t) -> fail(ErrorMapper.fromHttp(status, response.headers(), body)));
      return;
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
    response.body().subscribe(new BodyReader());
  }

  private void fail(VoicebridgeException e) {
    Flow.Subscription s;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      queue.clear();
      s = current;
      current = null;
    }
    sink.fail(e);
    if (s != null) {
      s.cancel();
    }
  }

  private synchronized boolean isDone() {
    return done;
  }

  /** Reads one response body: audio bytes, or with-timestamps lines. */
  private final class BodyReader implements Flow.Subscriber<List<ByteBuffer>> {
    private Flow.Subscription subscription;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
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

    private void readLines(ByteBuffer b) {
      while (b.hasRemaining()) {
        byte c = b.get();
        if (c == '\n') {
          line(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          if (line.size() >= MAX_LINE) {
            throw new ProtocolException(
                ElevenLabsSynthesizer.NAME,
                "a with-timestamps line exceeds " + MAX_LINE + " bytes");
          }
          line.write(c);
        }
      }
    }

    private void line(String text) {
      if (text.isBlank()) {
        return;
      }
      WireCodec.TimestampChunk chunk = WireCodec.decodeTimestampLine(text.strip());
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
        if (timestamps && line.size() > 0) {
          line(line.toString(StandardCharsets.UTF_8));
          line.reset();
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

  /** Reads an error body, at most 64 KiB. */
  private static CompletableFuture<String> collect(Flow.Publisher<List<ByteBuffer>> body) {
    CompletableFuture<String> out = new CompletableFuture<>();
    body.subscribe(
        new Flow.Subscriber<>() {
          private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          private Flow.Subscription s;

          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            s = subscription;
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(List<ByteBuffer> item) {
            for (ByteBuffer b : item) {
              while (b.hasRemaining() && bytes.size() < MAX_ERROR_BODY) {
                bytes.write(b.get());
              }
            }
            if (bytes.size() >= MAX_ERROR_BODY) {
              s.cancel();
              out.complete(bytes.toString(StandardCharsets.UTF_8));
            }
          }

          @Override
          public void onError(Throwable t) {
            out.complete(bytes.toString(StandardCharsets.UTF_8));
          }

          @Override
          public void onComplete() {
            out.complete(bytes.toString(StandardCharsets.UTF_8));
          }
        });
    return out;
  }
}
