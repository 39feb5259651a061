package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.ErrorClose;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One emulated ElevenLabs WebSocket: {@code stream-input} (one generation stream) or {@code
 * multi-stream-input} (contexts). Client messages arrive on Jetty's thread; audio goes out through
 * a {@link Pacer.Lane}: the connection's for stream-input, one per context for multi-stream-input,
 * so that the contexts of one socket are generated concurrently (as the service does, up to five
 * per connection) while each context's frames stay in order. The inactivity timer runs on the
 * pacer's executor. All state is guarded by {@code this}.
 */
final class WsSession {
  static final String DEFAULT_CONTEXT = "default";

  /**
   * The most characters one generation (and one context's buffer) may hold: the largest per-request
   * limit of the WebSocket models (protocol note section 5).
   */
  static final int MAX_GENERATION_CHARS = 40_000;

  /** One generation stream: the socket of stream-input, or one context of multi-stream-input. */
  final class Ctx {
    final String id;
    final SessionRecorder recorder;
    TextBuffer buffer;
    boolean initDone;
    JsonNode voiceSettings;
    JsonNode generationConfig;
    AudioEncoder encoder;
    boolean assembledBlank = true;

    /** Where this context's frames are paced: its own lane (multi), the connection's (single). */
    final Pacer.Lane lane;

    Ctx(String id, Pacer.Lane lane) {
      this.id = id;
      this.lane = lane;
      this.recorder = emu.control.newSession(connectionId, headers);
    }
  }

  private final ElevenLabsEmulator emu;
  private final boolean multi;
  private final WsHandshake.Params params;
  private final Map<String, List<String>> headers;
  private final int connectionId;
  private final EndPoint endPoint;
  private FaultPlan plan; // multi: replaced by a new context's once spent
  private final Pacer.Lane lane;

  private Session session;
  private boolean firstSeen;
  private boolean dead;
  private boolean stalledOrFailed;
  private JsonNode connectionGenerationConfig;
  private Ctx single;
  private final Map<String, Ctx> contexts = new LinkedHashMap<>();
  private int draining;

  /** Contexts whose lane may still hold frames: open or draining, until their isFinal. */
  private final Set<Ctx> paced = new LinkedHashSet<>();

  /** close_socket was received: close 1000 once every context has sent its isFinal. */
  private boolean closeWhenDrained;

