package dev.voicebridge.emulator.deepgram;

import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.FaultFrames;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.emulator.internal.WireFaults;
import dev.voicebridge.spi.conformance.Fault;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One REST {@code POST /v1/speak} answer: the audio as a chunked body, written piece by piece
 * (about {@link EmulatorConfig#frameMillis()} of audio each) on the pacer's threads, each write
 * after the previous one completed, paced by the latency profile. The response headers go out with
 * the first piece, so a fault before any audio can still answer with an error status.
 */
final class RestStream {
  private final DeepgramEmulator emulator;
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final SpeakRequest speak;
  private final String text;
  private final String requestId;
  private final SessionRecorder recorder;
  private final FaultPlan plan;
  private final Pacer.Timeline timeline;
  private final List<byte[]> pieces = new ArrayList<>();
  private final List<Duration> durations = new ArrayList<>();
  private final Frames frames = new Frames();
  private final AtomicBoolean released = new AtomicBoolean();
  private int index;
  private boolean headersSet;

  RestStream(
      DeepgramEmulator emulator,
      Request request,
      Response response,
      Callback callback,
      SpeakRequest speak,
      String text,
      String requestId,
      SessionRecorder recorder,
      FaultPlan plan) {
    this.emulator = emulator;
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.speak = speak;
    this.text = text;
    this.requestId = requestId;
    this.recorder = recorder;
    this.plan = plan;
    this.timeline = emulator.pacer().timeline();
  }

  /** Synthesizes the text and starts writing after the first-audio delay. */
  void start() {
    try {
      EmulatorConfig config = emulator.config();
      byte[] pcm = config.voice().synthesize(text.strip(), speak.voiceRate());
      AudioEncoder encoder = speak.encoder();
      int frameBytes = Math.max(2, speak.sampleRate * config.frameMillis() / 1000 * 2);
      Duration pending = Duration.ZERO;
      for (int off = 0; off < pcm.length; off += frameBytes) {
        int end = Math.min(pcm.length, off + frameBytes);
        byte[] bytes = encoder.encode(Arrays.copyOfRange(pcm, off, end));
        if (end == pcm.length) {
          bytes = concat(bytes, encoder.finish());
        }
        pending = pending.plusNanos((end - off) * 500_000_000L / speak.sampleRate);
        if (bytes.length > 0) {
          pieces.add(bytes);
          durations.add(pending);
          pending = Duration.ZERO;
        }
      }
      if (speak.wav()) {
        if (pieces.isEmpty()) {
          pieces.add(new byte[0]);
          durations.add(Duration.ZERO);
        }
        pieces.set(0, concat(speak.wavHeader(), pieces.get(0)));
      }
    } catch (RuntimeException e) {
      release();
      DeepgramHttp.refuse(
          response,
          callback,
          500,
          "INTERNAL_SERVER_ERROR",
          "Internal server error.",
          requestId,
          false,
          null);
      return;
    }
    schedule(timeline.delay(emulator.pacer().profile().firstAudio()), this::step);
  }

  private void step() {
    if (index < pieces.size()) {
      byte[] piece = pieces.get(index);
      frames.next = piece;
      if (!plan.beforeAudio(frames)) {
        return;
      }
      index++;
      commitHeaders();
      recorder.audioSent(piece);
      plan.audioSent();
      emulator.config().audioTap().writing("deepgram", piece);
      Duration next =
          index < pieces.size()
              ? timeline.delay(emulator.pacer().profile().wallTimeOf(durations.get(index - 1)))
              : Duration.ZERO;
      response.write(
          false,
          ByteBuffer.wrap(piece),
          Callback.from(() -> schedule(next, this::step), this::failed));
      return;
    }
    if (!plan.beforeCompletion(frames)) {
      return;
    }
    commitHeaders();
    recorder.completed(); // before the last chunk, so a client that has it sees it
    release(); // likewise: a client that has the whole body may send its next request at once
    response.write(true, BufferUtil.EMPTY_BUFFER, Callback.from(callback::succeeded, this::failed));
  }

  /** The 200 and Deepgram's headers, set just before the first write. */
  private void commitHeaders() {
    if (headersSet) {
      return;
    }
    headersSet = true;
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, speak.contentType());
    response.getHeaders().put("dg-model-name", speak.model);
    response.getHeaders().put("dg-model-uuid", Wire.modelUuid(speak.model));
    response
        .getHeaders()
        .put("dg-char-count", Integer.toString(text.codePointCount(0, text.length())));
    response.getHeaders().put("dg-request-id", requestId);
    if (plan.closeAfterCompletion()) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
  }

  private void failed(Throwable x) {
    release();
    callback.failed(x);
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      emulator.releaseRequest();
    }
  }

  private void schedule(Duration delay, Runnable task) {
    try {
      emulator
          .pacer()
          .executor()
          .schedule(
              () -> {
                try {
                  task.run();
                } catch (RuntimeException e) {
                  failed(e);
                }
              },
              Math.max(0, delay.toNanos()),
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      failed(e); // the emulator is stopping
    }
  }

  private EndPoint endPoint() {
    return EmulatorServer.endPoint(request);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (b.length == 0) {
      return a;
    }
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The REST side of the fault engine. A raw audio body has no error frames and no frame types:
   * before the first byte an error is an error status; after it, the body is cut. Malformed,
   * oversize and wrongly typed frames and endless frames cannot be expressed.
   */
  private final class Frames implements FaultFrames {
    byte[] next = new byte[0];

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      if (index > 0) {
        failed(new IOException(Fault.MESSAGE)); // the body ends without its last chunk
        return;
      }
      int status =
          switch (kind) {
            case SERVER -> 500;
            case AUTHENTICATION -> 401;
            case QUOTA -> 402;
            case RATE_LIMIT -> 429;
            case INVALID_REQUEST -> 400;
          };
      String[] r = Wire.refusal(status, false);
      String message =
          detail == null ? r[1] + " (" + Fault.MESSAGE + ")" : r[1] + " Credentials: " + detail;
      DeepgramHttp.refuse(
          response,
          Callback.from(
              () -> {
                release();
                callback.succeeded();
              },
              RestStream.this::failed),
          status,
          r[0],
          message,
          requestId,
          false,
          null);
    }

    @Override
    public void disconnect(boolean abrupt) {
      commitHeaders();
      response.write(
          false,
          BufferUtil.EMPTY_BUFFER,
          Callback.from(
              () -> {
                if (abrupt) {
                  WireFaults.reset(endPoint());
                }
                failed(new IOException(Fault.MESSAGE));
              },
              RestStream.this::failed));
    }

    @Override
    public void stall() {
      release();
      EmulatorServer.closeWhenClientLeaves(endPoint());
    }

    @Override
    public boolean truncatedFrame() {
      commitHeaders();
      release();
      byte[] payload = next.length >= WireFaults.TRUNCATED_WRITTEN ? next : silence(640);
      WireFaults.truncateHttp(
          response,
          callback,
          endPoint(),
          WireFaults.partialChunk(payload, index > 0),
          emulator.pacer().executor());
      return true;
    }

    @Override
    public boolean endlessAudio() {
      commitHeaders();
      byte[] last = pieces.isEmpty() ? new byte[0] : pieces.get(pieces.size() - 1);
      byte[] unit = last.length == 0 || (speak.wav() && pieces.size() == 1) ? silence(3200) : last;
      WireFaults.repeat(
              emulator.pacer().executor(),
              () -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                emulator.config().audioTap().writing("deepgram", unit);
                response.write(
                    false,
                    ByteBuffer.wrap(unit),
                    Callback.from(() -> f.complete(null), f::completeExceptionally));
                return f;
              })
          .whenComplete((v, x) -> failed(x != null ? x : new IOException("stopped")));
      return true;
    }

    private byte[] silence(int n) {
      byte[] b = new byte[n];
      Arrays.fill(b, speak.silence());
      return b;
    }
  }
}
