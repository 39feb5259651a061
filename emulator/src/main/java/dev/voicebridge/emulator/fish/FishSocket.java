package dev.voicebridge.emulator.fish;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.ErrorClose;
import dev.voicebridge.emulator.internal.FaultFrames;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.emulator.internal.WireFaults;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;

/**
 * One {@code /v1/tts/live} connection of the {@link FishEmulator}. Public only because Jetty
 * requires endpoint classes to be; not for use outside the emulator.
 *
 * <p>Threads: Jetty calls the {@code onWebSocket*} methods one at a time; audio and {@code finish}
 * go out from the emulator's pacer threads through the session's {@link Pacer.Lane}, in order. All
 * state is guarded by {@code this}.
 */
public final class FishSocket implements Session.Listener.AutoDemanding {
  private static final byte[] MALFORMED = {(byte) 0xC1, (byte) 0xFF, 0x00, 0x7F};

  private final FishEmulator emulator;
  private final int connection;
  private final Map<String, List<String>> headers;
  private final String model;
  private final EndPoint endPoint;
  private Session session;
  private Live live;
  private CompletableFuture<Void> endless;
  private boolean started;
  private boolean closed;

  /** The state of one session ({@code start} to {@code finish}) on this connection. */
  /** The end of a session's pending chunks: {@code finish{stop}} once their audio is out. */
  private static final Object STOP = new Object();

  private final class Live {
    final SessionRecorder recorder;
    final FishRequest request;
    final TextBuffer buffer;
    final FishAudio audio;
    final Pacer.Lane lane;
    final Pacer.Timeline timeline;
    final FaultPlan plan;
    final Frames frames = new Frames(this);

    /** Chunks not synthesized yet, in order, then {@link #STOP} after a {@code stop}. */
    final ArrayDeque<Object> pending = new ArrayDeque<>();

    boolean pumping; // a synthesizeNext is queued on the lane
    boolean dead;
    boolean stopping;
    int framesSent;

    Live(SessionRecorder recorder, FishRequest request, FaultPlan plan) {
      this.recorder = recorder;
      this.request = request;
      this.buffer = new TextBuffer(request.chunkLength, request.minChunkLength);
      this.audio =
          new FishAudio(request.audioFormat(), request.mp3Bitrate, emulator.config().frameMillis());
      this.lane = emulator.pacer().lane();
      this.timeline = emulator.pacer().timeline();
      this.plan = plan;
    }
  }

  FishSocket(
      FishEmulator emulator,
      int connection,
      Map<String, List<String>> headers,
      String model,
      EndPoint endPoint) {
    this.emulator = emulator;
    this.connection = connection;
    this.headers = headers;
    this.model = model;
    this.endPoint = endPoint;
  }

  /** The handshake: a socket, or null after writing the vendor's refusal. */
  static Object create(
      FishEmulator emulator,
      ServerUpgradeRequest rq,
      ServerUpgradeResponse rs,
      org.eclipse.jetty.util.Callback cb) {
    EmulatorServer server = emulator.server();
    int connection = server.connectionId(rq);
    String credential = rq.getHeaders().get(HttpHeader.AUTHORIZATION);
    // a handshake fault applies here; any other fault waits for the session's start
    if (FaultPlan.isHandshakeFault(emulator.control().peekFault())) {
      Fault fault = emulator.control().takeFault();
      if (FaultPlan.of(fault, credential).answerHandshake(rq, rs, cb, FishSocket::refuse)) {
        return null;
      }
    }
    Object[] auth = emulator.authProblem(rq.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (auth != null) {
      refuse(rs, cb, (Integer) auth[0], (String) auth[1], null);
      return null;
    }
    int max = emulator.options().maxConnections();
    if (max > 0 && emulator.openSockets().get() >= max) {
      refuse(rs, cb, 429, "Too many concurrent connections", null);
      return null;
    }
    String model = FishEmulator.effectiveModel(rq.getHeaders().get("model"));
    return new FishSocket(
        emulator,
        connection,
        FishEmulator.headers(rq.getHeaders()),
        model,
        EmulatorServer.endPoint(rq));
  }

  /** The vendor's refusal of an injected handshake fault ({@link Refusal}). */
  private static void refuse(
      org.eclipse.jetty.server.Response rs,
      org.eclipse.jetty.util.Callback cb,
      int status,
      Duration retryAfter,
      String detail) {
    refuse(rs, cb, status, FishEmulator.statusMessage(status, detail), retryAfter);
  }

  private static void refuse(
      org.eclipse.jetty.server.Response rs,
      org.eclipse.jetty.util.Callback cb,
      int status,
      String message,
      Duration retryAfter) {
    rs.setStatus(status);
    rs.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (retryAfter != null) {
      rs.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
    }
    rs.write(true, ByteBuffer.wrap(FishEmulator.errorBody(status, message)), cb);
  }

  @Override
  public void onWebSocketOpen(Session session) {
    synchronized (this) {
      this.session = session;
    }
    emulator.openSockets().incrementAndGet();
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      byte[] bytes = new byte[payload.remaining()];
      payload.get(bytes);
      onFrame(bytes);
    } catch (RuntimeException e) {
      protocolError("Internal server error");
    } finally {
      callback.succeed();
    }
  }

