package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.FaultFrames;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.emulator.internal.Refusal;
import dev.voicebridge.emulator.internal.WireFaults;
import dev.voicebridge.spi.conformance.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;

/**
 * The HTTP side of the emulator: {@code POST /tts/bytes}, {@code POST /tts/sse}, {@code POST
 * /access-token}, and the WebSocket handshake of {@code /tts/websocket}. Requests are served on
 * Jetty's threads with blocking writes (pacing waits there too: this is a test server).
 */
final class HttpApi extends Handler.Abstract {
  /** The longest an access token may live ({@code expires_in}, npm client's documentation). */
  static final int MAX_TOKEN_SECONDS = 3600;

  /** An access token's life when {@code expires_in} is absent (INFERRED). */
  static final int DEFAULT_TOKEN_SECONDS = 60;

  private final CartesiaEmulator emu;

  HttpApi(CartesiaEmulator emu) {
    this.emu = emu;
  }

  // ---------------------------------------------------------------- WebSocket handshake

  /** The WebSocket creator: refuses the upgrade or returns the connection's endpoint. */
  Object upgrade(ServerUpgradeRequest rq, ServerUpgradeResponse rs, Callback cb) {
    Fields q = Request.extractQueryParameters(rq);
    Credentials cr = Credentials.of(rq, q);
    Version v = Version.of(rq.getHeaders().get("cartesia-version"), q.getValue("cartesia_version"));
    Version shape = v == null ? Version.of(null, null) : v;
    FaultPlan plan = emu.takeFault(cr.asSent());
    if (plan.answerHandshake(rq, rs, cb, refusal(shape))) {
      return null;
    }
    if (v == null) {
      respond(rs, cb, badVersion(), shape, null);
      return null;
    }
    ApiError auth = emu.authError(cr, true);
    if (auth != null) {
      respond(rs, cb, auth, v, null);
      return null;
    }
    if (emu.openSockets.get() >= emu.options.maxSockets()) {
      respond(rs, cb, ApiError.tooManySockets(emu.options.maxSockets()), v, null);
      return null;
    }
    WsConnection c =
        new WsConnection(
            emu,
            v,
            cr,
            headers(rq),
            emu.server.connectionId(rq),
            EmulatorServer.endPoint(rq),
            plan.fault() == null ? null : plan);
    return new CartesiaSocket(c);
  }

  private static ApiError badVersion() {
    return ApiError.invalid("Cartesia-Version must be a date such as " + Version.LATEST);
  }

  // ---------------------------------------------------------------- routing

  @Override
  public boolean handle(Request rq, Response rs, Callback cb) throws Exception {
    String path = Request.getPathInContext(rq);
    // read the body first: answering before it is consumed makes Jetty close a connection the
    // client may reuse (and a slow answer watches the connection, which needs the body read)
    String body = Content.Source.asString(rq, StandardCharsets.UTF_8);
    Version v = Version.of(rq.getHeaders().get("cartesia-version"), null);
    Version shape = v == null ? Version.of(null, null) : v;
    boolean post = "POST".equals(rq.getMethod());
    switch (path) {
      case "/tts/bytes", "/tts/sse", "/access-token" -> {
        if (!post) {
          rs.getHeaders().put("allow", "POST");
          respond(rs, cb, ApiError.methodNotAllowed(), shape, null);
        } else if (v == null) {
          respond(rs, cb, badVersion(), shape, null);
        } else if (path.equals("/access-token")) {
          token(rq, rs, cb, body, v);
        } else {
          GenRequest.Endpoint e =
              path.equals("/tts/sse") ? GenRequest.Endpoint.SSE : GenRequest.Endpoint.BYTES;
          tts(rq, rs, cb, e, body, v);
        }
      }
      case VoicesList.PATH -> {
        Object a = v == null ? badVersion() : VoicesList.answer(emu, rq);
        if (a instanceof ApiError e) {
          respond(rs, cb, e, shape, null);
        } else {
          rs.setStatus(200);
          rs.getHeaders().put("content-type", "application/json");
          rs.write(true, ByteBuffer.wrap(((String) a).getBytes(StandardCharsets.UTF_8)), cb);
        }
      }
      case CartesiaEmulator.WEBSOCKET ->
          respond(
              rs,
              cb,
              ApiError.invalid("This endpoint takes a WebSocket upgrade (GET with Upgrade)."),
              shape,
              null);
      default -> respond(rs, cb, ApiError.notFound(path), shape, null);
    }
    return true;
  }

