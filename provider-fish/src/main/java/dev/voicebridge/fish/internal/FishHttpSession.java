package dev.voicebridge.fish.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.fish.FishOptions;
import dev.voicebridge.internal.CappedBody;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.text.SentenceSegmenter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * One session over HTTP {@code POST /v1/tts}: Fish's HTTP endpoint has no text buffering, so text
 * goes through the {@link SentenceSegmenter}; each segment is one request, run one after another,
 * and each response body is streamed to the sink as its chunks arrive (demand tied to {@code
 * whenReady}). For WAV, the header of every response after the first is dropped so the session is
 * one WAV stream.
 */
final class FishHttpSession implements SessionBackend {
  private static final int MAX_WAV_HEADER = 64 * 1024;

  /** The bytes of an error body read for its message; the rest is discarded unread. */
  static final int MAX_ERROR_BODY = 64 * 1024;

  private final Supplier<HttpClient> client;
  private final FishSettings settings;
  private final FishRequest request;
  private final Runnable onEnd;
  private final URI uri;
  private final SentenceSegmenter segmenter =
      SentenceSegmenter.builder()
          .firstSegmentMinChars(0)
          .maxSegmentChars(SentenceSegmenter.DEFAULT_MAX_SEGMENT_CHARS)
          .build();

  private final boolean perFlush;
  private final StringBuilder turn = new StringBuilder();
  private SynthesisSink sink;
  // guarded by this
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private boolean running;
  private boolean finished;
  private boolean done;
  private int requests;
  private CompletableFuture<?> call;
  private Flow.Subscription subscription;

