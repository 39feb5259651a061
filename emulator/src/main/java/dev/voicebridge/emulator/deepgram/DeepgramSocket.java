package dev.voicebridge.emulator.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.LatencyProfile;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One {@code /v1/speak} WebSocket of the {@link DeepgramEmulator}: one session (one {@code
 * ServerRecord}) per connection, since a socket's voice and format are fixed at the handshake.
 * Public only because Jetty requires endpoint classes to be; not for use outside the emulator.
 *
 * <p>{@code Speak} text is buffered; each accepted {@code Flush} synthesizes the buffer and queues
 * its audio frames and its {@code Flushed} on the connection's pacer lane, in order. All state is
 * guarded by {@code this}; frames are sent while holding it, so the order of sends is the order on
 * the wire. A {@code Clear} (or a fault) moves to a new epoch: frames queued in an older one are
 * dropped.
 */
public final class DeepgramSocket implements Session.Listener.AutoDemanding {
  /** Text messages larger than this are closed with 1009 {@code BIG-0000} (INFERRED size). */
  static final int MAX_MESSAGE_BYTES = 256 * 1024;

  /** The warning a refused {@code Flush} gets. */
  static final String EXCESSIVE_FLUSH = "EXCESSIVE_FLUSH";

  static final String EXCESSIVE_FLUSH_MESSAGE =
      "Rate limit exceeded for flushes. Please try again later.";

  private final DeepgramEmulator emulator;
  private final DeepgramEmulator.Options options;
  private final int connection;
  private final Map<String, List<String>> headers;
  private final SpeakRequest speak;
  private final String requestId;
  private final FaultPlan plan;
  private final EndPoint endPoint;
  private final Pacer.Lane lane;
  private final Pacer.Timeline timeline;
  private final StringBuilder buffer = new StringBuilder();
  private final ArrayDeque<Long> flushTimes = new ArrayDeque<>();
  private final ArrayDeque<long[]> characterTimes = new ArrayDeque<>();
  private long charactersInWindow;

  private Session session;
  private SessionRecorder recorder;
  private boolean opened;
  private boolean closed; // nothing more is sent (closing, closed, or a fault took over)
  private boolean ended;
  private boolean closing; // a Close arrived; queued work drains first
  private boolean stalled;
  private int epoch;
  private int pendingFlushes;
  private int nextSequenceId;
  private int lastSequenceId = -1;
  private ScheduledFuture<?> capTimer;
  private ScheduledFuture<?> idleTimer;
  private CompletableFuture<Void> endless;

  DeepgramSocket(
      DeepgramEmulator emulator,
      int connection,
      Map<String, List<String>> headers,
      SpeakRequest speak,
      String requestId,
      FaultPlan plan,
      EndPoint endPoint) {
    this.emulator = emulator;
    this.options = emulator.options();
    this.connection = connection;
    this.headers = headers;
    this.speak = speak;
    this.requestId = requestId;
    this.plan = plan;
    this.endPoint = endPoint;
    this.lane = emulator.pacer().lane();
    this.timeline = emulator.pacer().timeline();
  }

  // ------------------------------------------------------------------ Jetty's events

  @Override
  public void onWebSocketOpen(Session s) {
    synchronized (this) {
      session = s;
      opened = true;
      recorder = emulator.control().newSession(connection, headers);
      recorder.note("request_id", requestId);
      recorder.note("model", speak.model);
      recorder.note("encoding", speak.encoding);
      recorder.note("sample_rate", Integer.toString(speak.sampleRate));
      sendText(Wire.metadata(requestId, speak.model));
      capTimer = schedule(options.sessionLimit(), this::onSessionLimit);
      armIdle();
    }
    emulator.streamOpened();
  }

