package dev.voicebridge.emulator.fish;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.FaultFrames;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.emulator.internal.WireFaults;
import dev.voicebridge.spi.conformance.Fault;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /v1/tts}: a JSON or MessagePack {@code TTSRequest} in, the audio out as a chunked
 * body written frame by frame as it is "generated" (paced by the latency profile). Runs on a Jetty
 * thread and blocks it while pacing (one thread per streaming request).
 */
final class FishHttp extends Handler.Abstract {
  private final FishEmulator emulator;

  FishHttp(FishEmulator emulator) {
    super(InvocationType.BLOCKING);
    this.emulator = emulator;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (FishEmulator.LIVE_PATH.equals(path)) {
      json(response, callback, 400, FishEmulator.errorBody(400, "WebSocket upgrade required"));
      return true;
    }
    if (FishModels.PATH.equals(path) && "GET".equals(request.getMethod())) {
      FishModels.answer(emulator, request, response, callback);
      return true;
    }
    if (!FishEmulator.TTS_PATH.equals(path)) {
      json(response, callback, 404, FishEmulator.errorBody(404, "Not Found"));
      return true;
    }
    if (!"POST".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      json(response, callback, 405, FishEmulator.errorBody(405, "Method Not Allowed"));
      return true;
    }
    tts(request, response, callback);
    return true;
  }

  private void tts(Request request, Response response, Callback callback) throws IOException {
    int connection = emulator.server().connectionId(request);
    // the body first: every answer reads it, and a slow answer must not leave it unread
    ByteBuffer buffer = Content.Source.asByteBuffer(request);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    String credential = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    FaultPlan plan = FaultPlan.take(emulator.control(), credential);
    if (plan.answerHandshake(request, response, callback, FishHttp::refuse)) {
      return;
    }
    Object[] auth = emulator.authProblem(credential);
    if (auth != null) {
      json(
          response,
          callback,
          (Integer) auth[0],
          FishEmulator.errorBody((Integer) auth[0], (String) auth[1]));
      return;
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String mime =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    boolean msgpack = mime.equals("application/msgpack") || mime.equals("application/x-msgpack");
    if (!msgpack && !mime.equals("application/json")) {
      json(
          response,
          callback,
          415,
          FishEmulator.errorBody(
              415, "Unsupported Content-Type; use application/json or application/msgpack"));
      return;
    }
    Object body;
    try {
      body = msgpack ? FishCodec.unpack(bytes) : FishEmulator.JSON.readValue(bytes, Object.class);
    } catch (FishCodec.MalformedException | JsonProcessingException e) {
      String what = msgpack ? "MessagePack" : "JSON";
      text(response, callback, 400, "Failed to parse the request body as " + what);
      return;
    }
    SessionRecorder recorder =
        emulator.control().newSession(connection, FishEmulator.headers(request.getHeaders()));
    recorder.note("model", FishEmulator.effectiveModel(request.getHeaders().get("model")));
    recorder.frame(FishCodec.render(body));
    FishRequest tts = FishRequest.parse(body, true);
    if (tts.text != null) {
      recorder.text(tts.text);
    }
    recorder.finished();
    if (!tts.schemaErrors.isEmpty()) {
      json(response, callback, 422, FishEmulator.JSON.writeValueAsBytes(tts.schemaErrors));
      return;
    }
    if (tts.semanticError != null) {
      json(response, callback, 400, FishEmulator.errorBody(400, tts.semanticError));
      return;
    }
    if (tts.text.isBlank()) {
      json(response, callback, 400, FishEmulator.errorBody(400, "Text is empty"));
      return;
    }
    stream(tts, recorder, plan, request, response, callback);
  }

  /** The vendor's refusal of an injected handshake fault ({@link Refusal}). */
  private static void refuse(
      Response response, Callback callback, int status, Duration retryAfter, String detail) {
    if (retryAfter != null) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
    }
    json(
        response,
        callback,
        status,
        FishEmulator.errorBody(status, FishEmulator.statusMessage(status, detail)));
  }