  @Override
  public void onWebSocketText(String message) {
    // Fish ignores text frames; they are recorded (when a session is running) and dropped.
    synchronized (this) {
      if (live != null) {
        live.recorder.frame("text frame (ignored): " + message);
      }
    }
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    Session s;
    synchronized (this) {
      s = session;
    }
    if (s != null && s.isOpen()) {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
      copy.put(payload.duplicate()).flip();
      s.sendPong(copy, Callback.NOOP);
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    ended();
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    ended();
  }

  private void ended() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (live != null) {
        live.lane.cancel();
        live.dead = true;
      }
      if (endless != null) {
        endless.cancel(false); // endless output stops with the connection
      }
    }
    emulator.openSockets().decrementAndGet();
    emulator.server().release(endPoint);
  }

  private synchronized void onFrame(byte[] bytes) {
    if (closed) {
      return;
    }
    Object decoded;
    try {
      decoded = FishCodec.unpack(bytes);
    } catch (FishCodec.MalformedException e) {
      if (live != null) {
        live.recorder.frame("malformed frame (" + bytes.length + " bytes)");
      }
      protocolError("Invalid message: " + e.getMessage());
      return;
    }
    Object event = decoded instanceof Map<?, ?> m ? m.get("event") : null;
    String rendered = FishCodec.render(decoded);
    if ("start".equals(event)) {
      onStart((Map<?, ?>) decoded, rendered);
      return;
    }
    if (!"text".equals(event) && !"flush".equals(event) && !"stop".equals(event)) {
      // Unknown events (and frames that are not event maps) are ignored.
      if (live != null) {
        live.recorder.frame(rendered);
      }
      return;
    }
    if (live == null) {
      if (!started) {
        protocolError("Expected a start event before " + event);
      }
      // Between sessions (after a finish), late input of the previous session is ignored.
      return;
    }
    Live s = live;
    s.recorder.frame(rendered);
    if (s.stopping) {
      return; // input after stop is ignored while the session drains
    }
    switch ((String) event) {
      case "text" -> {
        Object text = ((Map<?, ?>) decoded).get("text");
        if (!(text instanceof String t)) {
          protocolError("Invalid text event: text should be a valid string");
          return;
        }
        s.recorder.text(t);
        for (String chunk : s.buffer.append(t)) {
          generate(s, chunk);
        }
      }
      case "flush" -> {
        s.recorder.flush();
        generate(s, s.buffer.drain());
      }
      default -> {
        s.recorder.finished();
        s.stopping = true;
        generate(s, s.buffer.drain());
        s.pending.add(STOP); // after the audio of everything before it
        pump(s);
      }
    }
  }

  private void onStart(Map<?, ?> frame, String rendered) {
    if (live != null) {
      live.recorder.frame(rendered);
      protocolError("A session is already running on this connection; wait for finish");
      return;
    }
    started = true;
    SessionRecorder recorder = emulator.control().newSession(connection, headers);
    recorder.note("model", model);
    recorder.frame(rendered);
    FishRequest request =
        frame.containsKey("request") ? FishRequest.parse(frame.get("request"), true) : null;
    if (request == null || !request.valid()) {
      protocolError(
          request == null ? "Invalid request: request: Field required" : request.problem());
      return;
    }
    FaultPlan plan = FaultPlan.take(emulator.control(), credential());
    live = new Live(recorder, request, plan);
    if (!request.text.isEmpty()) {
      recorder.text(request.text);
      for (String chunk : live.buffer.append(request.text)) {
        generate(live, chunk);
      }
    }
  }

  /**
   * Queues {@code text} (one chunk) for synthesis. Chunks are synthesized one at a time on the
   * session's lane, each after the previous one's frames were queued, so the first audio of a long
   * message does not wait for the synthesis of all of its chunks (the service streams a chunk as it
   * is generated).
   */
  private void generate(Live s, String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return;
    }
    s.pending.add(t);
    pump(s);
  }

  private void pump(Live s) {
    if (!s.pumping) {
      s.pumping = true;
      s.lane.submit(() -> synthesizeNext(s));
    }
  }

  /** On a pacer thread: the next chunk's audio queued on the lane, or the finish. */
  private synchronized void synthesizeNext(Live s) {
    Object next = s.pending.poll();
    if (next == null || s.dead || closed) {
      s.pumping = false;
      return;
    }
    if (next == STOP) {
      s.pumping = false;
      finish(s);
      return;
    }
    AudioFormat format = s.request.audioFormat();
    byte[] pcm = emulator.config().voice().synthesize((String) next, format.sampleRate());
    List<FishAudio.Frame> frames = s.audio.frames(pcm);
    Duration previous = null;
    for (FishAudio.Frame f : frames) {
      Duration delay =
          s.timeline.delay(
              previous == null
                  ? emulator.firstAudio(s.request.latency)
                  : emulator.config().profile().wallTimeOf(previous));
      previous = f.audio();
      s.lane.submit(delay, () -> sendAudio(s, f.payload()));
    }
    if (s.pending.isEmpty()) {
      s.pumping = false;
    } else {
      s.lane.submit(() -> synthesizeNext(s));
    }
  }

  /** On a pacer thread: one audio frame, unless a fault comes first. */
  private void sendAudio(Live s, byte[] payload) {
    synchronized (this) {
      if (s.dead || closed) {
        return;
      }
      if (!s.plan.beforeAudio(s.frames) || s.dead) {
        return;
      }
      s.recorder.audioSent(payload);
      s.plan.audioSent();
      ByteBuffer frame = ByteBuffer.wrap(FishCodec.audioEvent(payload));
      emulator.config().audioTap().writing("fish", payload);
      session.sendBinary(frame, Callback.NOOP);
    }
  }

  /** On a pacer thread, after the drained audio: {@code finish{stop}}. */
  private void finish(Live s) {
    synchronized (this) {
      if (s.dead || closed) {
        return;
      }
      // a fault due after more frames than the session had fires before the finish
      if (!s.plan.beforeCompletion(s.frames) || s.dead) {
        return;
      }
      s.recorder.completed(); // recorded first: a client may look at the record on receipt
      endSession(s);
      boolean closeNow = emulator.options().closeAfterFinish() || s.plan.closeAfterCompletion();
      boolean closeFrame =
          emulator.options().closeFrameAfterFinish() || s.plan.closeAfterCompletion();
      Session ws = session;
      Runnable after =
          !closeNow
              ? () -> {}
              : closeFrame ? () -> ws.close(1000, "", Callback.NOOP) : ws::disconnect;
      ws.sendBinary(
          ByteBuffer.wrap(FishCodec.finishEvent("stop", null)),
          Callback.from(after, x -> after.run()));
    }
  }

  private void endSession(Live s) {
    if (live == s) {
      live = null;
    }
  }

  /** A request-level failure: {@code {"event":"error","error":...}}, then close (1008). */
  private synchronized void protocolError(String message) {
    if (closed || session == null) {
      return;
    }
    if (live != null) {
      live.dead = true;
      live.lane.cancel();
      live = null;
    }
    Session s = session;
    s.sendBinary(
        ByteBuffer.wrap(FishCodec.errorEvent(message)),
        Callback.from(
            () -> ErrorClose.close(s, 1008, "invalid request", emulator.pacer().executor()),
            x -> s.close(1008, "invalid request", Callback.NOOP)));
  }

  /** The value of the handshake's {@code Authorization} header, as sent. */
  private String credential() {
    List<String> v = headers.get("authorization");
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /**
   * Fish's frames for the fault engine: {@code finish{error}}, a MessagePack frame that does not
   * parse, an oversize audio event, a text frame. Called with the socket's lock held.
   */
  private final class Frames implements FaultFrames {
    private final Live s;

    Frames(Live s) {
      this.s = s;
    }

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      s.dead = true;
      session.sendBinary(
          ByteBuffer.wrap(
              FishCodec.finishEvent("error", FishEmulator.errorFrameMessage(kind, detail))),
          Callback.NOOP);
      endSession(s);
    }

    @Override
    public void disconnect(boolean abrupt) {
      s.dead = true;
      if (abrupt) {
        session.disconnect();
      } else {
        session.close(1000, Fault.MESSAGE, Callback.NOOP);
      }
    }

    @Override
    public void stall() {
      s.dead = true;
    }

    @Override
    public boolean malformed(String detail) {
      byte[] frame = MALFORMED.clone();
      if (detail != null) {
        byte[] d = detail.getBytes(StandardCharsets.UTF_8);
        frame = Arrays.copyOf(frame, frame.length + d.length);
        System.arraycopy(d, 0, frame, MALFORMED.length, d.length);
      }
      session.sendBinary(ByteBuffer.wrap(frame), Callback.NOOP);
      return true;
    }

    @Override
    public boolean oversize(int bytes) {
      byte[] payload = new byte[Math.max(0, bytes - 24)];
      s.recorder.audioSent(payload);
      session.sendBinary(ByteBuffer.wrap(FishCodec.audioEvent(payload)), Callback.NOOP);
      return true;
    }

    @Override
    public boolean wrongType() {
      session.sendText(
          "{\"event\":\"audio\",\"note\":\"" + Fault.MESSAGE + ": a text frame\"}", Callback.NOOP);
      return true;
    }

    @Override
    public boolean closeWithReason(String reason) {
      stop();
      ErrorClose.close(session, 1008, reason, emulator.pacer().executor());
      return true;
    }

    @Override
    public boolean endlessFrame() {
      stop();
      endless =
          WireFaults.endlessFragments(
              session, true, FishCodec.audioEventHead(Integer.MAX_VALUE), (byte) 0, executor());
      return true;
    }

    @Override
    public boolean truncatedFrame() {
      stop();
      byte[] event = FishCodec.audioEvent(new byte[WireFaults.TRUNCATED_LENGTH]);
      WireFaults.truncateWebSocket(session, endPoint, true, event, executor());
      return true;
    }

    @Override
    public boolean endlessAudio() {
      stop();
      List<byte[]> frames = new ArrayList<>();
      byte[] pcm =
          emulator.config().voice().synthesize("endless", s.request.audioFormat().sampleRate());
      for (FishAudio.Frame f : s.audio.frames(pcm)) {
        frames.add(FishCodec.audioEvent(f.payload()));
      }
      if (frames.isEmpty()) {
        frames.add(FishCodec.audioEvent(new byte[640]));
      }
      Session ws = session;
      int[] next = {0};
      endless =
          WireFaults.repeat(
              executor(),
              () -> {
                if (!ws.isOpen()) {
                  return null;
                }
                CompletableFuture<Void> f = new CompletableFuture<>();
                byte[] frame = frames.get(next[0]++ % frames.size());
                emulator.config().audioTap().writing("fish", frame);
                ws.sendBinary(
                    ByteBuffer.wrap(frame),
                    Callback.from(() -> f.complete(null), f::completeExceptionally));
                return f;
              });
      return true;
    }

    /** The session ends here without a finish: nothing more of it is sent. */
    private void stop() {
      s.dead = true;
      s.lane.cancel();
      endSession(s);
    }

    private ScheduledExecutorService executor() {
      return emulator.pacer().executor();
    }
  }
}