  private ScheduledFuture<?> timer;
  private boolean released;
  private CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null);
  private CompletableFuture<Void> endless;

  WsSession(
      ElevenLabsEmulator emu,
      boolean multi,
      WsHandshake.Params params,
      Map<String, List<String>> headers,
      int connectionId,
      EndPoint endPoint,
      FaultPlan plan) {
    this.emu = emu;
    this.multi = multi;
    this.params = params;
    this.headers = headers;
    this.connectionId = connectionId;
    this.endPoint = endPoint;
    this.plan = plan;
    this.lane = emu.pacer.lane();
  }

  // ---------------------------------------------------------------- Jetty events

  synchronized void opened(Session s) {
    this.session = s;
    emu.sockets.add(this);
    if (!multi) {
      single = new Ctx(null, lane);
      single.buffer = new TextBuffer(null, params.autoMode(), emu.options.enforceSchedule());
    }
    armTimer();
  }

  synchronized void closed() {
    dead = true;
    if (endless != null) {
      endless.cancel(false); // endless output stops with the connection
    }
    cancelLanes();
    cancelTimer();
    emu.sockets.remove(this);
    if (!released) {
      released = true;
      emu.server.release(endPoint);
    }
  }

  /** Stops timers and output (emulator shutdown). */
  synchronized void shutdown() {
    dead = true;
    cancelLanes();
    cancelTimer();
  }

  synchronized void binary(ByteBuffer payload) {
    recordAll("<binary frame, " + payload.remaining() + " bytes>");
    if (dead) {
      return;
    }
    fail("invalid_input_message", WsMessages.INVALID_INPUT);
  }

  synchronized void text(String raw) {
    try {
      message(raw);
    } catch (RuntimeException e) {
      // never let Jetty close with the exception's message as the reason
      fail("internal_error", "An internal error occurred while processing the message.");
    }
  }

  private void message(String raw) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(raw);
    } catch (Exception e) {
      node = null;
    }
    if (dead) {
      recordFor(node, raw);
      return;
    }
    if (node == null || !node.isObject() || !WsMessages.wellFormed(node)) {
      recordAll(Json.masked(raw, node));
      fail("invalid_input_message", WsMessages.INVALID_INPUT);
      return;
    }
    armTimer();
    if (!firstSeen) {
      firstSeen = true;
      JsonNode gc = node.get("generation_config");
      connectionGenerationConfig = gc == null || gc.isNull() ? null : gc;
      if (!authenticate(node)) {
        recordFor(node, raw);
        return;
      }
    }
    if (multi) {
      multiMessage(node, raw);
    } else {
      singleMessage(node, raw);
    }
  }

  private void recordFor(JsonNode node, String raw) {
    String masked = Json.masked(raw, node);
    if (!multi) {
      if (single != null) {
        single.recorder.frame(masked);
      }
      return;
    }
    String id = node == null ? null : WsMessages.textOrNull(node.get("context_id"));
    Ctx c = id == null ? null : contexts.get(id);
    if (c != null) {
      c.recorder.frame(masked);
    } else {
      recordAll(masked);
    }
  }

  private void recordAll(String frame) {
    if (single != null) {
      single.recorder.frame(frame);
    }
    for (Ctx c : contexts.values()) {
      c.recorder.frame(frame);
    }
  }

  private boolean authenticate(JsonNode node) {
    List<String> keys = new ArrayList<>(params.keys());
    for (String f : List.of("xi_api_key", "xi-api-key")) {
      String v = WsMessages.textOrNull(node.get(f));
      if (v != null) {
        keys.add(v);
      }
    }
    String auth = WsMessages.textOrNull(node.get("authorization"));
    if (auth != null) {
      keys.add(WsHandshake.bearer(auth));
    }
    if (keys.contains(emu.options.noQuotaKey())) {
      fail("quota_exceeded", WsErrors.QUOTA);
      return false;
    }
    if (!params.tokenValid() && !keys.contains(emu.config.apiKey())) {
      fail("invalid_api_key", "Invalid API key");
      return false;
    }
    if (params.voiceId().equals(emu.options.unknownVoiceId())) {
      fail("voice_id_does_not_exist", "A voice does not exist.");
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- stream-input

  private void singleMessage(JsonNode node, String raw) {
    Ctx ctx = single;
    ctx.recorder.frame(Json.masked(raw, node));
    if (!settingsUnchanged(ctx, node)) {
      return;
    }
    String text = WsMessages.textOrNull(node.get("text"));
    if (text != null && text.isEmpty()) {
      // end of input: flush, isFinal, close 1000
      ctx.initDone = true;
      ctx.recorder.finished();
      cancelTimer();
      generate(ctx, ctx.buffer.takeAll());
      finishContext(ctx);
      lane.submit(this::closeNormally);
      dead = true;
      return;
    }
    initIfFirst(ctx, node);
    append(ctx, text, WsMessages.flag(node, "try_trigger_generation"));
    if (WsMessages.flag(node, "flush")) {
      ctx.recorder.flush();
      generate(ctx, ctx.buffer.takeAll());
    }
  }

  // ---------------------------------------------------------------- multi-stream-input

  private void multiMessage(JsonNode node, String raw) {
    String masked = Json.masked(raw, node);
    if (WsMessages.flag(node, "close_socket")) {
      recordAll(masked);
      for (Ctx c : new ArrayList<>(contexts.values())) {
        closeContext(c);
      }
      cancelTimer();
      dead = true;
      closeWhenDrained = true;
      if (draining == 0) {
        lane.submit(this::closeNormally);
      }
      return;
    }
    String id = WsMessages.textOrNull(node.get("context_id"));
    String text = WsMessages.textOrNull(node.get("text"));
    boolean flush = WsMessages.flag(node, "flush");
    boolean close = WsMessages.flag(node, "close_context");
    JsonNode vs = node.get("voice_settings");
    if (id == null) {
      boolean keepAlive = (text == null || text.isEmpty()) && !flush && (vs == null || vs.isNull());
      if (keepAlive || close) {
        // a connection keep-alive, or close_context without an id: no context (a no-op)
        recordAll(masked);
        return;
      }
      id = DEFAULT_CONTEXT;
    }
    Ctx ctx = contexts.get(id);
    if (ctx == null) {
      if (close && text == null && !flush) {
        recordAll(masked);
        return; // closing an unknown context: nothing to do
      }
      if (contexts.size() + draining >= emu.options.maxContexts()) {
        recordAll(masked);
        fail("max_active_conversations", WsErrors.maxContexts(emu.options.maxContexts()));
        return;
      }
      takeFaultForContext();
      ctx = new Ctx(id, emu.pacer.lane());
      contexts.put(id, ctx);
      paced.add(ctx);
    }
    ctx.recorder.frame(masked);
    if (!settingsUnchanged(ctx, node)) {
      return;
    }
    initIfFirst(ctx, node);
    if (text != null && !text.isEmpty()) {
      append(ctx, text, WsMessages.flag(node, "try_trigger_generation"));
    }
    if (flush) {
      ctx.recorder.flush();
      generate(ctx, ctx.buffer.takeAll());
      if (emu.options.flushDone()) {
        String cid = ctx.id;
        ctx.lane.submit(() -> sendFlushDone(cid));
      }
    }
    if (close) {
      closeContext(ctx);
    }
  }

  private void closeContext(Ctx ctx) {
    contexts.remove(ctx.id);
    draining++;
    ctx.recorder.finished();
    ctx.buffer.discard();
    finishContext(ctx);
  }

  private void sendFlushDone(String cid) {
    synchronized (this) {
      if (stalledOrFailed || session == null || !session.isOpen()) {
        return;
      }
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("type", "flush_done");
      o.put("context_id", cid);
      o.put("status_code", 206);
      o.put("done", false);
      o.put("data", "");
      o.put("flush_done", true);
      session.sendText(Json.write(o), org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
  }

  // ---------------------------------------------------------------- shared rules

  private void initIfFirst(Ctx ctx, JsonNode node) {
    if (ctx.initDone) {
      return;
    }
    ctx.initDone = true;
    JsonNode vs = node.get("voice_settings");
    ctx.voiceSettings = vs == null || vs.isNull() ? null : vs;
    JsonNode gc = node.get("generation_config");
    ctx.generationConfig = gc == null || gc.isNull() ? null : gc;
    List<Integer> s = WsMessages.schedule(node);
    if (s == null && connectionGenerationConfig != null) {
      ObjectNode wrap = Json.MAPPER.createObjectNode();
      wrap.set("generation_config", connectionGenerationConfig);
      s = WsMessages.schedule(wrap);
    }
    if (ctx.buffer == null) {
      ctx.buffer = new TextBuffer(s, params.autoMode(), emu.options.enforceSchedule());
    } else {
      ctx.buffer.schedule(s);
    }
  }

  /** The rule of section 1.3: voice_settings (and the generation config) may not change. */
  private boolean settingsUnchanged(Ctx ctx, JsonNode node) {
    if (!ctx.initDone) {
      return true;
    }
    JsonNode vs = node.get("voice_settings");
    boolean changed = vs != null && !vs.isNull() && !vs.equals(ctx.voiceSettings);
    for (String f : List.of("generation_config", "generator_config")) {
      JsonNode gc = node.get(f);
      if (gc != null && !gc.isNull() && !gc.equals(ctx.generationConfig)) {
        changed = true;
      }
    }
    if (changed) {
      dead = true;
      cancelLanes();
      cancelTimer();
      ErrorClose.close(session, 1008, WsMessages.SETTINGS_CHANGED, emu.pacer.executor());
      return false;
    }
    return true;
  }

  private void append(Ctx ctx, String text, boolean tryTrigger) {
    if (ctx.buffer == null) {
      ctx.buffer = new TextBuffer(null, params.autoMode(), emu.options.enforceSchedule());
    }
    if (text == null || text.isEmpty()) {
      return;
    }
    if (text.isBlank() && ctx.assembledBlank) {
      return; // the init " " or a keep-alive
    }
    ctx.recorder.text(text);
    ctx.assembledBlank = Character.isWhitespace(text.charAt(text.length() - 1));
    String chunk = ctx.buffer.offer(text, tryTrigger);
    if (chunk == null && ctx.buffer.buffered() > MAX_GENERATION_CHARS) {
      // text without a place to cut keeps growing: the generation it makes would be too long
      failCharacterLimit(ctx.buffer.buffered());
      return;
    }
    generate(ctx, chunk);
  }

  // ---------------------------------------------------------------- audio

  private void generate(Ctx ctx, String chunk) {
    if (chunk == null || chunk.isBlank() || dead && stalledOrFailed) {
      return;
    }
    long chars = chunk.codePointCount(0, chunk.length());
    if (chars > MAX_GENERATION_CHARS) {
      failCharacterLimit(chars);
      return;
    }
    for (WsAudio.Frame fr : WsAudio.generate(emu, params.format(), ctx, chunk)) {
      ctx.lane.submit(fr.delay(), () -> sendAudio(ctx, fr.audio(), fr.norm(), fr.align()));
    }
  }

  private void failCharacterLimit(long chars) {
    fail("max_character_limit_exceeded", WsErrors.characterLimit(MAX_GENERATION_CHARS, chars));
  }

  /** Queues the end of a context: what the encoder held, then isFinal. */
  private void finishContext(Ctx ctx) {
    byte[] tail = ctx.encoder == null ? new byte[0] : ctx.encoder.finish();
    ctx.encoder = null;
    if (tail.length > 0) {
      ctx.lane.submit(() -> sendAudio(ctx, tail, null, null));
    }
    ctx.lane.submit(() -> sendFinal(ctx));
  }

  /** The normal end of a socket: close 1000 after everything queued before. */
  private void closeNormally() {
    synchronized (this) {
      if (stalledOrFailed || session == null || !session.isOpen()) {
        return;
      }
      stalledOrFailed = true;
      dead = true;
      cancelTimer();
      session.close(1000, "", org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
  }

  private void sendAudio(Ctx ctx, byte[] audio, ObjectNode norm, ObjectNode align) {
    synchronized (this) {
      if (session == null || !session.isOpen() || stalledOrFailed) {
        return;
      }
      if (!plan.beforeAudio(new WsFrames(this, ctx))) {
        return;
      }
      CompletableFuture<Void> sent = new CompletableFuture<>();
      lastSend = sent;
      String frame = audioFrame(ctx, Base64.getEncoder().encodeToString(audio), norm, align);
      emu.config.audioTap().writing("elevenlabs", audio);
      ctx.recorder.audioSent(audio); // recorded first: a client holding the frame finds it
      session.sendText(
          frame,
          org.eclipse.jetty.websocket.api.Callback.from(
              () -> sent.complete(null), sent::completeExceptionally));
      plan.audioSent();
      if (!dead) {
        armTimer();
      }
    }
  }

  String audioFrame(Ctx ctx, String b64, ObjectNode norm, ObjectNode align) {
    return WsAudio.frame(multi, ctx, b64, norm, align);
  }

  private void sendFinal(Ctx ctx) {
    synchronized (this) {
      if (session == null || !session.isOpen() || stalledOrFailed) {
        return;
      }
      if (!plan.beforeCompletion(new WsFrames(this, ctx))) {
        return;
      }
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("isFinal", true);
      if (multi) {
        o.put("contextId", ctx.id);
        draining--;
        paced.remove(ctx);
      }
      ctx.recorder.completed(); // recorded first: a client may look at the record on receipt
      session.sendText(Json.write(o), org.eclipse.jetty.websocket.api.Callback.NOOP);
      if (multi && closeWhenDrained && draining == 0) {
        // close_socket: "any context that was previously set to flush will wait to flush before
        // closing"; the socket closes after the last context's isFinal
        closeNormally();
        return;
      }
      if (multi && plan.closeAfterCompletion() && !plan.fired()) {
        plan.consume();
        dead = true;
        cancelLanes();
        cancelTimer();
        session.close(1000, "", org.eclipse.jetty.websocket.api.Callback.NOOP);
      }
    }
  }

  /**
   * Multi-stream: a fault injected while this socket was already open belongs to the next context
   * (the next session), not to the next handshake, which may never come while the client reuses
   * this socket. A handshake fault cannot apply to an open socket: it is left for the next one.
   */
  private void takeFaultForContext() {
    if (plan.fault() != null && !plan.fired()) {
      return;
    }
    Fault next = emu.control.takeFault();
    if (FaultPlan.isHandshakeFault(next)) {
      emu.control.inject(next);
    } else if (next != null) {
      plan = FaultPlan.of(next, credential());
    }
  }

  /** The value of the handshake's {@code xi-api-key} header, as sent. */
  private String credential() {
    List<String> v = headers.get("xi-api-key");
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  // ---------------------------------------------------------------- for WsFrames

  /** The session ends here: no frame of it is sent any more, no timer runs. */
  void stop() {
    dead = true;
    stalledOrFailed = true;
    cancelLanes();
    cancelTimer();
  }

  Session session() {
    return session;
  }

  EndPoint endPoint() {
    return endPoint;
  }

  ElevenLabsEmulator emulator() {
    return emu;
  }

  /** Completes when the frames sent so far are written. */
  CompletableFuture<Void> lastSend() {
    return lastSend;
  }

  /** Endless output that stops when the connection does. */
  void endless(CompletableFuture<Void> output) {
    this.endless = output;
  }

  /** An audio frame of about {@code bytes} bytes on the wire (silence). */
  void sendOversize(Ctx ctx, int bytes) {
    String empty = audioFrame(ctx, "", null, null);
    int b64 = Math.max(0, bytes - empty.length()) / 4 * 4;
    int decoded = (b64 / 4 * 3) & ~1;
    byte[] audio = new byte[decoded];
    session.sendText(
        audioFrame(ctx, Base64.getEncoder().encodeToString(audio), null, null),
        org.eclipse.jetty.websocket.api.Callback.NOOP);
    ctx.recorder.audioSent(audio);
    plan.audioSent();
  }

  /** Sends the vendor's error frame, then closes with 1008 (see {@link ErrorClose}). */
  void fail(String error, String message) {
    if (dead && stalledOrFailed) {
      return;
    }
    dead = true;
    stalledOrFailed = true;
    cancelLanes();
    cancelTimer();
    if (session == null) {
      return;
    }
    session.sendText(Json.wsError(error, message), org.eclipse.jetty.websocket.api.Callback.NOOP);
    ErrorClose.close(session, 1008, Json.reason(message), emu.pacer.executor());
  }

  // ---------------------------------------------------------------- inactivity

  private void armTimer() {
    cancelTimer();
    if (dead) {
      return;
    }
    long ms = params.inactivity().toMillis();
    try {
      timer = emu.pacer.executor().schedule(this::timeout, ms, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      timer = null;
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Drops every lane's pending frames; later submissions are ignored. */
  private void cancelLanes() {
    lane.cancel();
    for (Ctx c : paced) {
      c.lane.cancel();
    }
  }

  /** Whether no frame is waiting on any lane of this connection. */
  private boolean lanesIdle() {
    if (!lane.idle()) {
      return false;
    }
    for (Ctx c : paced) {
      if (!c.lane.idle()) {
        return false;
      }
    }
    return true;
  }

  private synchronized void timeout() {
    if (dead || !lanesIdle()) {
      if (!dead) {
        armTimer();
      }
      return;
    }
    fail("input_timeout_exceeded", WsErrors.inputTimeout(params.inactivity()));
  }
}