  // ---------------------------------------------------------------- access tokens

  private void token(Request rq, Response rs, Callback cb, String body, Version v) {
    ApiError auth = emu.authError(Credentials.of(rq, null), false);
    if (auth != null) {
      respond(rs, cb, auth, v, null);
      return;
    }
    ObjectNode json = body.isBlank() ? Json.object() : Json.parseObject(body);
    if (json == null) {
      respond(rs, cb, ApiError.invalid("The body must be a JSON object"), v, null);
      return;
    }
    int seconds = DEFAULT_TOKEN_SECONDS;
    JsonNode e = json.get("expires_in");
    if (e != null && !e.isNull()) {
      if (!e.isIntegralNumber() || e.asLong() < 1 || e.asLong() > MAX_TOKEN_SECONDS) {
        respond(
            rs,
            cb,
            ApiError.invalid("expires_in must be between 1 and " + MAX_TOKEN_SECONDS + " seconds"),
            v,
            null);
        return;
      }
      seconds = e.asInt();
    }
    JsonNode grants = json.get("grants");
    if (grants != null && !grants.isNull() && !grants.isObject()) {
      respond(rs, cb, ApiError.invalid("grants must be an object"), v, null);
      return;
    }
    String token = emu.newToken();
    if (grants != null && grants.path("tts").asBoolean(false)) {
      // only a token with the tts grant authenticates the /tts endpoints
      emu.tokens.put(token, emu.options.clock().instant().plusSeconds(seconds));
    }
    ObjectNode out = Json.object();
    out.put("token", token);
    rs.setStatus(200);
    rs.getHeaders().put("content-type", "application/json");
    rs.write(true, ByteBuffer.wrap(Json.write(out).getBytes(StandardCharsets.UTF_8)), cb);
  }

  // ---------------------------------------------------------------- text to speech

  private void tts(
      Request rq, Response rs, Callback cb, GenRequest.Endpoint endpoint, String body, Version v) {
    Credentials cr = Credentials.of(rq, null);
    FaultPlan plan = emu.takeFault(cr.asSent());
    if (plan.answerHandshake(rq, rs, cb, refusal(v))) {
      return;
    }
    ApiError auth = emu.authError(cr, true);
    if (auth != null) {
      respond(rs, cb, auth, v, null);
      return;
    }
    SessionRecorder rec = emu.control.newSession(emu.server.connectionId(rq), headers(rq));
    rec.frame(body);
    rec.note("endpoint", endpoint.name().toLowerCase(Locale.ROOT));
    rec.note("version", v.date());
    rec.note("version-given", String.valueOf(v.given()));
    rec.note("auth", cr.method());
    ObjectNode json = Json.parseObject(body);
    GenRequest req;
    try {
      if (json == null) {
        throw Rejected.invalid("The body must be a JSON object");
      }
      req = GenRequest.parse(json, v, endpoint, emu.options.unknownVoiceId());
    } catch (Rejected e) {
      respond(rs, cb, e.error, v, null);
      return;
    }
    rec.text(req.transcript());
    rec.finished();
    rec.note("model", req.modelId());
    rec.note("voice", req.voiceId());
    if (!emu.acquireSlot()) {
      respond(rs, cb, ApiError.concurrency(), v, null);
      return;
    }
    try {
      stream(rq, rs, cb, rec, plan, endpoint, req, v);
    } finally {
      emu.releaseSlot();
    }
  }

  /** One write of a body: what goes on the wire, the audio in it, and what follows it. */
  private record Piece(byte[] wire, byte[] audio, Duration audioTime, List<String> after) {}

