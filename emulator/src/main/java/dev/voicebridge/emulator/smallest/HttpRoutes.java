package dev.voicebridge.emulator.smallest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.AudioTap;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;

/**
 * The HTTP side of the emulator (sync, SSE, 410, 401, 404) and the WebSocket handshake (auth,
 * {@code ?timeout=N}, handshake faults).
 */
final class HttpRoutes extends Handler.Abstract {
  private static final String UNAUTHORIZED = "Bearer token is missing or invalid.";

  private final SmallestEmulator emulator;

  HttpRoutes(SmallestEmulator emulator) {
    this.emulator = emulator;
  }

  // --- WebSocket handshake ---

  /** The WebSocket creator: refuses the upgrade or returns the connection's endpoint. */
  Object upgrade(ServerUpgradeRequest rq, ServerUpgradeResponse rs, Callback cb) {
    if (!authorized(rq)) {
      json(rs, cb, 401, Wire.httpError("Unauthorized", UNAUTHORIZED), null);
      return null;
    }
    Duration timeout = emulator.options().defaultIdleTimeout();
    String t = Request.extractQueryParameters(rq).getValue("timeout");
    if (t != null) {
      long seconds;
      try {
        seconds = Long.parseLong(t.trim());
      } catch (NumberFormatException e) {
        seconds = -1;
      }
      if (seconds <= 0 || seconds > 86_400) {
        json(
            rs,
            cb,
            400,
            Wire.httpError(
                "InvalidRequest", "Invalid timeout: must be a positive integer number of seconds."),
            null);
        return null;
      }
      timeout = Duration.ofSeconds(seconds);
    }
    Fault fault = emulator.control().takeFault();
    FaultPlan plan = FaultPlan.of(fault, rq.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (plan.answerHandshake(rq, rs, cb, HttpRoutes::refuse)) {
      return null;
    }
    return new SmallestWebSocket(
        emulator,
        emulator.server().connectionId(rq),
        headers(rq),
        timeout,
        EmulatorServer.endPoint(rq),
        plan.isHandshakeFault() ? null : fault);
  }

  // --- HTTP ---

  @Override
  public boolean handle(Request req, Response resp, Callback cb) throws Exception {
    String path = Request.getPathInContext(req);
    String method = req.getMethod();
    // read the whole body first: answering before it is consumed makes Jetty close the connection
    // after the response, which races with clients that reuse it
    String body = Content.Source.asString(req, StandardCharsets.UTF_8);
    if (!path.startsWith("/waves/")) {
      json(resp, cb, 404, Wire.httpError("NotFound", "No route for " + method + " " + path), null);
      return true;
    }
    if (!authorized(req)) {
      json(resp, cb, 401, Wire.httpError("Unauthorized", UNAUTHORIZED), null);
      return true;
    }
    if (retired(path)) {
      json(resp, cb, 410, Wire.modelDeprecated(), null);
      return true;
    }
    Object[] catalog = "GET".equals(method) ? VoicesRoute.answer(path) : null;
    if (catalog != null) {
      json(resp, cb, (Integer) catalog[0], (String) catalog[1], null);
      return true;
    }
    boolean sse =
        path.equals(SmallestEmulator.LIVE_PATH) || path.equals(SmallestEmulator.LEGACY_SSE_PATH);
    boolean sync =
        path.equals(SmallestEmulator.SYNC_PATH) || path.equals(SmallestEmulator.LEGACY_SYNC_PATH);
    if (!sse && !sync && !path.equals(SmallestEmulator.LEGACY_WS_PATH)) {
      json(resp, cb, 404, Wire.httpError("NotFound", "No route for " + method + " " + path), null);
      return true;
    }
    if (!"POST".equals(method)) {
      resp.getHeaders().put(HttpHeader.ALLOW, "POST");
      json(
          resp,
          cb,
          405,
          Wire.httpError(
              "MethodNotAllowed",
              "Use POST (or a WebSocket upgrade on " + SmallestEmulator.LIVE_PATH + ")."),
          null);
      return true;
    }
    tts(req, resp, cb, sse, body);
    return true;
  }

  private void tts(Request req, Response resp, Callback cb, boolean sse, String body) {
    FaultPlan plan =
        FaultPlan.take(emulator.control(), req.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (plan.answerHandshake(req, resp, cb, HttpRoutes::refuse)) {
      return;
    }
    SessionRecorder rec =
        emulator.control().newSession(emulator.server().connectionId(req), headers(req));
    rec.frame(body);
    TtsRequest rq;
    try {
      JsonNode node = Wire.parse(body);
      if (node == null) {
        throw new BadRequest("Invalid JSON body.");
      }
      rq = TtsRequest.parse(node, false);
    } catch (BadRequest e) {
      json(resp, cb, 400, Wire.httpError("InvalidRequest", e.getMessage()), null);
      return;
    }
    rec.text(rq.text());
    rec.finished();
    if (!emulator.acquireHttpSlot()) {
      resp.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
      json(
          resp,
          cb,
          429,
          Wire.httpError(
              "TooManyRequests",
              "Concurrency limit of "
                  + emulator.options().maxConcurrentRequests()
                  + " active request(s) reached; retry when a request finishes."),
          null);
      return;
    }
    Stream stream;
    try {
      EmulatorConfig config = emulator.config();
      byte[] pcm = Speech.render(config.voice(), rq.text(), rq.sampleRate(), rq.speed());
      stream = new Stream(req, resp, cb, rec);
      if (sse) {
        planSse(stream, rq, pcm, plan);
      } else {
        planSync(stream, rq, pcm, plan);
      }
    } catch (RuntimeException e) {
      emulator.releaseHttpSlot();
      json(
          resp,
          cb,
          500,
          Wire.httpError("InternalServerError", "An unexpected error occurred."),
          null);
      return;
    }
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("X-Session-Id", UUID.randomUUID().toString());
    ids.put("X-Request-Id", UUID.randomUUID().toString());
    ids.put("X-External-Session-Id", rq.sessionId() == null ? "" : rq.sessionId());
    ids.put("X-External-Request-Id", rq.requestId() == null ? "" : rq.requestId());
    resp.setStatus(200);
    ids.forEach((k, v) -> resp.getHeaders().put(k, v));
    if (plan.closeAfterCompletion()) {
      resp.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    stream.start();
  }

  // --- plans ---

  /** One write of a streamed response. */
  private record Step(Duration delay, byte[] bytes, List<byte[]> audio, boolean completes) {}

  /** What happens after the last step. */
  private enum End {
    /** The body ends normally. */
    FINISH,
    /** The connection closes before the announced Content-Length. */
    CLEAN_CLOSE,
    /** The connection is reset. */
    ABRUPT,
    /** Nothing more is written; the response stays open. */
    STALL,
    /** An SSE event that never ends ({@code truncation} is its start). */
    ENDLESS_EVENT,
    /** {@code truncation} is written raw, then the connection is reset. */
    TRUNCATED,
    /** The last audio piece again and again, without end. */
    ENDLESS_AUDIO
  }

  /** A piece of a response body before grouping into paced writes. */
  private record Piece(byte[] bytes, byte[] audio, double seconds, boolean completes) {}

  private void planSse(Stream s, TtsRequest rq, byte[] pcm, FaultPlan plan) {
    int chunkBytes = emulator.options().sseChunkBytes() & ~1;
    AudioFormat format = rq.audioFormat();
    double totalSeconds = pcm.length / 2.0 / rq.sampleRate();
    List<byte[]> payloads = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    if (format.encoding() == AudioFormat.Encoding.WAV) {
      for (int off = 0; off < pcm.length; off += chunkBytes) {
        byte[] part = Arrays.copyOfRange(pcm, off, Math.min(pcm.length, off + chunkBytes));
        byte[] h = Wav.header(rq.sampleRate(), 1, 16, part.length);
        byte[] out = Arrays.copyOf(h, h.length + part.length);
        System.arraycopy(part, 0, out, h.length, part.length);
        payloads.add(out);
        seconds.add(part.length / 2.0 / rq.sampleRate());
      }
    } else {
      byte[] encoded = encodeAll(format, pcm);
      for (int off = 0; off < encoded.length; off += chunkBytes) {
        int len = Math.min(chunkBytes, encoded.length - off);
        payloads.add(Arrays.copyOfRange(encoded, off, off + len));
        seconds.add(totalSeconds * len / encoded.length);
      }
    }
    SseFrames frames = new SseFrames(format, payloads);
    for (int i = 0; i < payloads.size() && !frames.stopped; i++) {
      frames.index = i;
      if (plan.beforeAudio(frames)) {
        byte[] p = payloads.get(i);
        frames.pieces.add(
            new Piece(Wire.sseAudio(p).getBytes(StandardCharsets.UTF_8), p, seconds.get(i), false));
        plan.audioSent();
      }
    }
    frames.index = payloads.size();
    if (!frames.stopped && plan.beforeCompletion(frames) && !frames.stopped) {
      frames.pieces.add(new Piece(Wire.sseDone().getBytes(StandardCharsets.UTF_8), null, 0, true));
    }
    List<Piece> pieces = frames.pieces;
    End end = frames.end;
    s.truncation = frames.truncation;
    s.contentType = "text/event-stream";
    s.contentLength = -1;
    s.steps = group(pieces);
    s.end = end;
  }

  private void planSync(Stream s, TtsRequest rq, byte[] pcm, FaultPlan plan) {
    AudioFormat format = rq.audioFormat();
    byte[] body;
    if (format.encoding() == AudioFormat.Encoding.WAV) {
      byte[] h = Wav.header(rq.sampleRate(), 1, 16, pcm.length);
      body = Arrays.copyOf(h, h.length + pcm.length);
      System.arraycopy(pcm, 0, body, h.length, pcm.length);
    } else {
      body = encodeAll(format, pcm);
    }
    double totalSeconds = pcm.length / 2.0 / rq.sampleRate();
    int frameMillis = emulator.config().frameMillis();
    int pieceBytes =
        totalSeconds <= 0
            ? Math.max(1, body.length)
            : (int) Math.max(1, Math.ceil(body.length * (frameMillis / 1000.0) / totalSeconds));
    if (format.isUncompressed() || format.encoding() == AudioFormat.Encoding.WAV) {
      pieceBytes = Math.max(2, pieceBytes & ~1);
    }
    List<byte[]> parts = new ArrayList<>();
    for (int off = 0; off < body.length; off += pieceBytes) {
      parts.add(Arrays.copyOfRange(body, off, Math.min(body.length, off + pieceBytes)));
    }
    s.contentType = "audio/wav";
    SyncFrames frames = new SyncFrames(s, format, parts, body.length);
    for (int i = 0; i < parts.size() && !frames.stopped; i++) {
      frames.index = i;
      if (plan.beforeAudio(frames)) {
        byte[] p = parts.get(i);
        frames.pieces.add(
            new Piece(p, p, totalSeconds * p.length / Math.max(1, body.length), false));
        plan.audioSent();
      }
    }
    frames.index = parts.size();
    if (!frames.stopped && plan.beforeCompletion(frames) && !frames.stopped) {
      frames.pieces.add(new Piece(new byte[0], null, 0, true));
    }
    List<Piece> pieces = frames.pieces;
    End end = frames.end;
    long length = frames.length;
    s.truncation = frames.truncation;
    s.contentLength = length;
    s.steps = group(pieces);
    s.end = end;
  }

  /** Groups pieces into writes of about one frame of audio each, with the pacer's delays. */
  private List<Step> group(List<Piece> pieces) {
    Pacer pacer = emulator.pacer();
    double frame = emulator.config().frameMillis() / 1000.0;
    List<Step> steps = new ArrayList<>();
    List<Piece> current = new ArrayList<>();
    double currentSeconds = 0;
    double previousSeconds = 0;
    for (Piece p : pieces) {
      current.add(p);
      currentSeconds += p.seconds();
      if (currentSeconds >= frame) {
        steps.add(step(pacer, steps.isEmpty(), previousSeconds, current));
        previousSeconds = currentSeconds;
        current = new ArrayList<>();
        currentSeconds = 0;
      }
    }
    if (!current.isEmpty()) {
      steps.add(step(pacer, steps.isEmpty(), previousSeconds, current));
    }
    return steps;
  }

  private static Step step(Pacer pacer, boolean first, double previousSeconds, List<Piece> ps) {
    Duration delay =
        pacer.frameDelay(first, Duration.ofNanos(Math.round(previousSeconds * 1_000_000_000L)));
    int n = 0;
    for (Piece p : ps) {
      n += p.bytes().length;
    }
    byte[] bytes = new byte[n];
    List<byte[]> audio = new ArrayList<>();
    boolean completes = false;
    int off = 0;
    for (Piece p : ps) {
      System.arraycopy(p.bytes(), 0, bytes, off, p.bytes().length);
      off += p.bytes().length;
      if (p.audio() != null) {
        audio.add(p.audio());
      }
      completes |= p.completes();
    }
    return new Step(delay, bytes, audio, completes);
  }

  private static Piece text(String s) {
    return new Piece(s.getBytes(StandardCharsets.UTF_8), null, 0, false);
  }

  /** Smallest's SSE events for the fault engine, as pieces of the planned body. */
  private final class SseFrames implements FaultFrames {
    final List<Piece> pieces = new ArrayList<>();
    final AudioFormat format;
    final List<byte[]> payloads;
    End end = End.FINISH;
    boolean stopped;
    int index;
    byte[] truncation;

    SseFrames(AudioFormat format, List<byte[]> payloads) {
      this.format = format;
      this.payloads = payloads;
    }

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      pieces.add(text(Wire.sseError(detail == null ? Fault.MESSAGE : detail, Wire.code(kind))));
      stopped = true;
    }

    @Override
    public void disconnect(boolean abrupt) {
      end = abrupt ? End.ABRUPT : End.FINISH;
      stopped = true;
    }

    @Override
    public void stall() {
      end = End.STALL;
      stopped = true;
    }

    @Override
    public boolean malformed(String detail) {
      pieces.add(
          text(
              detail == null
                  ? Wire.sseMalformed()
                  : "event: audio\ndata: {\"audio\": \"" + detail + "\n\n"));
      return true;
    }

    @Override
    public boolean oversize(int bytes) {
      int overhead = Wire.sseAudio(new byte[0]).length();
      byte[] silence = silence(format, Math.max(2, (bytes - overhead) / 4 * 3) & ~1);
      byte[] wire = Wire.sseAudio(silence).getBytes(StandardCharsets.UTF_8);
      pieces.add(new Piece(wire, silence, 0, false));
      return true;
    }

    @Override
    public boolean wrongType() {
      byte[] raw = index < payloads.size() ? payloads.get(index) : new byte[] {0, (byte) 0xFF};
      pieces.add(new Piece(raw, null, 0, false));
      return true;
    }

    @Override
    public boolean endlessFrame() {
      end = End.ENDLESS_EVENT;
      truncation = "event: audio\ndata: {\"audio\": \"".getBytes(StandardCharsets.US_ASCII);
      stopped = true;
      return true;
    }

    @Override
    public boolean truncatedFrame() {
      byte[] p = index < payloads.size() ? payloads.get(index) : silence(format, 2);
      end = End.TRUNCATED;
      truncation =
          WireFaults.partialChunk(
              Wire.sseAudio(p).getBytes(StandardCharsets.UTF_8), !pieces.isEmpty());
      stopped = true;
      return true;
    }

    @Override
    public boolean endlessAudio() {
      byte[] p = payloads.isEmpty() ? silence(format, 640) : payloads.get(payloads.size() - 1);
      end = End.ENDLESS_AUDIO;
      truncation = repeated(Wire.sseAudio(p).getBytes(StandardCharsets.UTF_8));
      stopped = true;
      return true;
    }
  }

  /**
   * Smallest's sync (WAV body) side of the fault engine: no error frame exists in an audio body, so
   * an error resets the connection.
   */
  private final class SyncFrames implements FaultFrames {
    final List<Piece> pieces = new ArrayList<>();
    final Stream stream;
    final AudioFormat format;
    final List<byte[]> parts;
    End end = End.FINISH;
    boolean stopped;
    int index;
    long length;
    byte[] truncation;

    SyncFrames(Stream stream, AudioFormat format, List<byte[]> parts, long length) {
      this.stream = stream;
      this.format = format;
      this.parts = parts;
      this.length = length;
    }

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      end = End.ABRUPT;
      stopped = true;
    }

    @Override
    public void disconnect(boolean abrupt) {
      end = abrupt ? End.ABRUPT : End.CLEAN_CLOSE;
      stopped = true;
    }

    @Override
    public void stall() {
      end = End.STALL;
      stopped = true;
    }

    @Override
    public boolean malformed(String detail) {
      if (detail != null) {
        return false; // an audio body is never quoted
      }
      pieces.add(new Piece(new byte[] {0}, null, 0, false));
      length += 1;
      return true;
    }

    @Override
    public boolean oversize(int bytes) {
      byte[] silence = silence(format, Math.max(2, bytes) & ~1);
      pieces.add(new Piece(silence, silence, 0, false));
      length += silence.length;
      return true;
    }

    @Override
    public boolean wrongType() {
      stream.contentType = "application/json";
      return true;
    }

    @Override
    public boolean truncatedFrame() {
      byte[] p = index < parts.size() ? parts.get(index) : silence(format, 16);
      end = End.TRUNCATED;
      truncation = Arrays.copyOf(p, Math.min(p.length, WireFaults.TRUNCATED_WRITTEN));
      stopped = true;
      return true;
    }

    @Override
    public boolean endlessAudio() {
      end = End.ENDLESS_AUDIO;
      truncation = repeated(parts.isEmpty() ? silence(format, 640) : parts.get(parts.size() - 1));
      length = -1; // a chunked body: it never ends
      stopped = true;
      return true;
    }
  }

  /**
   * {@code unit} repeated to at least {@link WireFaults#FRAGMENT_BYTES}: one write of endless
   * audio.
   */
  private static byte[] repeated(byte[] unit) {
    int n = Math.max(1, (WireFaults.FRAGMENT_BYTES + unit.length - 1) / Math.max(1, unit.length));
    byte[] out = new byte[unit.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(unit, 0, out, i * unit.length, unit.length);
    }
    return out;
  }

  static byte[] encodeAll(AudioFormat format, byte[] pcm) {
    AudioEncoder enc = AudioEncoder.of(format, 128);
    byte[] a = enc.encode(pcm);
    byte[] b = enc.finish();
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** {@code n} bytes of silence in {@code format}. */
  static byte[] silence(AudioFormat format, int n) {
    byte[] out = new byte[n];
    byte fill =
        switch (format.encoding()) {
          case MULAW -> (byte) 0xFF;
          case ALAW -> (byte) 0xD5;
          default -> 0;
        };
    Arrays.fill(out, fill);
    return out;
  }

  /** A response being streamed step by step, each write after the previous one completed. */
  private final class Stream {
    final Request req;
    final Response resp;
    final Callback cb;
    final SessionRecorder rec;
    final AtomicBoolean done = new AtomicBoolean();
    String contentType;
    long contentLength;
    List<Step> steps;
    End end;
    byte[] truncation;
    int index;

    Stream(Request req, Response resp, Callback cb, SessionRecorder rec) {
      this.req = req;
      this.resp = resp;
      this.cb = cb;
      this.rec = rec;
    }

    void start() {
      resp.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      if (contentLength >= 0) {
        resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, contentLength);
      } else {
        resp.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
      }
      next();
    }

    void next() {
      if (index < steps.size()) {
        Step s = steps.get(index++);
        schedule(s.delay(), () -> write(s));
      } else {
        schedule(Duration.ZERO, this::finish);
      }
    }

    void write(Step s) {
      for (byte[] a : s.audio()) {
        rec.audioSent(a);
      }
      if (s.completes() && end == End.FINISH) {
        rec.completed();
      }
      AudioTap tap = emulator.config().audioTap();
      for (byte[] a : s.audio()) {
        tap.writing("smallest", a);
      }
      resp.write(false, ByteBuffer.wrap(s.bytes()), Callback.from(this::next, this::failed));
    }

    void finish() {
      switch (end) {
        case FINISH ->
            resp.write(
                true,
                ByteBuffer.allocate(0),
                Callback.from(
                    () -> {
                      release();
                      cb.succeeded();
                    },
                    this::failed));
        case CLEAN_CLOSE -> failed(new IOException(Fault.MESSAGE));
        case ABRUPT -> {
          reset(EmulatorServer.endPoint(req));
          failed(new IOException(Fault.MESSAGE));
        }
        case STALL -> {
          release();
          EmulatorServer.closeWhenClientLeaves(EmulatorServer.endPoint(req));
        }
        case ENDLESS_EVENT ->
            WireFaults.endlessBody(resp, truncation, (byte) 'A', emulator.pacer().executor())
                .whenComplete((v, x) -> failed(x != null ? x : new IOException(Fault.MESSAGE)));
        case TRUNCATED -> {
          release();
          WireFaults.truncateHttp(
              resp, cb, EmulatorServer.endPoint(req), truncation, emulator.pacer().executor());
        }
        case ENDLESS_AUDIO ->
            WireFaults.repeat(
                    emulator.pacer().executor(),
                    () -> {
                      CompletableFuture<Void> f = new CompletableFuture<>();
                      emulator.config().audioTap().writing("smallest", truncation);
                      resp.write(
                          false,
                          ByteBuffer.wrap(truncation),
                          Callback.from(() -> f.complete(null), f::completeExceptionally));
                      return f;
                    })
                .whenComplete((v, x) -> failed(x != null ? x : new IOException(Fault.MESSAGE)));
      }
    }

    void failed(Throwable t) {
      release();
      cb.failed(t);
    }

    void release() {
      if (done.compareAndSet(false, true)) {
        emulator.releaseHttpSlot();
      }
    }

    void schedule(Duration delay, Runnable task) {
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
        failed(e);
      }
    }
  }