  @Override
  public synchronized void onWebSocketText(String message) {
    if (recorder == null) {
      return;
    }
    recorder.frame(message);
    if (closed || closing || stalled) {
      return; // input after Close, or after a fault took the session over, is ignored
    }
    armIdle();
    if (message.length() > MAX_MESSAGE_BYTES / 4
        && message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
      errorClose(1009, Wire.BIG_0000);
      return;
    }
    JsonNode node = Wire.parseObject(message);
    String type = node == null ? null : node.path("type").asText(null);
    if (type == null) {
      errorClose(1008, Wire.DATA_0000);
      return;
    }
    switch (type) {
      case "Speak" -> speak(node.get("text"));
      case "Flush" -> {
        recorder.flush();
        flush();
      }
      case "Clear" -> clear();
      case "Close" -> {
        recorder.finished();
        close();
      }
      default -> errorClose(1008, Wire.DATA_0000);
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      synchronized (this) {
        if (recorder != null) {
          recorder.frame("<binary " + payload.remaining() + " bytes>");
        }
        if (!closed && !closing && !stalled) {
          errorClose(1003, Wire.MESSAGE_0000);
        }
      }
    } finally {
      callback.succeed();
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
  public void onWebSocketClose(int statusCode, String reason) {
    ended();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    ended();
  }

  private void ended() {
    boolean wasOpen;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      wasOpen = opened;
      stopOutput();
      if (endless != null) {
        endless.cancel(false); // endless output stops with the connection
      }
    }
    if (wasOpen) {
      emulator.streamClosed();
    }
    emulator.server().release(endPoint);
  }

  // ------------------------------------------------------------------ client messages

  private void speak(JsonNode text) {
    if (text == null || !text.isTextual()) {
      errorClose(1008, Wire.DATA_0000);
      return;
    }
    String t = text.asText();
    int characters = t.codePointCount(0, t.length());
    if (characters > options.maxSpeakCharacters()) {
      errorClose(1009, Wire.BIG_0001);
      return;
    }
    if (!charactersAllowed(characters)) {
      errorClose(1008, Wire.DATA_0001);
      return;
    }
    recorder.text(t);
    buffer.append(t);
    if (options.autoFlush()) {
      int end = lastSentenceEnd(buffer);
      if (end > 0) {
        String released = buffer.substring(0, end);
        buffer.delete(0, end);
        generate(released);
      }
    }
  }

  private void flush() {
    if (!flushAllowed()) {
      // refused: no Flushed; the text stays buffered for the next accepted Flush (INFERRED)
      sendText(Wire.warning(options.warningFields(), EXCESSIVE_FLUSH, EXCESSIVE_FLUSH_MESSAGE));
      return;
    }
    String text = buffer.toString();
    buffer.setLength(0);
    pendingFlushes++;
    generate(text);
    int ep = epoch;
    lane.submit(() -> sendFlushed(ep));
  }

  private void clear() {
    epoch++;
    lane.clear();
    buffer.setLength(0);
    pendingFlushes = 0; // the flushes the Clear dropped get no Flushed (INFERRED)
    sendText(Wire.cleared(Math.max(0, lastSequenceId)));
  }

  private void close() {
    switch (options.closeMode()) {
      case IMMEDIATE -> closeNormally();
      case DRAIN, FLUSH_AND_DRAIN -> {
        closing = true;
        if (options.closeMode() == DeepgramEmulator.CloseMode.FLUSH_AND_DRAIN) {
          generate(buffer.toString());
        }
        buffer.setLength(0);
        int ep = epoch;
        lane.submit(() -> closeAfterDrain(ep));
      }
    }
  }

  /** The end of the last sentence in {@code b} (after its {@code . ! ?}), or 0. */
  private static int lastSentenceEnd(CharSequence b) {
    for (int i = b.length() - 1; i >= 0; i--) {
      char c = b.charAt(i);
      if ((c == '.' || c == '!' || c == '?')
          && (i + 1 == b.length() || Character.isWhitespace(b.charAt(i + 1)))) {
        return i + 1;
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ limits

  private boolean flushAllowed() {
    int max = options.maxFlushesPerWindow();
    if (max == 0) {
      return true;
    }
    long now = options.clock().millis();
    long from = now - options.rateWindow().toMillis();
    while (!flushTimes.isEmpty() && flushTimes.peekFirst() <= from) {
      flushTimes.removeFirst();
    }
    if (flushTimes.size() >= max) {
      return false;
    }
    flushTimes.addLast(now);
    return true;
  }

  private boolean charactersAllowed(int n) {
    int max = options.maxCharactersPerWindow();
    if (max == 0) {
      return true;
    }
    long now = options.clock().millis();
    long from = now - options.rateWindow().toMillis();
    while (!characterTimes.isEmpty() && characterTimes.peekFirst()[0] <= from) {
      charactersInWindow -= characterTimes.removeFirst()[1];
    }
    if (charactersInWindow + n > max) {
      return false;
    }
    characterTimes.addLast(new long[] {now, n});
    charactersInWindow += n;
    return true;
  }

  // ------------------------------------------------------------------ audio

  /** Synthesizes {@code text} now and queues its audio frames on the lane. */
  private void generate(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return;
    }
    byte[] pcm = emulator.config().voice().synthesize(t, speak.voiceRate());
    AudioEncoder encoder = speak.encoder();
    LatencyProfile profile = emulator.pacer().profile();
    int frameBytes = Math.max(2, speak.sampleRate * emulator.config().frameMillis() / 1000 * 2);
    int ep = epoch;
    Duration previous = null;
    for (int off = 0; off < pcm.length; off += frameBytes) {
      int end = Math.min(pcm.length, off + frameBytes);
      byte[] payload = encoder.encode(Arrays.copyOfRange(pcm, off, end));
      Duration delay =
          timeline.delay(previous == null ? profile.firstAudio() : profile.wallTimeOf(previous));
      previous = Duration.ofNanos((end - off) * 500_000_000L / speak.sampleRate);
      lane.submit(delay, () -> sendAudio(ep, payload));
    }
  }

  /** On a pacer thread: one audio frame, unless a fault comes first. */
  private synchronized void sendAudio(int ep, byte[] payload) {
    if (closed || stalled || ep != epoch) {
      return;
    }
    if (!plan.beforeAudio(new Frames(payload)) || closed || stalled) {
      return;
    }
    recorder.audioSent(payload);
    plan.audioSent();
    emulator.config().audioTap().writing("deepgram", payload);
    session.sendBinary(ByteBuffer.wrap(payload), Callback.NOOP);
  }

  /** On a pacer thread, after a flush's audio: its {@code Flushed}. */
  private synchronized void sendFlushed(int ep) {
    if (closed || stalled || ep != epoch) {
      return;
    }
    pendingFlushes--;
    // the session's completion: every accepted flush acknowledged, nothing buffered
    boolean completes = pendingFlushes == 0 && buffer.toString().isBlank();
    if (completes && (!plan.beforeCompletion(new Frames(null)) || closed || stalled)) {
      return;
    }
    lastSequenceId = nextSequenceId++;
    if (completes) {
      recorder.completed(); // recorded first: a client may look at the record on receipt
    }
    sendText(Wire.flushed(lastSequenceId));
    if (completes) {
      if (plan.closeAfterCompletion() && !plan.fired()) {
        plan.consume();
        closeNormally();
      }
    }
  }

  private synchronized void closeAfterDrain(int ep) {
    if (!closed && ep == epoch) {
      closeNormally();
    }
  }

  // ------------------------------------------------------------------ timers

  private synchronized void onSessionLimit() {
    if (!closed) {
      errorClose(1011, Wire.NET_0003);
    }
  }

  private void armIdle() {
    Duration idle = options.idleTimeout();
    if (idle == null) {
      return;
    }
    cancel(idleTimer);
    idleTimer = schedule(idle, this::onIdle);
  }

  private synchronized void onIdle() {
    if (!closed && !stalled) {
      errorClose(1011, Wire.NET_0001);
    }
  }

  private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    try {
      return emulator
          .pacer()
          .executor()
          .schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // the emulator is stopping
    }
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  // ------------------------------------------------------------------ sending and closing

  private void sendText(String text) {
    if (session != null && session.isOpen() && !closed) {
      session.sendText(text, Callback.NOOP);
    }
  }

  /** Nothing more of this session is sent; queued frames and timers are dropped. */
  private void stopOutput() {
    closed = true;
    epoch++;
    lane.cancel();
    cancel(idleTimer);
    cancel(capTimer);
  }

  /** Close 1000 with an empty reason: the answer to {@code Close}. */
  private void closeNormally() {
    stopOutput();
    if (session != null) {
      session.close(1000, "", Callback.NOOP);
    }
  }

  /** An error close: the error frames go out first, then the close (see {@link ErrorClose}). */
  private void errorClose(int code, String reason) {
    stopOutput();
    if (session != null) {
      ErrorClose.close(session, code, reason, emulator.pacer().executor());
    }
  }

  @Override
  public String toString() {
    return "DeepgramSocket[" + requestId + ", connection " + connection + "]";
  }

  /**
   * Deepgram's WebSocket frames for the fault engine, around the audio frame {@code payload} (null
   * at the completion). Called with the socket's lock held, on a pacer lane: it never blocks.
   */
  private final class Frames implements FaultFrames {
    private final byte[] payload;

    Frames(byte[] payload) {
      this.payload = payload;
    }

    /**
     * An error is a close frame (the only error {@code /v1/speak} sends): 1011 for a server error,
     * 1008 otherwise. Echoed credentials go in a {@code Warning} first (its only JSON message for
     * problems), then the close.
     */
    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      if (detail != null) {
        sendText(
            Wire.warning(
                options.warningFields(),
                "INVALID_AUTH",
                "Invalid credentials (" + Fault.MESSAGE + "): " + detail));
      }
      errorClose(Wire.closeCode(kind), Wire.closeReason(kind));
    }

    @Override
    public void disconnect(boolean abrupt) {
      stopOutput();
      if (abrupt) {
        WireFaults.reset(endPoint);
      } else if (session != null) {
        session.close(1000, "", Callback.NOOP);
      }
    }

    @Override
    public void stall() {
      stalled = true;
      epoch++;
      lane.clear();
      cancel(idleTimer);
    }

    @Override
    public boolean malformed(String detail) {
      sendText(detail == null ? Wire.MALFORMED : Wire.MALFORMED + detail);
      return true;
    }

    @Override
    public boolean oversize(int bytes) {
      int n = Math.max(2, bytes) & ~1;
      byte[] silence = new byte[n];
      Arrays.fill(silence, speak.silence());
      recorder.audioSent(silence);
      session.sendBinary(ByteBuffer.wrap(silence), Callback.NOOP);
      return true;
    }

    /** A text frame where an audio frame was due: the next frame's audio in base64. */
    @Override
    public boolean wrongType() {
      byte[] audio = payload == null ? new byte[] {0, 0} : payload;
      sendText(Base64.getEncoder().encodeToString(audio));
      return true;
    }

    @Override
    public boolean closeWithReason(String reason) {
      errorClose(1008, reason);
      return true;
    }

    @Override
    public boolean endlessFrame() {
      stopOutput();
      Session ws = session;
      byte[] first = payload == null || payload.length == 0 ? new byte[] {0, 0} : payload;
      endless =
          WireFaults.endlessFragments(
              ws, true, first, speak.silence(), emulator.pacer().executor());
      return true;
    }

    @Override
    public boolean truncatedFrame() {
      stopOutput();
      byte[] p = new byte[WireFaults.TRUNCATED_LENGTH];
      Arrays.fill(p, speak.silence());
      if (payload != null) {
        System.arraycopy(payload, 0, p, 0, Math.min(payload.length, p.length));
      }
      WireFaults.truncateWebSocket(session, endPoint, true, p, emulator.pacer().executor());
      return true;
    }

    @Override
    public boolean endlessAudio() {
      stopOutput();
      byte[] frame =
          new byte
              [Math.max(2, speak.bytesPerSecond() * emulator.config().frameMillis() / 1000) & ~1];
      Arrays.fill(frame, speak.silence());
      Session ws = session;
      endless =
          WireFaults.repeat(
              emulator.pacer().executor(),
              () -> {
                if (!ws.isOpen()) {
                  return null;
                }
                CompletableFuture<Void> f = new CompletableFuture<>();
                emulator.config().audioTap().writing("deepgram", frame);
                ws.sendBinary(
                    ByteBuffer.wrap(frame),
                    Callback.from(() -> f.complete(null), f::completeExceptionally));
                return f;
              });
      return true;
    }
  }
}
