package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.ErrorClose;
import dev.voicebridge.emulator.internal.FaultFrames;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.emulator.internal.WireFaults;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One emulated Cartesia WebSocket: any number of contexts multiplexed on it (protocol note sections
 * 2 and 3). Client messages arrive on Jetty's thread; each context's frames go out through its own
 * {@link Pacer.Lane}, so contexts generate concurrently while each context's frames stay in order.
 * Timers (the buffer delay, context expiry, the idle close) run on the pacer's executor. All state
 * is guarded by {@code this}.
 *
 * <p>Each context is a session: it leaves a record and takes its own fault (the handshake's if that
 * was not a handshake fault, else the next one queued). Faults that break the connection (a
 * disconnect, a truncated or endless frame, a close reason) end every context on it.
 */
final class WsConnection {
  /** Ids of ended contexts remembered, to answer late input on them. */
  private static final int ENDED_MEMORY = 4096;

  /** One context: a session. */
  final class Ctx {
    final String id;
    final SessionRecorder rec;
    final Pacer.Lane lane;
    final TextBuffer buffer = new TextBuffer();
    FaultPlan plan;
    GenRequest first;
    int flushId = 1;
    int generations;

    /** Samples generated so far: the time base of timestamps. */
    long samples;

    /** When the audio queued so far ends (System.nanoTime, an estimate). */
    long audioEnd;

    /** When the last task submitted to the lane is due (an estimate). */
    long lastDue;

    boolean slot;
    boolean inputClosed;

    /** No more frames of this context are sent. */
    boolean stopped;

    boolean ended;
    volatile boolean cancelled;
    ScheduledFuture<?> bufferTimer;
    ScheduledFuture<?> expiryTimer;

    Ctx(String id, FaultPlan plan) {
      this.id = id;
      this.plan = plan;
      this.rec = emu.control.newSession(connectionId, headers);
      this.lane = emu.pacer.lane();
      rec.note("context_id", id);
      rec.note("version", version.date());
      rec.note("version-given", String.valueOf(version.given()));
      rec.note("auth", credentials.method());
      rec.note("endpoint", "websocket");
    }
  }

  private final CartesiaEmulator emu;
  private final Version version;
  private final Credentials credentials;
  private final Map<String, List<String>> headers;
  private final int connectionId;
  private final EndPoint endPoint;
  private final String requestPrefix;
  private FaultPlan held;

