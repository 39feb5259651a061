package dev.voicebridge.emulator.smallest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.EmulatorControl;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket connection of the Smallest emulator. Public only because Jetty requires endpoint
 * classes to be public; not part of the API (no public constructor or methods of its own).
 *
 * <p>A <em>session</em> (one {@code ServerRecord}) runs from the first client message after the
 * previous {@code complete} to the next {@code complete}. Within it, each release of buffered text
 * (a long one cut into sentence-sized pieces) is a synthesis request with its own {@code
 * task_<uuid>} id, synthesized in order on the connection's pacer lane when the lane reaches it.
 * All state is guarded by {@code this}; frames are sent while holding it, so the order of sends is
 * the order on the wire.
 */
public final class SmallestWebSocket implements Session.Listener.AutoDemanding {
  private final SmallestEmulator emulator;
  private final EmulatorControl control;
  private final Pacer pacer;
  private final int connectionId;
  private final Map<String, List<String>> headers;
  private final Duration idleTimeout;
  private final EndPoint endPoint;
  private final String sessionId = "ws_" + UUID.randomUUID();
  private final Pacer.Lane lane;
  private final TextBuffer buffer = new TextBuffer();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private boolean pumping; // a synthesizeNext is queued on the lane
  private double lastFrameSeconds; // the audio of the last frame queued

  private Fault handshakeFault;
  private boolean firstSession = true;
  private Session session;
  private boolean closed;

  // the current session
  private SessionRecorder recorder;
  private FaultPlan plan = FaultPlan.none();
  private int outstanding;
  private boolean hadRequest;
  private String lastRequestId;
  private TtsRequest lastParams;
  private boolean stalled;
  private int epoch;

  private ScheduledFuture<?> idleTimer;
  private ScheduledFuture<?> completeTimer;
  private ScheduledFuture<?> bufferTimer;
  private CompletableFuture<Void> endless;

  SmallestWebSocket(
      SmallestEmulator emulator,
      int connectionId,
      Map<String, List<String>> headers,
      Duration idleTimeout,
      EndPoint endPoint,
      Fault handshakeFault) {
    this.emulator = emulator;
    this.control = emulator.control();
    this.pacer = emulator.pacer();
    this.connectionId = connectionId;
    this.headers = headers;
    this.idleTimeout = idleTimeout;
    this.endPoint = endPoint;
    this.handshakeFault = handshakeFault;
    this.lane = pacer.lane();
  }

  @Override
  public synchronized void onWebSocketOpen(Session s) {
    this.session = s;
    s.setIdleTimeout(idleTimeout.plusMinutes(1));
    armIdle();
  }

  @Override
  public synchronized void onWebSocketText(String message) {
    if (closed) {
      return;
    }
    armIdle();
    if (recorder == null && isIdleMessage(message)) {
      // A valid message without text outside a session (a flush or end of input on an empty
      // buffer, a keep-alive) produces nothing, so it starts no session and takes no fault: the
      // end of input a client had queued before it heard an error frame would otherwise start an
      // empty session here and steal the fault meant for the client's next session (K2).
      return;
    }
    cancel(completeTimer);
    completeTimer = null;
    if (!ensureSession()) {
      return;
    }
    recorder.frame(message);
    if (stalled) {
      return;
    }
    JsonNode node = Wire.parse(message);
    TtsRequest rq;
    try {
      if (node == null) {
        throw new BadRequest("Invalid JSON message.");
      }
      rq = TtsRequest.parse(node, true);
    } catch (BadRequest e) {
      sendText(Wire.error(emulator.options().errorShape(), e.getMessage(), 400));
      maybeScheduleComplete();
      return;
    }
    recorder.text(rq.text());
    if (rq.flush()) {
      recorder.flush();
    }
    if (!rq.continues()) {
      recorder.finished();
    }
    lastParams = rq;
    if (rq.continues() && !rq.flush()) {
      String released = buffer.append(rq.text());
      if (!released.isBlank()) {
        release(released, rq);
      }
      if (buffer.hasText() && rq.maxBufferFlushMs() > 0 && bufferTimer == null) {
        int ep = epoch;
        bufferTimer = schedule(Duration.ofMillis(rq.maxBufferFlushMs()), () -> onBufferTimer(ep));
      }
    } else {
      // what append releases at a sentence end, then the rest (append's answer was dropped once,
      // and with it every sentence but the last of a message without continue)
      String all = buffer.append(rq.text()) + buffer.drain();
      if (!all.isBlank()) {
        release(all, rq);
      }
    }
    if (!buffer.hasText()) {
      cancel(bufferTimer);
      bufferTimer = null;
    }
    maybeScheduleComplete();
  }

