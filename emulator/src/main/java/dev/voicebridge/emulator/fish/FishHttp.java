package dev.voicebridge.emulator.fish;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.spi.conformance.Fault;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    Fault fault = emulator.control().takeFault();
    if (fault instanceof Fault.HandshakeStatus hs) {
      if (hs.retryAfter() != null) {
        response
            .getHeaders()
            .put(HttpHeader.RETRY_AFTER, Long.toString(hs.retryAfter().toSeconds()));
      }
      Content.Source.consumeAll(request);
      json(
          response,
          callback,
          hs.status(),
          FishEmulator.errorBody(hs.status(), FishEmulator.statusMessage(hs.status())));
      return;
    }
    Object[] auth = emulator.authProblem(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (auth != null) {
      Content.Source.consumeAll(request);
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
      Content.Source.consumeAll(request);
      json(
          response,
          callback,
          415,
          FishEmulator.errorBody(
              415, "Unsupported Content-Type; use application/json or application/msgpack"));
      return;
    }
    ByteBuffer buffer = Content.Source.asByteBuffer(request);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
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
    stream(tts, recorder, fault, request, response, callback);
  }

  private void stream(
      FishRequest tts,
      SessionRecorder recorder,
      Fault fault,
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
    if (fault instanceof Fault.CloseAfterCompletion) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    Pacer.Timeline timeline = emulator.pacer().timeline();
    int after = FishSocket.afterChunks(fault);
    int sent = 0;
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
          if (after >= 0 && sent >= after && applyFault(fault, callback, request, response, sent)) {
            return;
          }
          emulator.config().audioTap().writing("fish", f.payload());
          write(response, false, f.payload());
          recorder.audioSent(f.payload());
          sent++;
        }
      }
      if (after >= 0 && applyFault(fault, callback, request, response, sent)) {
        return;
      }
      recorder.completed(); // before the terminating chunk, so a client that has it sees it
      write(response, true, new byte[0]);
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
    }
  }

  /** Applies a mid-stream fault; returns true if the response must not go on. */
  private static boolean applyFault(
      Fault fault, Callback callback, Request request, Response response, int sent)
      throws IOException {
    if (fault instanceof Fault.Disconnect && sent == 0) {
      // commit the 200 and its chunked headers first: a disconnect is a cut body, not an error page
      write(response, false, new byte[0]);
    }
    if (fault instanceof Fault.ErrorFrame || fault instanceof Fault.Disconnect) {
      // No error frame exists in a chunked body: abort it (no terminating chunk).
      callback.failed(new IOException(Fault.MESSAGE));
      return true;
    }
    if (fault instanceof Fault.Stall) {
      // Stop writing and keep the request open (until the client leaves or the idle timeout).
      EmulatorServer.closeWhenClientLeaves(EmulatorServer.endPoint(request));
      return true;
    }
    return false; // MalformedFrame, OversizeFrame, WrongFrameType: WebSocket only, ignored here
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