  private void stream(
      Request rq,
      Response rs,
      Callback cb,
      SessionRecorder rec,
      FaultPlan plan,
      GenRequest.Endpoint endpoint,
      GenRequest req,
      Version v) {
    boolean sse = endpoint == GenRequest.Endpoint.SSE;
    OutputFormat format = req.format();
    Speech sp =
        Speech.of(
            emu.config.voice(), req.transcript(), format.sampleRate(), emu.config.frameMillis());
    Duration firstAudio = emu.firstAudio(req.modelId());
    List<Piece> pieces = sse ? ssePieces(sp, req, firstAudio) : bodyPieces(sp, format);
    String requestId = emu.requestId();
    rs.setStatus(200);
    rs.getHeaders().put("content-type", sse ? "text/event-stream" : format.contentType());
    if (sse) {
      rs.getHeaders().put("cache-control", "no-cache");
    }
    rs.getHeaders().put("x-request-id", requestId);
    if (plan.closeAfterCompletion()) {
      rs.getHeaders().put("connection", "close");
    }
    Frames frames = new Frames(rq, rs, cb, rec, sse, v, req.contextId(), requestId, format);
    try {
      Pacer.Timeline timeline = emu.pacer.timeline();
      Duration previous = null;
      for (Piece p : pieces) {
        sleep(
            timeline.delay(
                previous == null ? firstAudio : emu.pacer.profile().wallTimeOf(previous)));
        frames.next = p;
        if (!plan.beforeAudio(frames)) {
          return;
        }
        emu.config.audioTap().writing("cartesia", p.audio());
        write(rs, false, p.wire());
        rec.audioSent(p.audio());
        plan.audioSent();
        frames.last = p;
        for (String a : p.after()) {
          write(rs, false, a.getBytes(StandardCharsets.UTF_8));
        }
        previous = p.audioTime();
      }
      frames.next = null;
      if (!plan.beforeCompletion(frames)) {
        return;
      }
      // recorded before the last write: a client holding the whole body finds the record complete
      rec.completed();
      byte[] end =
          sse ? Wire.sse(Wire.done(req.contextId())).getBytes(StandardCharsets.UTF_8) : new byte[0];
      write(rs, true, end);
      cb.succeeded();
    } catch (IOException | RuntimeException e) {
      cb.failed(e);
    }
  }

  /** The pieces of an SSE body: a chunk event per frame, then its timestamps events. */
  private List<Piece> ssePieces(Speech sp, GenRequest req, Duration firstAudio) {
    List<Piece> out = new ArrayList<>();
    int word = 0;
    Duration step = firstAudio;
    for (int i = 0; i < sp.frames.size(); i++) {
      Speech.Frame f = sp.frames.get(i);
      byte[] audio = req.format().encodeRaw(f.pcm());
      boolean last = i == sp.frames.size() - 1;
      int to = word;
      while (to < sp.words.size() && (last || sp.words.get(to).end() <= f.end())) {
        to++;
      }
      List<String> after = new ArrayList<>();
      if (to > word) {
        List<Speech.Word> ws = sp.words.subList(word, to);
        if (req.wordTimestamps()) {
          after.add(Wire.sse(Wire.timestamps(sp.wordTimestamps(ws, 0), req.contextId(), null)));
        }
        if (req.phonemeTimestamps()) {
          after.add(
              Wire.sse(Wire.phonemeTimestamps(sp.phonemeTimestamps(ws, 0), req.contextId(), null)));
        }
        word = to;
      }
      String event = Wire.sse(Wire.chunk(audio, millis(step), req.contextId(), null));
      out.add(new Piece(event.getBytes(StandardCharsets.UTF_8), audio, f.duration(sp.rate), after));
      step = emu.pacer.profile().wallTimeOf(f.duration(sp.rate));
    }
    return out;
  }

