package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.ErrorClose;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;

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
  static final String SETTINGS_CHANGED =
      "voice_settings field must be provided in the first message and then either be not provided"
          + " or not change.";
  static final String INVALID_INPUT =
      "Could not parse input message, make sure it is a json and follows the schema outlined in"
          + " protocol.";

  /** The handshake's query parameters and credentials. */
  record Params(
      String voiceId,
      String modelId,
      OutputFormat format,
      Duration inactivity,
      boolean autoMode,
      boolean syncAlignment,
      List<String> keys,
      boolean tokenValid,
      boolean tokenGiven) {}

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
  private final Params params;
  private final Map<String, List<String>> headers;
  private final int connectionId;
  private final EndPoint endPoint;
  private Fault fault; // multi: replaced by a new context once spent
  private final Pacer.Lane lane;

  private Session session;
  private boolean firstSeen;
  private boolean dead;
  private boolean faultFired;
  private boolean stalledOrFailed;
  private int framesSent;
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

  private WsSession(
      ElevenLabsEmulator emu,
      boolean multi,
      Params params,
      Map<String, List<String>> headers,
      int connectionId,
      EndPoint endPoint,
      Fault fault) {
    this.emu = emu;
    this.multi = multi;
    this.params = params;
    this.headers = headers;
    this.connectionId = connectionId;
    this.endPoint = endPoint;
    this.fault = fault;
    this.lane = emu.pacer.lane();
  }

  // ---------------------------------------------------------------- handshake

  /** The WebSocket creator of both endpoints: refuses the handshake or returns the endpoint. */
  static Object create(
      ElevenLabsEmulator emu,
      ServerUpgradeRequest rq,
      ServerUpgradeResponse rs,
      Callback cb,
      boolean multi) {
    String[] path = rq.getHttpURI().getPath().split("/");
    String voiceId = path.length > 3 ? path[3] : "";
    Fields q = Request.extractQueryParameters(rq);
    Fault fault = emu.control.takeFault();
    if (fault instanceof Fault.HandshakeStatus hs) {
      HttpApi.refuseForFault(rs, cb, hs.status(), hs.retryAfter());
      return null;
    }
    String model = q.getValue("model_id");
    if ("eleven_v3".equals(model)) {
      HttpApi.respond(
          rs,
          cb,
          403,
          Json.detail(
              "unsupported_model",
              "eleven_v3 is not available on the WebSocket endpoints; use the text-to-dialogue"
                  + " WebSocket or the HTTP endpoints."),
          null);
      return null;
    }
    String formatName = q.getValue("output_format");
    OutputFormat format =
        OutputFormat.parse(formatName == null ? OutputFormat.DEFAULT : formatName, false);
    if (format == null) {
      HttpApi.respond(
          rs,
          cb,
          403,
          Json.detail(
              "invalid_output_format",
              "Invalid output_format '"
                  + formatName
                  + "'. "
                  + OutputFormat.enumMessage(false)
                  + "."),
          null);
      return null;
    }
    if (!format.encodable()) {
      HttpApi.respond(
          rs,
          cb,
          403,
          Json.detail(
              "unsupported_output_format",
              "The Voicebridge emulator cannot encode " + format.name() + " (no Opus encoder)."),
          null);
      return null;
    }
    Duration inactivity = emu.options.defaultInactivity();
    String bad = null;
    String it = q.getValue("inactivity_timeout");
    if (it != null) {
      try {
        int s = Integer.parseInt(it.trim());
        inactivity = Duration.ofSeconds(Math.max(1, Math.min(180, s)));
      } catch (NumberFormatException e) {
        bad = "inactivity_timeout";
      }
    }
    Boolean autoMode = bool(q.getValue("auto_mode"));
    Boolean sync = bool(q.getValue("sync_alignment"));
    for (String b : List.of("enable_ssml_parsing", "enable_logging")) {
      if (bool(q.getValue(b)) == null) {
        bad = b;
      }
    }
    if (autoMode == null) {
      bad = "auto_mode";
    }
    if (sync == null) {
      bad = "sync_alignment";
    }
    String norm = q.getValue("apply_text_normalization");
    if (norm != null && !List.of("auto", "on", "off").contains(norm)) {
      bad = "apply_text_normalization";
    }
    String seed = q.getValue("seed");
    if (seed != null) {
      try {
        long v = Long.parseLong(seed.trim());
        if (v < 0 || v > 4294967295L) {
          bad = "seed";
        }
      } catch (NumberFormatException e) {
        bad = "seed";
      }
    }
    if (bad != null) {
      HttpApi.respond(
          rs,
          cb,
          403,
          Json.detail("invalid_request", "Invalid query parameter " + bad + "."),
          null);
      return null;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField f : rq.getHeaders()) {
      headers
          .computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(f.getValue());
    }
    List<String> keys = new ArrayList<>();
    String headerKey = rq.getHeaders().get("xi-api-key");
    if (headerKey != null) {
      keys.add(headerKey);
    }
    String authHeader = rq.getHeaders().get("authorization");
    if (authHeader != null) {
      keys.add(bearer(authHeader));
    }
    String queryAuth = q.getValue("authorization");
    if (queryAuth != null) {
      keys.add(bearer(queryAuth));
    }
    String token = q.getValue("single_use_token");
    boolean tokenValid = token != null && emu.singleUseTokens.remove(token);
    Params params =
        new Params(
            voiceId, model, format, inactivity, autoMode, sync, keys, tokenValid, token != null);
    WsSession s =
        new WsSession(
            emu,
            multi,
            params,
            headers,
            emu.server.connectionId(rq),
            EmulatorServer.endPoint(rq),
            fault);
    return new ElevenLabsSocket(s);
  }

  private static Boolean bool(String v) {
    if (v == null) {
      return Boolean.FALSE;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> Boolean.TRUE;
      case "false", "0", "no", "off" -> Boolean.FALSE;
      default -> null;
    };
  }

  static String bearer(String v) {
    String s = v.trim();
    return s.regionMatches(true, 0, "Bearer ", 0, 7) ? s.substring(7).trim() : s;
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
    fail("invalid_input_message", INVALID_INPUT);
  }

  synchronized void text(String raw) {
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
    if (node == null || !node.isObject() || !wellFormed(node)) {
      recordAll(Json.masked(raw, node));
      fail("invalid_input_message", INVALID_INPUT);
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
    String id = node == null ? null : textOrNull(node.get("context_id"));
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

  private static boolean wellFormed(JsonNode n) {
    for (String f : List.of("text", "context_id", "xi_api_key", "xi-api-key", "authorization")) {
      JsonNode v = n.get(f);
      if (v != null && !v.isNull() && !v.isTextual()) {
        return false;
      }
    }
    for (String f : List.of("flush", "try_trigger_generation", "close_context", "close_socket")) {
      JsonNode v = n.get(f);
      if (v != null && !v.isNull() && !v.isBoolean()) {
        return false;
      }
    }
    for (String f : List.of("voice_settings", "generation_config", "generator_config")) {
      JsonNode v = n.get(f);
      if (v != null && !v.isNull() && !v.isObject()) {
        return false;
      }
    }
    return schedule(n) != null || !hasSchedule(n);
  }

  private static boolean hasSchedule(JsonNode n) {
    JsonNode gc = n.get("generation_config");
    return gc != null && gc.isObject() && gc.has("chunk_length_schedule");
  }

  /** The node's valid chunk_length_schedule, or null (absent or invalid). */
  private static List<Integer> schedule(JsonNode n) {
    if (n == null || !hasSchedule(n)) {
      return null;
    }
    JsonNode s = n.get("generation_config").get("chunk_length_schedule");
    if (!s.isArray() || s.isEmpty()) {
      return null;
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode v : s) {
      if (!v.isNumber() || v.asDouble() < 50 || v.asDouble() > 500) {
        return null;
      }
      out.add((int) Math.round(v.asDouble()));
    }
    return out;
  }

  private static String textOrNull(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  private static boolean flag(JsonNode n, String f) {
    JsonNode v = n.get(f);
    return v != null && v.asBoolean(false);
  }

  private boolean authenticate(JsonNode node) {
    List<String> keys = new ArrayList<>(params.keys());
    for (String f : List.of("xi_api_key", "xi-api-key")) {
      String v = textOrNull(node.get(f));
      if (v != null) {
        keys.add(v);
      }
    }
    String auth = textOrNull(node.get("authorization"));
    if (auth != null) {
      keys.add(bearer(auth));
    }
    if (keys.contains(emu.options.noQuotaKey())) {
      fail(
          "quota_exceeded",
          "This request exceeds your quota of 10000. You have 0 credits remaining, while 1 credits"
              + " are required for this request.");
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
    String text = textOrNull(node.get("text"));
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
    append(ctx, text, flag(node, "try_trigger_generation"));
    if (flag(node, "flush")) {
      ctx.recorder.flush();
      generate(ctx, ctx.buffer.takeAll());
    }
  }

  // ---------------------------------------------------------------- multi-stream-input

  private void multiMessage(JsonNode node, String raw) {
    String masked = Json.masked(raw, node);
    if (flag(node, "close_socket")) {
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
    String id = textOrNull(node.get("context_id"));
    String text = textOrNull(node.get("text"));
    boolean flush = flag(node, "flush");
    boolean close = flag(node, "close_context");
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
        fail(
            "max_active_conversations",
            "Maximum simultaneous contexts per WebSocket connection exceeded ("
                + emu.options.maxContexts()
                + "). Please close an existing context before opening a new one.");
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
      append(ctx, text, flag(node, "try_trigger_generation"));
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
    List<Integer> s = schedule(node);
    if (s == null && connectionGenerationConfig != null) {
      ObjectNode wrap = Json.MAPPER.createObjectNode();
      wrap.set("generation_config", connectionGenerationConfig);
      s = schedule(wrap);
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
      ErrorClose.close(session, 1008, SETTINGS_CHANGED, emu.pacer.executor());
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
    generate(ctx, ctx.buffer.offer(text, tryTrigger));
  }

  // ---------------------------------------------------------------- audio

  private void generate(Ctx ctx, String chunk) {
    if (chunk == null || chunk.isBlank()) {
      return;
    }
    OutputFormat f = params.format();
    int rate = f.format().sampleRate();
    Speech sp =
        Speech.of(emu.config.voice(), Speech.wsNormalized(chunk), rate, emu.config.frameMillis());
    if (ctx.encoder == null) {
      ctx.encoder = AudioEncoder.of(f.format(), Math.max(8, f.kbps()));
    }
    boolean[] finished = new boolean[1];
    List<Speech.Chunk> chunks = sp.encode(ctx.encoder, false, finished);
    if (finished[0]) {
      ctx.encoder = null;
    }
    Duration previous = Duration.ZERO;
    boolean first = true;
    for (Speech.Chunk c : chunks) {
      ObjectNode norm = null;
      ObjectNode align = null;
      if (emu.options.alignment() && c.to() > c.from()) {
        norm = sp.wsNormalizedAlignment(c.from(), c.to(), c.origin());
        align = sp.wsTextAlignment(c.from(), c.to(), c.origin());
      }
      Duration delay = emu.pacer.frameDelay(first, previous);
      first = false;
      previous = c.duration(rate);
      byte[] audio = c.audio();
      ObjectNode n = norm;
      ObjectNode a = align;
      ctx.lane.submit(delay, () -> sendAudio(ctx, audio, n, a));
    }
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
      if (fireFaultIfDue(ctx, false)) {
        return;
      }
      CompletableFuture<Void> sent = new CompletableFuture<>();
      lastSend = sent;
      String frame = audioFrame(ctx, Base64.getEncoder().encodeToString(audio), norm, align);
      emu.config.audioTap().writing("elevenlabs", audio);
      session.sendText(
          frame,
          org.eclipse.jetty.websocket.api.Callback.from(
              () -> sent.complete(null), sent::completeExceptionally));
      ctx.recorder.audioSent(audio);
      framesSent++;
      if (!dead) {
        armTimer();
      }
    }
  }

  private String audioFrame(Ctx ctx, String b64, ObjectNode norm, ObjectNode align) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("audio", b64);
    if (!multi) {
      o.putNull("isFinal");
    }
    o.set("normalizedAlignment", norm == null ? Json.MAPPER.nullNode() : norm);
    o.set("alignment", align == null ? Json.MAPPER.nullNode() : align);
    if (multi) {
      o.put("contextId", ctx.id);
    }
    return Json.write(o);
  }

  private void sendFinal(Ctx ctx) {
    synchronized (this) {
      if (session == null || !session.isOpen() || stalledOrFailed) {
        return;
      }
      if (fireFaultIfDue(ctx, true)) {
        return;
      }
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("isFinal", true);
      if (multi) {
        o.put("contextId", ctx.id);
        draining--;
        paced.remove(ctx);
      }
      session.sendText(Json.write(o), org.eclipse.jetty.websocket.api.Callback.NOOP);
      ctx.recorder.completed();
      if (multi && closeWhenDrained && draining == 0) {
        // close_socket: "any context that was previously set to flush will wait to flush before
        // closing"; the socket closes after the last context's isFinal
        closeNormally();
        return;
      }
      if (multi && fault instanceof Fault.CloseAfterCompletion && !faultFired) {
        faultFired = true;
        dead = true;
        cancelLanes();
        cancelTimer();
        session.close(1000, "", org.eclipse.jetty.websocket.api.Callback.NOOP);
      }
    }
  }

  /**
   * Fires the injected fault when its frame count is reached (or at the end of the stream).
   *
   * @return true if nothing more may be sent
   */
  private boolean fireFaultIfDue(Ctx ctx, boolean atFinal) {
    if (fault == null || faultFired) {
      return false;
    }
    int after = afterChunks(fault);
    if (after < 0 || (!atFinal && framesSent < after)) {
      return false;
    }
    faultFired = true;
    if (fault instanceof Fault.ErrorFrame f) {
      String[] e = errorOf(f.kind());
      fail(e[0], e[1] + " (" + Fault.MESSAGE + ")");
      stalledOrFailed = true;
      return true;
    }
    if (fault instanceof Fault.Disconnect f) {
      stop();
      if (f.abrupt()) {
        // drop the connection without a close frame, once the frames before are written
        Session ss = session;
        lastSend.whenComplete((v, x) -> ss.disconnect());
      } else {
        session.close(1000, "", org.eclipse.jetty.websocket.api.Callback.NOOP);
      }
      return true;
    }
    if (fault instanceof Fault.Stall) {
      stop();
      return true;
    }
    if (fault instanceof Fault.MalformedFrame) {
      session.sendText(
          "{\"audio\": \"" + Fault.MESSAGE + ": this frame is not JSON",
          org.eclipse.jetty.websocket.api.Callback.NOOP);
    } else if (fault instanceof Fault.OversizeFrame f) {
      sendOversize(ctx, f.bytes());
    } else if (fault instanceof Fault.WrongFrameType) {
      session.sendBinary(
          ByteBuffer.wrap((Fault.MESSAGE + ": a binary frame").getBytes(StandardCharsets.UTF_8)),
          org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
    return false;
  }

  /**
   * Multi-stream: a fault injected while this socket was already open belongs to the next context
   * (the next session), not to the next handshake, which may never come while the client reuses
   * this socket. A handshake status cannot apply to an open socket: it is left for the next one.
   */
  private void takeFaultForContext() {
    if (fault != null && !faultFired) {
      return;
    }
    Fault next = emu.control.takeFault();
    if (next instanceof Fault.HandshakeStatus) {
      emu.control.inject(next);
    } else if (next != null) {
      fault = next;
      faultFired = false;
      framesSent = 0;
    }
  }

  /** The audio frames to send before a fault, or -1 for faults without a count. */
  static int afterChunks(Fault f) {
    if (f instanceof Fault.ErrorFrame x) {
      return x.afterChunks();
    }
    if (f instanceof Fault.Disconnect x) {
      return x.afterChunks();
    }
    if (f instanceof Fault.Stall x) {
      return x.afterChunks();
    }
    if (f instanceof Fault.MalformedFrame x) {
      return x.afterChunks();
    }
    if (f instanceof Fault.OversizeFrame x) {
      return x.afterChunks();
    }
    if (f instanceof Fault.WrongFrameType x) {
      return x.afterChunks();
    }
    return -1;
  }

  private void stop() {
    dead = true;
    stalledOrFailed = true;
    cancelLanes();
    cancelTimer();
  }

  private void sendOversize(Ctx ctx, int bytes) {
    String empty = audioFrame(ctx, "", null, null);
    int b64 = Math.max(0, bytes - empty.length()) / 4 * 4;
    int decoded = (b64 / 4 * 3) & ~1;
    byte[] audio = new byte[decoded];
    session.sendText(
        audioFrame(ctx, Base64.getEncoder().encodeToString(audio), null, null),
        org.eclipse.jetty.websocket.api.Callback.NOOP);
    ctx.recorder.audioSent(audio);
    framesSent++;
  }

  /** The error code and message of a fault's kind. */
  static String[] errorOf(Fault.ErrorKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> new String[] {"invalid_api_key", "Invalid API key"};
      case QUOTA ->
          new String[] {
            "quota_exceeded",
            "This request exceeds your quota of 10000. You have 0 credits remaining, while 91"
                + " credits are required for this request."
          };
      case RATE_LIMIT ->
          new String[] {
            "too_many_concurrent_requests",
            "Too many concurrent requests. Your current subscription is associated with a maximum"
                + " of 5 concurrent requests (running in parallel)."
          };
      case INVALID_REQUEST -> new String[] {"invalid_request", "The request was invalid."};
      case SERVER ->
          new String[] {
            "internal_error",
            "We are sorry, something went wrong. You are not charged for this request."
          };
    };
  }

  /** Sends the vendor's error frame, then closes with 1008 (see {@link ErrorClose}). */
  private void fail(String error, String message) {
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
    long ms = params.inactivity().toMillis();
    String secs = ms % 1000 == 0 ? (ms / 1000) + ".0" : String.valueOf(ms / 1000.0);
    fail(
        "input_timeout_exceeded",
        "Have not received a new text input within the timeout of "
            + secs
            + " seconds. Streaming input terminated. Please make sure to either feed the input in"
            + " the timely manner, or to send the end of input text (empty string \"\") when"
            + " done.");
  }
}