  FishHttpSession(
      Supplier<HttpClient> client, FishSettings settings, FishRequest request, Runnable onEnd) {
    this.client = client;
    this.settings = settings;
    this.request = request;
    this.onEnd = onEnd;
    this.uri = settings.http("/v1/tts");
    this.perFlush = FishOptions.PER_FLUSH.equals(request.httpUnit());
  }

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    s.attribute("transport", "http");
    s.attribute("model", request.model());
    request.warnings().forEach(s::warn);
  }

  @Override
  public void text(String text) {
    if (perFlush) {
      turn.append(text);
    } else {
      enqueue(segmenter.push(text));
    }
  }

  @Override
  public void flush() {
    enqueue(takeTurn());
  }

  @Override
  public void finish() {
    List<String> rest = takeTurn();
    synchronized (this) {
      finished = true;
    }
    enqueue(rest);
  }

  private List<String> takeTurn() {
    if (!perFlush) {
      return segmenter.flush();
    }
    String t = turn.toString().strip();
    turn.setLength(0);
    return t.isEmpty() ? List.of() : List.of(t);
  }

  private void enqueue(List<String> segments) {
    synchronized (this) {
      if (done) {
        return;
      }
      pending.addAll(segments);
    }
    pump();
  }

  private void pump() {
    String next;
    int index = -1;
    synchronized (this) {
      if (done || running) {
        return;
      }
      next = pending.poll();
      if (next == null) {
        if (!finished) {
          return;
        }
        done = true;
      } else {
        running = true;
        index = requests++;
      }
    }
    if (next == null) {
      sink.attribute("http.requests", Integer.toString(requests));
      sink.complete();
      onEnd.run();
      return;
    }
    issue(next, index);
  }

  private void issue(String text, int index) {
    HttpRequest req;
    try {
      req =
          HttpRequest.newBuilder(uri)
              .header("Authorization", "Bearer " + settings.apiKey().reveal())
              .header("Content-Type", "application/msgpack")
              .header("model", request.model())
              .POST(HttpRequest.BodyPublishers.ofByteArray(FishCodec.pack(request.withText(text))))
              .build();
    } catch (IllegalArgumentException e) {
      // never quote the JDK's message: it contains the header value, i.e. the key
      end(
          new TransportException(
              FishCodec.PROVIDER, "POST " + uri + ": a header value was refused"));
      return;
    }
    // The body handler runs as soon as the status line and headers are in, on the client's
    // executor, and the audio subscriber receives the body as it arrives. The first audio does not
    // wait for the future sendAsync returns: on a machine with fewer than three cores the JDK
    // completes it through a new thread per request (CompletableFuture's default executor), a hop
    // the first audio would otherwise wait for. That future reports failures before a response, and
    // an error status once its body is read (at most MAX_ERROR_BODY). The error is mapped there,
    // not in the body subscriber: mapping it on the client's thread would end the session before
    // the JDK has seen whether the server closed the connection after the error, and the next
    // session could go out on that dead pooled connection ("header parser received no bytes"); an
    // error has no first audio to speed up. (The ElevenLabs adapter does the same.)
    HttpResponse.BodyHandler<byte[]> handler =
        info -> {
          if (index == 0) {
            sink.connected(false); // the JDK does not say whether it reused a connection
          }
          if (!isSuccess(info.statusCode())) {
            return new CappedBody(MAX_ERROR_BODY, true);
          }
          return new AudioSubscriber(index);
        };
    CompletableFuture<HttpResponse<byte[]>> f;
    try {
      HttpClient c = client.get();
      if (c == null) {
        end(new TransportException(FishCodec.PROVIDER, "the synthesizer is closed"));
        return;
      }
      f = c.sendAsync(req, handler);
    } catch (RuntimeException e) {
      end(new TransportException(FishCodec.PROVIDER, "cannot send to " + uri + ": " + e, e));
      return;
    }
    synchronized (this) {
      if (done) {
        f.cancel(true);
        return;
      }
      if (running && requests == index + 1) {
        call = f; // unless the whole response was already read and the next one started
      }
    }
    f.whenComplete(
        (response, error) -> {
          if (error != null) {
            end(failure(error)); // ignored if the session already ended (a cancel, for one)
          } else if (!isSuccess(response.statusCode())) {
            end(
                FishErrors.forStatus(
                    response.statusCode(),
                    response.headers(),
                    response.body(),
                    "POST /v1/tts",
                    settings.apiKey()));
          }
        });
  }

  private static boolean isSuccess(int status) {
    return status / 100 == 2;
  }

  private VoicebridgeException failure(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof VoicebridgeException v) {
      return v;
    }
    if (t instanceof HttpTimeoutException) {
      return new SynthesisTimeoutException(FishCodec.PROVIDER, "POST " + uri + " timed out: " + t);
    }
    return new TransportException(FishCodec.PROVIDER, "POST " + uri + " failed: " + t, t);
  }

  /** Streams one response body to the sink; its own body is always null. */
  private final class AudioSubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final boolean stripWavHeader;
    private ByteArrayOutputStream header;
    private Flow.Subscription sub;

    AudioSubscriber(int index) {
      this.stripWavHeader = index > 0 && request.format().encoding() == AudioFormat.Encoding.WAV;
      this.header = stripWavHeader ? new ByteArrayOutputStream() : null;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      boolean cancel;
      synchronized (FishHttpSession.this) {
        cancel = done;
        sub = s;
        subscription = s;
      }
      if (cancel) {
        s.cancel();
        body.complete(null);
        return;
      }
      sink.whenReady(() -> s.request(1));
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        if (!b.hasRemaining()) {
          continue;
        }
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        if (header != null) {
          header.writeBytes(copy);
          byte[] all = header.toByteArray();
          WavInfo info;
          try {
            info = Wav.read(all);
          } catch (IllegalArgumentException e) {
            if (all.length > MAX_WAV_HEADER) {
              sub.cancel();
              end(
                  new ProtocolException(
                      FishCodec.PROVIDER,
                      "no valid WAV header in the response: " + e.getMessage()));
              return;
            }
            continue;
          }
          header = null;
          int offset = info.dataOffset();
          if (offset < all.length) {
            sink.audio(ByteBuffer.wrap(all, offset, all.length - offset));
          }
          continue;
        }
        sink.audio(ByteBuffer.wrap(copy));
      }
      Flow.Subscription s = sub;
      sink.whenReady(() -> s.request(1));
    }

    @Override
    public void onError(Throwable t) {
      body.complete(null);
      end(
          new TransportException(
              FishCodec.PROVIDER,
              "the response body of POST /v1/tts ended without completing: " + t,
              t));
    }

    @Override
    public void onComplete() {
      body.complete(null);
      if (header != null && header.size() > 0) {
        end(new ProtocolException(FishCodec.PROVIDER, "the response ended inside its WAV header"));
        return;
      }
      synchronized (FishHttpSession.this) {
        running = false;
        call = null;
        subscription = null;
      }
      pump();
    }
  }

  @Override
  public void cancel() {
    CompletableFuture<?> c;
    Flow.Subscription s;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      c = call;
      s = subscription;
      call = null;
      subscription = null;
      pending.clear();
    }
    if (s != null) {
      s.cancel();
    }
    if (c != null) {
      c.cancel(true);
    }
    onEnd.run();
  }

  private void end(VoicebridgeException error) {
    Flow.Subscription s;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      s = subscription;
      call = null;
      subscription = null;
      pending.clear();
    }
    if (s != null) {
      s.cancel();
    }
    sink.fail(error);
    onEnd.run();
  }
}