  /** The pieces of a bytes body: the encoded audio of each frame (MP3 frames held back merged). */
  private static List<Piece> bodyPieces(Speech sp, OutputFormat format) {
    OutputFormat.Stream enc = format.stream();
    List<Piece> out = new ArrayList<>();
    Duration pending = Duration.ZERO;
    for (int i = 0; i < sp.frames.size(); i++) {
      Speech.Frame f = sp.frames.get(i);
      byte[] b = enc.encode(f.pcm());
      if (i == sp.frames.size() - 1) {
        b = concat(b, enc.finish());
      }
      pending = pending.plus(f.duration(sp.rate));
      if (b.length > 0) {
        out.add(new Piece(b, b, pending, List.of()));
        pending = Duration.ZERO;
      }
    }
    if (sp.frames.isEmpty()) {
      byte[] tail = enc.finish();
      if (tail.length > 0) {
        out.add(new Piece(tail, tail, Duration.ZERO, List.of()));
      }
    }
    return out;
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1_000_000.0;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (b.length == 0) {
      return a;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  /**
   * Cartesia's HTTP side of the fault engine, on the request's thread. SSE has events: an error is
   * an {@code event: error}, a malformed or endless event can be written. A bytes body is raw
   * audio: an error before it starts is an error response, after it the body is cut; it has no
   * frame to malform or leave unfinished.
   */
  private final class Frames implements FaultFrames {
    private final Request rq;
    private final Response rs;
    private final Callback cb;
    private final SessionRecorder rec;
    private final boolean sse;
    private final Version v;
    private final String contextId;
    private final String requestId;
    private final OutputFormat format;
    private final EndPoint endPoint;
    Piece next;
    Piece last;

    Frames(
        Request rq,
        Response rs,
        Callback cb,
        SessionRecorder rec,
        boolean sse,
        Version v,
        String contextId,
        String requestId,
        OutputFormat format) {
      this.rq = rq;
      this.rs = rs;
      this.cb = cb;
      this.rec = rec;
      this.sse = sse;
      this.v = v;
      this.contextId = contextId;
      this.requestId = requestId;
      this.format = format;
      this.endPoint = EmulatorServer.endPoint(rq);
    }

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      ApiError e = ApiError.injected(kind, detail);
      if (sse) {
        // "SSE errors are sent with event: error"; the body then ends
        writeUnchecked(true, e.sseEvent(v, contextId, requestId).getBytes(StandardCharsets.UTF_8));
        cb.succeeded();
      } else if (!rs.isCommitted()) {
        rs.reset();
        respond(rs, cb, e, v, null);
      } else {
        cut(false);
      }
    }

    @Override
    public void disconnect(boolean abrupt) {
      if (sse && !abrupt) {
        // a clean end of the body without the done event
        writeUnchecked(true, new byte[0]);
        cb.succeeded();
      } else {
        cut(abrupt);
      }
    }

    @Override
    public void stall() {
      if (!rs.isCommitted()) {
        writeUnchecked(false, new byte[0]);
      }
      EmulatorServer.closeWhenClientLeaves(endPoint);
      try {
        while (endPoint.isOpen() && !emu.closing.await(100, TimeUnit.MILLISECONDS)) {
          // hold the response open until the client gives up or the emulator closes
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cut(false);
    }

    @Override
    public boolean malformed(String detail) {
      if (!sse) {
        return false;
      }
      String s = detail == null ? Fault.MESSAGE + ": this event is not JSON" : detail;
      writeUnchecked(
          false,
          ("data: {\"type\":\"chunk\",\"data\":\"" + s + "\n\n").getBytes(StandardCharsets.UTF_8));
      return true;
    }

    @Override
    public boolean oversize(int bytes) {
      if (sse) {
        int overhead = Wire.sse(Wire.chunk(new byte[0], 0, contextId, null)).length();
        int b64 = Math.max(4, bytes - overhead) / 4 * 4;
        byte[] audio = Wire.silence(format, align(b64 / 4 * 3));
        writeUnchecked(
            false,
            Wire.sse(Wire.chunk(audio, 0, contextId, null)).getBytes(StandardCharsets.UTF_8));
        rec.audioSent(audio);
      } else {
        byte[] audio = Wire.silence(format, align(Math.max(4, bytes)));
        writeUnchecked(false, audio);
        rec.audioSent(audio);
      }
      return true;
    }

    private int align(int n) {
      int unit = format.encoding() == null ? 1 : format.bytesPerSample();
      return Math.max(unit, n / unit * unit);
    }

    @Override
    public boolean wrongType() {
      if (!sse) {
        return false;
      }
      // the next chunk's raw audio outside any event (not recorded: the client must refuse it)
      writeUnchecked(false, next != null ? next.audio() : Wire.silence(format, 64));
      return true;
    }

    @Override
    public boolean endlessFrame() {
      if (!sse) {
        return false;
      }
      byte[] head = "data: {\"type\":\"chunk\",\"data\":\"".getBytes(StandardCharsets.US_ASCII);
      WireFaults.endlessBody(rs, head, (byte) 'A', emu.pacer.executor())
          .whenComplete((x, t) -> cb.failed(t != null ? t : new IOException(Fault.MESSAGE)));
      return true;
    }

    @Override
    public boolean truncatedFrame() {
      byte[] start =
          next != null ? next.wire() : Wire.silence(format, WireFaults.TRUNCATED_WRITTEN);
      WireFaults.truncateHttp(
          rs, cb, endPoint, WireFaults.partialChunk(start, last != null), emu.pacer.executor());
      return true;
    }

    @Override
    public boolean endlessAudio() {
      // SSE: the last chunk event again and again; bytes: silence (the last MP3 frames again),
      // never a second WAV header
      byte[] silence = Wire.silence(format, 640);
      boolean repeatLast = last != null && (sse || format.container().equals("mp3"));
      byte[] audio = repeatLast ? last.audio() : silence;
      byte[] unit =
          repeatLast
              ? last.wire()
              : sse
                  ? Wire.sse(Wire.chunk(silence, 0, contextId, null))
                      .getBytes(StandardCharsets.UTF_8)
                  : silence;
      WireFaults.repeat(
              emu.pacer.executor(),
              () -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                emu.config.audioTap().writing("cartesia", audio);
                rs.write(
                    false,
                    ByteBuffer.wrap(unit),
                    Callback.from(() -> f.complete(null), f::completeExceptionally));
                return f;
              })
          .whenComplete((x, t) -> cb.failed(t != null ? t : new IOException(Fault.MESSAGE)));
      return true;
    }

    /** Ends the body without its end: a reset if {@code abrupt}, else a close. */
    private void cut(boolean abrupt) {
      if (abrupt) {
        WireFaults.reset(endPoint);
      } else {
        endPoint.close();
      }
      cb.failed(new IOException(Fault.MESSAGE));
    }

    private void writeUnchecked(boolean lastWrite, byte[] data) {
      try {
        write(rs, lastWrite, data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // ---------------------------------------------------------------- responses

  /** Cartesia's refusal of an injected handshake fault, in the shape of version {@code v}. */
  private static Refusal refusal(Version v) {
    return (rs, cb, status, retryAfter, detail) ->
        respond(rs, cb, ApiError.refusal(status, detail), v, retryAfter);
  }

  /** Answers with {@code e} in the shape of version {@code v}. */
  static void respond(Response rs, Callback cb, ApiError e, Version v, Duration retryAfter) {
    rs.setStatus(e.status());
    rs.getHeaders().put("content-type", ApiError.httpContentType(v));
    if (retryAfter != null) {
      rs.getHeaders()
          .put("retry-after", String.valueOf(Math.max(0, (retryAfter.toMillis() + 999) / 1000)));
    }
    String requestId = java.util.UUID.randomUUID().toString();
    rs.getHeaders().put("x-request-id", requestId);
    rs.write(true, ByteBuffer.wrap(e.httpBody(v, requestId)), cb);
  }

  static Map<String, List<String>> headers(Request rq) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (HttpField f : rq.getHeaders()) {
      h.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(f.getValue());
    }
    return h;
  }

  private static void write(Response rs, boolean last, byte[] data) throws IOException {
    FutureCallback f = new FutureCallback();
    rs.write(last, ByteBuffer.wrap(data), f);
    f.block();
  }

  private void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      emu.closing.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