  @Override
  public synchronized void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      if (!closed && ensureSession()) {
        recorder.frame("<binary " + payload.remaining() + " bytes>");
        armIdle();
        sendText(
            Wire.error(
                emulator.options().errorShape(),
                "Binary messages are not supported; send JSON text.",
                400));
      }
    } finally {
      callback.succeed();
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    shutdown();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    shutdown();
  }

  /** A well-formed request whose text is blank. */
  private static boolean isIdleMessage(String message) {
    JsonNode node = Wire.parse(message);
    if (node == null) {
      return false;
    }
    try {
      return TtsRequest.parse(node, true).text().isBlank();
    } catch (BadRequest e) {
      return false;
    }
  }

  // --- sessions ---

  /** Starts a session if none is running; false if the connection is being closed. */
  private boolean ensureSession() {
    if (recorder != null) {
      return true;
    }
    recorder = control.newSession(connectionId, headers);
    outstanding = 0;
    hadRequest = false;
    stalled = false;
    // the first session gets the fault taken at the handshake, if there was one
    Fault fault = firstSession && handshakeFault != null ? handshakeFault : control.takeFault();
    plan = FaultPlan.of(fault, credential());
    firstSession = false;
    handshakeFault = null;
    if (fault instanceof Fault.HandshakeStatus hs) {
      // the connection already exists: the nearest thing to a refused handshake
      recorder.frame("<refused: " + hs.status() + ">");
      sendText(Wire.error(emulator.options().errorShape(), Fault.MESSAGE, hs.status()));
      endSession();
      closeSocket(1008, "refused");
      return false;
    }
    return true;
  }

  /** Forgets the current session (its record stays as it is). */
  private void endSession() {
    epoch++;
    lane.clear();
    pending.clear();
    pumping = false;
    buffer.drain();
    cancel(bufferTimer);
    cancel(completeTimer);
    bufferTimer = null;
    completeTimer = null;
    recorder = null;
    plan = FaultPlan.none();
    outstanding = 0;
    hadRequest = false;
  }

  /** One synthesis request: released text, its id and frames. */
  private static final class Job {
    final String requestId = "task_" + UUID.randomUUID();
    final TtsRequest rq;
    final int epoch;
    final List<byte[]> payloads = new ArrayList<>();
    final List<Double> ends = new ArrayList<>();
    final List<Speech.Word> words;
    int nextWord;

    Job(TtsRequest rq, int epoch, List<Speech.Word> words) {
      this.rq = rq;
      this.epoch = epoch;
      this.words = words;
    }
  }

  /**
   * Queues released text for synthesis. A release longer than {@link TextBuffer#MAX_CHARS} is cut
   * into sentence-sized requests ({@link TextBuffer#pieces}), and each is synthesized only when the
   * lane reaches it, after the frames of the one before: like the service, which speaks the first
   * sentence of a long message without first synthesizing all of it.
   */
  private void release(String text, TtsRequest rq) {
    List<String> pieces = TextBuffer.pieces(text.strip());
    for (int i = 0; i < pieces.size(); i++) {
      pending.add(new Pending(pieces.get(i), rq, epoch, i == 0));
      outstanding++;
    }
    hadRequest = true;
    if (!pumping) {
      pumping = true;
      lane.submit(this::synthesizeNext);
    }
  }

  /** Released text not synthesized yet. */
  private record Pending(String text, TtsRequest rq, int epoch, boolean firstOfRelease) {}

  /** On the lane: synthesizes the next pending request and queues its frames, then the next. */
  private synchronized void synthesizeNext() {
    Pending p = pending.poll();
    if (p == null || closed || p.epoch() != epoch || stalled) {
      pumping = false;
      return;
    }
    TtsRequest rq = p.rq();
    String t = p.text();
    byte[] pcm;
    try {
      pcm = Speech.render(emulator.config().voice(), t, rq.sampleRate(), rq.speed());
    } catch (RuntimeException e) {
      // the voice failed (a synthesizer behind it, say): the session ends with a server error
      sendText(Wire.error(emulator.options().errorShape(), "Synthesis failed.", 500));
      endSession();
      return;
    }
    double seconds = pcm.length / 2.0 / rq.sampleRate();
    boolean words =
        rq.wordTimestamps() && SmallestEmulator.WORD_TIMESTAMP_VOICES.contains(rq.voiceId());
    Job job = new Job(rq, epoch, words ? Speech.words(t, seconds) : List.of());
    AudioEncoder encoder = AudioEncoder.of(rq.audioFormat(), 128);
    int frameBytes =
        Math.max(2, (int) ((long) rq.sampleRate() * emulator.config().frameMillis() / 1000) * 2);
    for (int off = 0; off < pcm.length; off += frameBytes) {
      int end = Math.min(pcm.length, off + frameBytes);
      byte[] payload = encoder.encode(Arrays.copyOfRange(pcm, off, end));
      if (end == pcm.length) {
        payload = concat(payload, encoder.finish());
      }
      job.payloads.add(payload);
      job.ends.add(end / 2.0 / rq.sampleRate());
    }
    if (pcm.length == 0) {
      byte[] rest = encoder.finish();
      if (rest.length > 0) {
        job.payloads.add(rest);
        job.ends.add(0.0);
      }
    }
    lastRequestId = job.requestId;
    // a later piece of a release follows the previous piece's last frame at the audio's pace
    double previous = p.firstOfRelease() ? 0 : lastFrameSeconds;
    for (int i = 0; i < job.payloads.size(); i++) {
      int index = i;
      Duration delay =
          pacer.frameDelay(
              i == 0 && p.firstOfRelease(),
              Duration.ofNanos(Math.round((previous) * 1_000_000_000L)));
      lane.submit(delay, () -> sendFrame(job, index));
      previous = job.ends.get(i) - (i == 0 ? 0 : job.ends.get(i - 1));
    }
    lastFrameSeconds = previous;
    lane.submit(() -> jobDone(job));
    if (pending.isEmpty()) {
      pumping = false;
    } else {
      lane.submit(this::synthesizeNext);
    }
  }

  private synchronized void sendFrame(Job job, int index) {
    if (closed || job.epoch != epoch || stalled) {
      return;
    }
    byte[] payload = job.payloads.get(index);
    if (payload.length > 0) {
      FaultPlan p = plan;
      if (!p.beforeAudio(new Frames(job.requestId, job.rq, payload)) || recorder == null) {
        return;
      }
      String frame = Wire.chunk(sessionId, job.requestId, job.rq, payload);
      emulator.config().audioTap().writing("smallest", payload);
      recorder.audioSent(payload); // recorded first: a client holding the frame finds it
      sendText(frame);
      p.audioSent();
    }
    double end = index == job.payloads.size() - 1 ? Double.MAX_VALUE : job.ends.get(index);
    while (job.nextWord < job.words.size() && job.words.get(job.nextWord).start() < end) {
      sendText(Wire.word(sessionId, job.requestId, job.rq, job.words.get(job.nextWord++)));
    }
  }

  private synchronized void jobDone(Job job) {
    if (closed || job.epoch != epoch) {
      return;
    }
    while (job.nextWord < job.words.size()) {
      sendText(Wire.word(sessionId, job.requestId, job.rq, job.words.get(job.nextWord++)));
    }
    outstanding--;
    maybeScheduleComplete();
  }

  // --- complete ---

  private void maybeScheduleComplete() {
    if (recorder == null
        || !hadRequest
        || outstanding > 0
        || buffer.hasText()
        || stalled
        || closed) {
      return;
    }
    if (plan.endlessAudioDue()) {
      // right after the session's audio, not after the complete back-off
      plan.beforeCompletion(new Frames(lastRequestId, lastParams, new byte[0]));
      return;
    }
    cancel(completeTimer);
    Duration backoff = emulator.options().completeBackoffOverride();
    if (backoff == null) {
      backoff = Duration.ofMillis(lastParams.completeBackoffOrDefault());
    }
    int ep = epoch;
    completeTimer = schedule(backoff, () -> onCompleteTimer(ep));
  }

  private synchronized void onCompleteTimer(int ep) {
    if (closed || ep != epoch || recorder == null || outstanding > 0 || stalled) {
      return;
    }
    completeTimer = null;
    // a fault due after more frames than the session had happens now, instead of or before complete
    byte[] silence = HttpRoutes.silence(lastParams.audioFormat(), 2);
    if (!plan.beforeCompletion(new Frames(lastRequestId, lastParams, silence))
        || recorder == null) {
      return;
    }
    recorder.completed(); // recorded first: a client may look at the record on receipt
    sendText(Wire.complete(sessionId, lastRequestId, emulator.options().legacyComplete()));
    boolean close = emulator.options().closeAfterComplete() || plan.closeAfterCompletion();
    endSession();
    if (close) {
      closeSocket(1000, "complete");
    }
  }

  // --- timers ---

  private synchronized void onBufferTimer(int ep) {
    if (closed || ep != epoch || stalled) {
      return;
    }
    bufferTimer = null;
    String all = buffer.drain();
    if (!all.isBlank() && lastParams != null) {
      release(all, lastParams);
    }
    maybeScheduleComplete();
  }

  private void armIdle() {
    cancel(idleTimer);
    idleTimer = schedule(idleTimeout, this::onIdle);
  }

  private synchronized void onIdle() {
    if (closed) {
      return;
    }
    long ms = idleTimeout.toMillis();
    String n = ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    sendText(
        Wire.error(
            emulator.options().errorShape(),
            "Connection timed out after " + n + " seconds of inactivity",
            408));
    endSession();
    closeSocket(1000, "timeout");
  }

  private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    try {
      return pacer.executor().schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  // --- sending and closing ---

  private void sendText(String text) {
    if (session != null && session.isOpen() && !closed) {
      session.sendText(text, Callback.NOOP);
    }
  }

  private void closeSocket(int code, String reason) {
    closed = true;
    lane.cancel();
    cancel(idleTimer);
    if (session != null) {
      ErrorClose.close(session, code, reason, pacer.executor());
    }
  }

  private void shutdown() {
    synchronized (this) {
      closed = true;
      if (endless != null) {
        endless.cancel(false); // endless output stops with the connection
      }
      lane.cancel();
      cancel(idleTimer);
      cancel(completeTimer);
      cancel(bufferTimer);
    }
    emulator.server().release(endPoint);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (b.length == 0) {
      return a;
    }
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public String toString() {
    return "SmallestWebSocket[" + sessionId + ", connection " + connectionId + "]";
  }

  /** The value of the handshake's {@code Authorization} header, as sent. */
  private String credential() {
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase("authorization") && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return null;
  }

  /** Ends the connection's output for good (the fault ends it; client input is ignored). */
  private void silence() {
    closed = true;
    lane.cancel();
    cancel(idleTimer);
    cancel(completeTimer);
    cancel(bufferTimer);
  }

  /**
   * Smallest's WebSocket frames for the fault engine, around the audio frame {@code payload} of
   * request {@code requestId}. Called with the connection's lock held.
   */
  private final class Frames implements FaultFrames {
    private final String requestId;
    private final TtsRequest rq;
    private final byte[] payload;

    Frames(String requestId, TtsRequest rq, byte[] payload) {
      this.requestId = requestId;
      this.rq = rq;
      this.payload = payload;
    }

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      sendText(
          Wire.error(
              emulator.options().errorShape(),
              detail == null ? Fault.MESSAGE : detail,
              Wire.code(kind)));
      endSession();
    }

    @Override
    public void disconnect(boolean abrupt) {
      endSession();
      if (abrupt) {
        closed = true;
        lane.cancel();
        WireFaults.reset(endPoint);
      } else {
        closeSocket(1000, "");
      }
    }

    @Override
    public void stall() {
      stalled = true;
      lane.clear();
      pending.clear();
      pumping = false;
      cancel(completeTimer);
      cancel(bufferTimer);
      completeTimer = null;
      bufferTimer = null;
    }

    @Override
    public boolean malformed(String detail) {
      sendText(detail == null ? Wire.MALFORMED : Wire.MALFORMED + detail);
      return true;
    }

    @Override
    public boolean oversize(int bytes) {
      int overhead = Wire.chunkOverhead(sessionId, requestId, rq);
      byte[] silence =
          HttpRoutes.silence(rq.audioFormat(), Math.max(2, (bytes - overhead) / 4 * 3) & ~1);
      sendText(Wire.chunk(sessionId, requestId, rq, silence));
      recorder.audioSent(silence);
      plan.audioSent();
      return true;
    }

    @Override
    public boolean wrongType() {
      if (session != null && session.isOpen()) {
        session.sendBinary(
            ByteBuffer.wrap(payload.length > 0 ? payload : new byte[] {0, 0}), Callback.NOOP);
      }
      return true;
    }

    @Override
    public boolean closeWithReason(String reason) {
      endSession();
      closeSocket(1008, reason);
      return true;
    }

    @Override
    public boolean endlessFrame() {
      endSession();
      silence();
      byte[] head = Wire.MALFORMED.getBytes(StandardCharsets.US_ASCII);
      endless = WireFaults.endlessFragments(session, false, head, (byte) 'A', pacer.executor());
      return true;
    }

    @Override
    public boolean truncatedFrame() {
      endSession();
      silence();
      byte[] frame = Wire.chunk(sessionId, requestId, rq, payload).getBytes(StandardCharsets.UTF_8);
      WireFaults.truncateWebSocket(session, endPoint, false, frame, pacer.executor());
      return true;
    }

    @Override
    public boolean endlessAudio() {
      endSession();
      silence();
      byte[] pcm = HttpRoutes.silence(rq.audioFormat(), 2 * rq.sampleRate() / 50);
      String frame = Wire.chunk(sessionId, requestId, rq, pcm);
      Session ws = session;
      endless =
          WireFaults.repeat(
              pacer.executor(),
              () -> {
                if (ws == null || !ws.isOpen()) {
                  return null;
                }
                CompletableFuture<Void> f = new CompletableFuture<>();
                emulator.config().audioTap().writing("smallest", pcm);
                ws.sendText(frame, Callback.from(() -> f.complete(null), f::completeExceptionally));
                return f;
              });
      return true;
    }
  }
}