  // --- helpers ---

  private boolean authorized(Request req) {
    String h = req.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (h == null) {
      return false;
    }
    String v = h.trim();
    if (v.length() < 7 || !v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return false;
    }
    return v.substring(7).trim().equals(emulator.config().apiKey());
  }

  private static boolean retired(String path) {
    return path.equals("/waves/v1/lightning-v2")
        || path.startsWith("/waves/v1/lightning-v2/")
        || path.equals("/waves/v1/lightning-large")
        || path.startsWith("/waves/v1/lightning-large/");
  }

  /** Smallest's refusal of an injected handshake fault ({@link Refusal}). */
  private static void refuse(
      Response resp, Callback cb, int status, Duration retryAfter, String detail) {
    String retry = null;
    if (retryAfter != null) {
      long s = (retryAfter.toMillis() + 999) / 1000;
      retry = Long.toString(Math.max(0, s));
    }
    String message = detail == null ? Fault.MESSAGE : UNAUTHORIZED + " (" + detail + ")";
    json(resp, cb, status, Wire.httpError(Wire.errorType(status), message), retry);
  }

  private static void json(Response resp, Callback cb, int status, String body, String retry) {
    resp.setStatus(status);
    resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (retry != null) {
      resp.getHeaders().put(HttpHeader.RETRY_AFTER, retry);
    }
    Content.Sink.write(resp, true, body, cb);
  }

  static Map<String, List<String>> headers(Request req) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (HttpField f : req.getHeaders()) {
      out.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
    }
    return out;
  }

  /** Resets the TCP connection (RST, no FIN). */
  static void reset(EndPoint endPoint) {
    WireFaults.reset(endPoint);
  }
}