  private void stream(
      FishRequest tts,
      SessionRecorder recorder,
      FaultPlan plan,
      Request request,
      Response response,
      Callback callback) {
    AudioFormat format = tts.audioFormat();
    FishAudio audio = new FishAudio(format, tts.mp3Bitrate, emulator.config().frameMillis());
    TextBuffer buffer = new TextBuffer(tts.chunkLength, tts.minChunkLength);
    List<String> chunks = new ArrayList<>(buffer.append(tts.text));
    chunks.add(buffer.drain());
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, format(tts));
    if (plan.closeAfterCompletion()) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    Pacer.Timeline timeline = emulator.pacer().timeline();
    Frames frames = new Frames(request, response, callback);
    boolean firstOfRequest = true;
    Duration previous = Duration.ZERO;
    try {
      for (String chunk : chunks) {
        String t = chunk.strip();
        if (t.isEmpty()) {
          continue;
        }
        byte[] pcm = emulator.config().voice().synthesize(t, format.sampleRate());
        for (FishAudio.Frame f : audio.frames(pcm)) {
          Duration delay =
              timeline.delay(
                  firstOfRequest
                      ? emulator.firstAudio(tts.latency)
                      : emulator.config().profile().wallTimeOf(previous));
          firstOfRequest = false;
          previous = f.audio();
          pause(delay);
          frames.next = f.payload();
          if (!plan.beforeAudio(frames)) {
            return;
          }
          emulator.config().audioTap().writing("fish", f.payload());
          write(response, false, f.payload());
          recorder.audioSent(f.payload());
          plan.audioSent();
          frames.last = f.payload();
        }
      }
      if (!plan.beforeCompletion(frames)) {
        return;
      }
      recorder.completed(); // before the terminating chunk, so a client that has it sees it
      write(response, true, new byte[0]);
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
    }
  }

  /**
   * Fish's HTTP side of the fault engine: a chunked audio body has no error frame or frame types,
   * so an error aborts the body (or, before any audio, is an error response), and malformed,
   * oversize and wrong-type frames are not expressible.
   */
  private final class Frames implements FaultFrames {
    private final Request request;
    private final Response response;
    private final Callback callback;
    byte[] next = new byte[0];
    byte[] last = new byte[0];

    Frames(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      if (detail != null && !response.isCommitted()) {
        int status = kind == Fault.ErrorKind.AUTHENTICATION ? 401 : 500;
        json(
            response,
            callback,
            status,
            FishEmulator.errorBody(status, FishEmulator.errorFrameMessage(kind, detail)));
        return;
      }
      // No error frame exists in a chunked body: abort it (no terminating chunk).
      callback.failed(new IOException(Fault.MESSAGE));
    }

    @Override
    public void disconnect(boolean abrupt) {
      if (!response.isCommitted()) {
        // commit the 200 and its chunked headers first: a disconnect is a cut body, not an error
        try {
          write(response, false, new byte[0]);
        } catch (IOException e) {
          callback.failed(e);
          return;
        }
      }
      callback.failed(new IOException(Fault.MESSAGE));
    }

    @Override
    public void stall() {
      // Stop writing and keep the request open (until the client leaves or the idle timeout).
      EmulatorServer.closeWhenClientLeaves(EmulatorServer.endPoint(request));
    }

    @Override
    public boolean truncatedFrame() {
      WireFaults.truncateHttp(
          response,
          callback,
          EmulatorServer.endPoint(request),
          WireFaults.partialChunk(
              next.length > 0 ? next : new byte[WireFaults.TRUNCATED_WRITTEN], last.length > 0),
          emulator.pacer().executor());
      return true;
    }

    @Override
    public boolean endlessAudio() {
      byte[] frame = last.length > 0 ? last : new byte[640];
      WireFaults.repeat(
              emulator.pacer().executor(),
              () -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                emulator.config().audioTap().writing("fish", frame);
                response.write(
                    false,
                    ByteBuffer.wrap(frame),
                    Callback.from(() -> f.complete(null), f::completeExceptionally));
                return f;
              })
          .whenComplete((v, x) -> callback.failed(x != null ? x : new IOException("stopped")));
      return true;
    }
  }

  private static String format(FishRequest tts) {
    return tts.contentType();
  }

  private static void pause(Duration delay) throws InterruptedIOException {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  private static void write(Response response, boolean last, byte[] bytes) throws IOException {
    Callback.Completable done = new Callback.Completable();
    response.write(last, ByteBuffer.wrap(bytes), done);
    try {
      done.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } catch (ExecutionException e) {
      throw new IOException("write failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("write timed out", e);
    }
  }

  private static void json(Response response, Callback callback, int status, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static void text(Response response, Callback callback, int status, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(b.length));
    response.write(true, ByteBuffer.wrap(b), callback);
  }
}