  private Session session;
  private boolean over;
  private boolean released;
  private final Map<String, Ctx> live = new LinkedHashMap<>();
  private final Map<String, Boolean> ended =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > ENDED_MEMORY;
        }
      };
  private ScheduledFuture<?> idleTimer;
  private long lastActivity = System.nanoTime();
  private CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null);
  private final List<CompletableFuture<Void>> endless = new ArrayList<>();

  WsConnection(
      CartesiaEmulator emu,
      Version version,
      Credentials credentials,
      Map<String, List<String>> headers,
      int connectionId,
      EndPoint endPoint,
      FaultPlan held) {
    this.emu = emu;
    this.version = version;
    this.credentials = credentials;
    this.headers = headers;
    this.connectionId = connectionId;
    this.endPoint = endPoint;
    this.held = held;
    this.requestPrefix = emu.requestId();
  }

  // ---------------------------------------------------------------- Jetty events

  synchronized void opened(Session s) {
    this.session = s;
    emu.sockets.add(this);
    emu.openSockets.incrementAndGet();
    touch();
    armIdle(emu.options.idleTimeout());
  }

  synchronized void closed() {
    over = true;
    endless.forEach(f -> f.cancel(false));
    stopAll();
    cancelIdle();
    if (!released) {
      released = true;
      emu.sockets.remove(this);
      if (session != null) {
        emu.openSockets.decrementAndGet();
      }
      emu.server.release(endPoint);
    }
  }

  /** Stops timers and output (emulator shutdown). */
  synchronized void shutdown() {
    over = true;
    endless.forEach(f -> f.cancel(false));
    stopAll();
    cancelIdle();
  }

  void ping(ByteBuffer payload) {
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

  synchronized void binary(int bytes) {
    recordAll("<binary frame, " + bytes + " bytes>");
    if (over) {
      return;
    }
    touch();
    sendConnectionError(
        ApiError.invalid("Binary frames are not supported: send JSON text messages."));
  }

  synchronized void text(String raw) {
    try {
      message(raw);
    } catch (RuntimeException e) {
      // never let Jetty close with the exception's message as the reason
      sendConnectionError(ApiError.server("The message could not be processed."));
    }
  }

  // ---------------------------------------------------------------- client messages

  private void message(String raw) {
    if (over) {
      recordAll(raw);
      return;
    }
    touch();
    ObjectNode node = Json.parseObject(raw);
    if (node == null) {
      recordAll(raw);
      sendConnectionError(ApiError.invalid("Could not parse the message as a JSON object."));
      return;
    }
    JsonNode idNode = node.get("context_id");
    String id = idNode != null && idNode.isTextual() ? idNode.asText() : null;
    boolean cancel = node.path("cancel").asBoolean(false);
    if (cancel) {
      Ctx c = id == null ? null : live.get(id);
      if (c == null) {
        recordAll(raw); // cancelling an unknown or ended context is a no-op
        return;
      }
      c.rec.frame(raw);
      cancel(c);
      return;
    }
    if (idNode != null && !idNode.isNull() && id == null) {
      recordAll(raw);
      sendConnectionError(ApiError.invalid("context_id must be a string"));
      return;
    }
    if (id == null) {
      id = emu.requestId(); // INFERRED: a request without context_id gets one from the server
    }
    Ctx c = live.get(id);
    if (c == null) {
      if (ended.containsKey(id)) {
        recordAll(raw);
        send(
            ApiError.invalid(
                    "Context " + id + " is no longer active: send new input on a new context_id.")
                .wsFrame(version, id, requestId(id)));
        return;
      }
      c = open(id);
      c.rec.frame(raw);
      GenRequest req;
      try {
        req = GenRequest.parse(node, version, GenRequest.Endpoint.WEBSOCKET, unknownVoice());
      } catch (Rejected e) {
        fail(c, e.error);
        return;
      }
      c.rec.note("model", req.modelId());
      c.rec.note("voice", req.voiceId());
      if (!emu.acquireSlot()) {
        fail(c, ApiError.concurrency());
        return;
      }
      c.slot = true;
      c.first = req;
      apply(c, req);
      return;
    }
    c.rec.frame(raw);
    if (c.stopped) {
      return; // a stalled context hears nothing
    }
    GenRequest req;
    try {
      req = GenRequest.parse(node, version, GenRequest.Endpoint.WEBSOCKET, unknownVoice());
    } catch (Rejected e) {
      fail(c, e.error);
      return;
    }
    if (c.inputClosed) {
      fail(
          c,
          ApiError.invalid(
              "Context " + id + " takes no more input: continue: false was already received."));
      return;
    }
    if (!req.config().equals(c.first.config())) {
      c.rec.note("config-changed", changedFields(c.first.config(), req.config()));
    }
    apply(c, req);
  }

  private String unknownVoice() {
    return emu.options.unknownVoiceId();
  }

  private Ctx open(String id) {
    FaultPlan plan = held != null ? held : emu.takeContextFault(credentials.asSent());
    held = null;
    Ctx c = new Ctx(id, plan);
    live.put(id, c);
    return c;
  }

  /** The input rules of one message (note sections 2.3 and 7.2). */
  private void apply(Ctx c, GenRequest req) {
    cancelExpiry(c);
    if (req.flush()) {
      c.rec.flush();
      flush(c);
    } else {
      c.rec.text(req.transcript());
      c.buffer.append(req.transcript());
    }
    if (!req.cont()) {
      c.inputClosed = true;
      c.rec.finished();
      cancelBufferTimer(c);
      generate(c, c.buffer.takeAll());
      submitNext(c, () -> sendDone(c));
      return;
    }
    if (req.flush()) {
      return;
    }
    if (req.maxBufferDelayMs() == 0) {
      cancelBufferTimer(c);
      generate(c, c.buffer.takeAll());
      if (emu.options.flushDoneOnEverySubmission() && !req.transcript().isEmpty()) {
        int fid = c.flushId++;
        submitNext(c, () -> sendFlushDone(c, fid));
      }
      return;
    }
    String sentences = c.buffer.takeSentences();
    if (sentences != null) {
      cancelBufferTimer(c);
      generate(c, sentences);
    }
    if (!c.buffer.isEmpty() && c.bufferTimer == null) {
      c.bufferTimer = schedule(Duration.ofMillis(req.maxBufferDelayMs()), () -> bufferElapsed(c));
    }
  }

  private void flush(Ctx c) {
    cancelBufferTimer(c);
    generate(c, c.buffer.takeAll());
    int fid = c.flushId++;
    submitNext(c, () -> sendFlushDone(c, fid));
  }

  private synchronized void bufferElapsed(Ctx c) {
    c.bufferTimer = null;
    if (over || c.stopped || c.inputClosed) {
      return;
    }
    generate(c, c.buffer.takeAll());
  }

  private void cancel(Ctx c) {
    c.cancelled = true;
    c.rec.note("cancelled", "true");
    cancelBufferTimer(c);
    cancelExpiry(c);
    c.buffer.takeAll();
    if (c.stopped || emu.options.cancelMode() == CartesiaEmulator.CancelMode.DROP) {
      // no further frame: queued audio is dropped, the chunk being sent finishes
      c.lane.cancel();
      end(c);
    } else {
      // what is generating finishes, then done
      c.inputClosed = true;
      submitNext(c, () -> sendDone(c));
    }
  }

  // ---------------------------------------------------------------- generation

  /**
   * Generates {@code text} on context {@code c}: its frames are due one after the other at the
   * profile's pace, the first no sooner than the model's first-audio delay after now and no sooner
   * than the end of the audio queued before it (a pipelined server).
   */
  private void generate(Ctx c, String text) {
    if (text.isBlank() || c.stopped) {
      return;
    }
    GenRequest g = c.first;
    OutputFormat format = g.format();
    Speech sp = Speech.of(emu.config.voice(), text, format.sampleRate(), emu.config.frameMillis());
    c.generations++;
    c.rec.note("generation." + c.generations, text);
    int fid = c.flushId;
    long origin = c.samples;
    c.samples += sp.samples;
    long now = System.nanoTime();
    Duration firstAudio = emu.firstAudio(g.modelId());
    long due = Math.max(now + firstAudio.toNanos(), c.audioEnd);
    double step = firstAudio.toNanos() / 1e6;
    int word = 0;
    for (int i = 0; i < sp.frames.size(); i++) {
      Speech.Frame f = sp.frames.get(i);
      byte[] audio = format.encodeRaw(f.pcm());
      long at = due + emu.pacer.jitter().toNanos(); // jitter per frame, not cumulative
      double stepMs = step;
      submitAt(c, at, () -> sendChunk(c, audio, fid, stepMs));
      boolean last = i == sp.frames.size() - 1;
      int to = word;
      while (to < sp.words.size() && (last || sp.words.get(to).end() <= f.end())) {
        to++;
      }
      if (to > word && (g.wordTimestamps() || g.phonemeTimestamps())) {
        List<Speech.Word> ws = sp.words.subList(word, to);
        if (g.wordTimestamps()) {
          String frame = Wire.timestamps(sp.wordTimestamps(ws, origin), c.id, fid);
          submitNext(c, () -> sendEvent(c, frame));
        }
        if (g.phonemeTimestamps()) {
          String frame = Wire.phonemeTimestamps(sp.phonemeTimestamps(ws, origin), c.id, fid);
          submitNext(c, () -> sendEvent(c, frame));
        }
      }
      word = to;
      Duration wall = emu.pacer.profile().wallTimeOf(f.duration(sp.rate));
      due += wall.toNanos();
      step = wall.toNanos() / 1e6;
    }
    c.audioEnd = due;
  }

  /** Submits {@code task} to the context's lane, due at {@code due} (System.nanoTime). */
  private void submitAt(Ctx c, long due, Runnable task) {
    long now = System.nanoTime();
    long ref = c.lane.idle() ? now : c.lastDue;
    long delay = Math.max(0, due - ref);
    c.lastDue = ref + delay;
    c.lane.submit(Duration.ofNanos(delay), task);
  }

  /** Submits {@code task} to run right after what the context's lane holds. */
  private void submitNext(Ctx c, Runnable task) {
    submitAt(c, System.nanoTime(), task);
  }

  // ---------------------------------------------------------------- frames (lane threads)

  private synchronized void sendChunk(Ctx c, byte[] audio, int flushId, double stepMs) {
    if (over || c.stopped) {
      return;
    }
    if (!c.plan.beforeAudio(new Frames(c))) {
      return;
    }
    // recorded before it is sent: a client holding the frame finds it in the record
    c.rec.audioSent(audio);
    c.plan.audioSent();
    emu.config.audioTap().writing("cartesia", audio);
    send(Wire.chunk(audio, stepMs, c.id, flushId));
    armExpiry(c);
  }

  private synchronized void sendEvent(Ctx c, String frame) {
    if (over || c.stopped) {
      return;
    }
    send(frame);
  }

  private synchronized void sendFlushDone(Ctx c, int flushId) {
    if (over || c.stopped) {
      return;
    }
    send(Wire.flushDone(c.id, flushId));
  }

  private synchronized void sendDone(Ctx c) {
    if (over || c.stopped) {
      return;
    }
    if (!c.plan.beforeCompletion(new Frames(c))) {
      return;
    }
    c.rec.completed();
    end(c);
    send(Wire.done(c.id));
    if (c.plan.closeAfterCompletion() && !c.plan.fired()) {
      c.plan.consume();
      over = true;
      stopAll();
      cancelIdle();
      session.close(1000, "", Callback.NOOP);
    }
  }

  /** Sends a text frame (with the connection's lock held). */
  private void send(String text) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    lastSend = f;
    session.sendText(text, Callback.from(() -> f.complete(null), f::completeExceptionally));
    touch();
  }

  // ---------------------------------------------------------------- ends and errors

  /** The context ends: its slot is free and later input on its id is refused. */
  private void end(Ctx c) {
    if (c.ended) {
      return;
    }
    c.ended = true;
    c.stopped = true;
    cancelBufferTimer(c);
    cancelExpiry(c);
    live.remove(c.id);
    ended.put(c.id, Boolean.TRUE);
    if (c.slot) {
      c.slot = false;
      emu.releaseSlot();
    }
  }

  /** An error frame for context {@code c}, which ends it; the socket stays open. */
  private void fail(Ctx c, ApiError e) {
    c.lane.cancel();
    end(c);
    if (!over) {
      send(e.wsFrame(version, c.id, requestId(c.id)));
    }
  }

  /** An error frame that belongs to no context (a message that does not parse). */
  private void sendConnectionError(ApiError e) {
    if (!over && session != null) {
      send(e.wsFrame(version, null, requestId("")));
    }
  }

  /** Every context ends without another frame (the connection is over). */
  private void stopAll() {
    for (Ctx c : new ArrayList<>(live.values())) {
      c.lane.cancel();
      end(c);
    }
  }

  /** The {@code request_id} of an error: {@code <connection>:<context>:<uuid>}, as in the docs. */
  private String requestId(String contextId) {
    return requestPrefix + ":" + contextId + ":" + emu.requestId();
  }

  private void recordAll(String frame) {
    for (Ctx c : live.values()) {
      c.rec.frame(frame);
    }
  }

  private static String changedFields(ObjectNode a, ObjectNode b) {
    TreeSet<String> names = new TreeSet<>();
    for (Iterator<String> i = a.fieldNames(); i.hasNext(); ) {
      names.add(i.next());
    }
    for (Iterator<String> i = b.fieldNames(); i.hasNext(); ) {
      names.add(i.next());
    }
    names.removeIf(n -> java.util.Objects.equals(a.get(n), b.get(n)));
    return String.join(",", names);
  }

  // ---------------------------------------------------------------- timers

  private ScheduledFuture<?> schedule(Duration d, Runnable task) {
    try {
      return emu.pacer.executor().schedule(task, d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // the emulator is stopping
    }
  }

  private void cancelBufferTimer(Ctx c) {
    if (c.bufferTimer != null) {
      c.bufferTimer.cancel(false);
      c.bufferTimer = null;
    }
  }

  private void armExpiry(Ctx c) {
    Duration d = emu.options.contextExpiry();
    if (d.isZero() || c.inputClosed) {
      return;
    }
    cancelExpiry(c);
    c.expiryTimer = schedule(d, () -> expire(c));
  }

  private void cancelExpiry(Ctx c) {
    if (c.expiryTimer != null) {
      c.expiryTimer.cancel(false);
      c.expiryTimer = null;
    }
  }

  /** The docs' expiry: a context whose audio has drained and that got no input expires. */
  private synchronized void expire(Ctx c) {
    c.expiryTimer = null;
    if (over || c.ended || c.inputClosed) {
      return;
    }
    if (!c.lane.idle() || !c.buffer.isEmpty()) {
      armExpiry(c);
      return;
    }
    c.rec.note("expired", "true");
    end(c);
  }

  private void touch() {
    lastActivity = System.nanoTime();
  }

  private void armIdle(Duration d) {
    idleTimer = schedule(d, this::idleCheck);
  }

  private void cancelIdle() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  /** The idle close (note section 3.5): 1000 after the idle timeout without traffic. */
  private synchronized void idleCheck() {
    idleTimer = null;
    if (over) {
      return;
    }
    long idleNanos = emu.options.idleTimeout().toNanos();
    long quiet = System.nanoTime() - lastActivity;
    boolean busy = live.values().stream().anyMatch(c -> !c.lane.idle());
    if (quiet < idleNanos || busy) {
      armIdle(Duration.ofNanos(Math.max(1_000_000L, idleNanos - quiet)));
      return;
    }
    over = true;
    for (Ctx c : live.values()) {
      c.rec.note("idle-closed", "true");
    }
    stopAll();
    session.close(1000, "idle timeout", Callback.NOOP);
  }

  // ---------------------------------------------------------------- faults

  private ScheduledExecutorService executor() {
    return emu.pacer.executor();
  }

  /** The connection is over: no frame of any context is sent any more. */
  private void kill() {
    over = true;
    stopAll();
    cancelIdle();
  }

  /**
   * Cartesia's WebSocket frames for the fault engine, for one context. Called with the connection's
   * lock held, on a lane thread (sends are asynchronous).
   */
  private final class Frames implements FaultFrames {
    private final Ctx c;

    Frames(Ctx c) {
      this.c = c;
    }

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      fail(c, ApiError.injected(kind, detail));
    }

    @Override
    public void disconnect(boolean abrupt) {
      kill();
      Session s = session;
      if (abrupt) {
        // the TCP connection drops without a close frame, once the frames before are written
        lastSend.whenComplete((v, x) -> s.disconnect());
      } else {
        s.close(1000, Fault.MESSAGE, Callback.NOOP);
      }
    }

    @Override
    public void stall() {
      // this context says nothing more; it stays live (and counted) until cancelled or closed
      c.stopped = true;
      c.lane.cancel();
      cancelBufferTimer(c);
      cancelExpiry(c);
    }

    @Override
    public boolean malformed(String detail) {
      String s = detail == null ? Fault.MESSAGE + ": this frame is not JSON" : detail;
      send("{\"type\":\"chunk\",\"data\":\"" + s);
      return true;
    }

    @Override
    public boolean oversize(int bytes) {
      int overhead = Wire.chunk(new byte[0], 0, c.id, c.flushId).length();
      int b64 = Math.max(4, bytes - overhead) / 4 * 4;
      int unit = c.first.format().bytesPerSample();
      byte[] audio = Wire.silence(c.first.format(), Math.max(unit, b64 / 4 * 3 / unit * unit));
      c.rec.audioSent(audio);
      c.plan.audioSent();
      send(Wire.chunk(audio, 0, c.id, c.flushId));
      return true;
    }

    @Override
    public boolean wrongType() {
      byte[] b = (Fault.MESSAGE + ": a binary frame").getBytes(StandardCharsets.UTF_8);
      session.sendBinary(ByteBuffer.wrap(b), Callback.NOOP);
      return true;
    }

    @Override
    public boolean closeWithReason(String reason) {
      kill();
      ErrorClose.close(session, 1008, reason, executor());
      return true;
    }

    @Override
    public boolean endlessFrame() {
      kill();
      byte[] head = "{\"type\":\"chunk\",\"data\":\"".getBytes(StandardCharsets.US_ASCII);
      endless.add(WireFaults.endlessFragments(session, false, head, (byte) 'A', executor()));
      return true;
    }

    @Override
    public boolean truncatedFrame() {
      kill();
      String frame = Wire.chunk(new byte[WireFaults.TRUNCATED_LENGTH], 0, c.id, c.flushId);
      WireFaults.truncateWebSocket(
          session, endPoint, false, frame.getBytes(StandardCharsets.US_ASCII), executor());
      return true;
    }

    @Override
    public boolean endlessAudio() {
      // this context's audio goes on without end, until it is cancelled or the client leaves
      c.stopped = true;
      c.lane.cancel();
      byte[] silence = Wire.silence(c.first.format(), 640);
      String frame = Wire.chunk(silence, 0, c.id, c.flushId);
      Session s = session;
      endless.add(
          WireFaults.repeat(
              executor(),
              () -> {
                if (!s.isOpen() || c.cancelled) {
                  return null;
                }
                CompletableFuture<Void> f = new CompletableFuture<>();
                emu.config.audioTap().writing("cartesia", silence);
                s.sendText(frame, Callback.from(() -> f.complete(null), f::completeExceptionally));
                return f;
              }));
      return true;
    }
  }
}
