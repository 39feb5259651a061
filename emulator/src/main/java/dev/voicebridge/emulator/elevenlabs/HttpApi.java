package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.FaultFrames;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.emulator.internal.WireFaults;
import dev.voicebridge.spi.conformance.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.FutureCallback;

/**
 * The HTTP side of the emulator: the text-to-speech endpoints of protocol note section 3 and the
 * single-use token endpoint. Requests are served on Jetty's threads with blocking writes (pacing
 * sleeps there too: this is a test server).
 */
final class HttpApi extends Handler.Abstract {
  private static final Pattern TTS =
      Pattern.compile("^/v1/text-to-speech/([^/]+)(/stream)?(/with-timestamps)?/?$");
  private static final Pattern TOKEN = Pattern.compile("^/v1/single-use-token/([^/]+)/?$");
  private static final List<String> FLOAT_SETTINGS =
      List.of("stability", "similarity_boost", "style", "speed");

  private final ElevenLabsEmulator emu;
  private final Random random;

  HttpApi(ElevenLabsEmulator emu) {
    this.emu = emu;
    this.random = new Random(emu.config.seed());
  }

  @Override
  public boolean handle(Request rq, Response rs, Callback cb) throws Exception {
    String path = Request.getPathInContext(rq);
    Matcher tts = TTS.matcher(path);
    Matcher token = TOKEN.matcher(path);
    boolean post = "POST".equals(rq.getMethod());
    if (path.equals(VoicesApi.PATH) && "GET".equals(rq.getMethod())) {
      VoicesApi.answer(emu, rq, rs, cb);
      return true;
    }
    if (tts.matches() && !path.endsWith("stream-input")) {
      if (!post) {
        respond(rs, cb, 405, plainDetail("Method Not Allowed"), null);
        return true;
      }
      tts(rq, rs, cb, tts.group(1), tts.group(2) != null, tts.group(3) != null);
      return true;
    }
    if (token.matches()) {
      if (!post) {
        respond(rs, cb, 405, plainDetail("Method Not Allowed"), null);
        return true;
      }
      token(rq, rs, cb, token.group(1));
      return true;
    }
    respond(rs, cb, 404, plainDetail("Not Found"), null);
    return true;
  }

  private static byte[] plainDetail(String s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("detail", s);
    return Json.bytes(o);
  }

  // ---------------------------------------------------------------- responses

  static void respond(Response rs, Callback cb, int status, byte[] body, Duration retryAfter) {
    rs.setStatus(status);
    rs.getHeaders().put("content-type", "application/json");
    if (retryAfter != null) {
      rs.getHeaders()
          .put("retry-after", String.valueOf(Math.max(0, (retryAfter.toMillis() + 999) / 1000)));
    }
    rs.write(true, ByteBuffer.wrap(body), cb);
  }

  /**
   * Refuses a handshake or a request for an injected handshake fault ({@link
   * dev.voicebridge.emulator.internal.Refusal}).
   */
  static void refuseForFault(
      Response rs, Callback cb, int status, Duration retryAfter, String detail) {
    String m = " (" + (detail == null ? Fault.MESSAGE : detail) + ")";
    byte[] body =
        switch (status) {
          case 401 -> Json.detail("invalid_api_key", "Invalid API key" + m);
          case 402 -> Json.detail("payment_required", "Payment required" + m);
          case 403 -> Json.detail("forbidden", "Forbidden" + m);
          case 404 -> Json.detail("voice_not_found", "A voice with the voice_id was not found" + m);
          case 422 ->
              Json.validationBody(
                  List.of(
                      Json.validation("value_error", List.of("body"), "Value error" + m, null)));
          case 429 ->
              Json.detail(
                  "too_many_concurrent_requests",
                  "Too many concurrent requests. Your current subscription is associated with a"
                      + " maximum of 5 concurrent requests (running in parallel)."
                      + m);
          default ->
              status >= 500
                  ? Json.detail(
                      "internal_server_error",
                      "We are sorry, something went wrong. You are not charged for this request."
                          + m)
                  : Json.detail("invalid_request", "The request was refused" + m);
        };
    respond(rs, cb, status, body, retryAfter);
  }

  private static Map<String, List<String>> headers(Request rq) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (HttpField f : rq.getHeaders()) {
      h.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(f.getValue());
    }
    return h;
  }

  private static String key(Request rq) {
    String k = rq.getHeaders().get("xi-api-key");
    if (k == null) {
      String a = rq.getHeaders().get("authorization");
      if (a != null) {
        k = WsHandshake.bearer(a);
      }
    }
    return k;
  }

  /** The 401 of a request with a missing or bad key, or null if the key is fine. */
  private byte[] authError(String key, int credits) {
    if (key == null) {
      return Json.detail(
          "needs_authorization",
          "Neither authorization header nor xi-api-key received, please provide one.");
    }
    if (key.equals(emu.options.noQuotaKey())) {
      return Json.detail(
          "quota_exceeded",
          "This request exceeds your quota of 10000. You have 0 credits remaining, while "
              + credits
              + " credits are required for this request.");
    }
    if (!key.equals(emu.config.apiKey())) {
      return Json.detail("invalid_api_key", "Invalid API key");
    }
    return null;
  }

  // ---------------------------------------------------------------- single-use token

  private void token(Request rq, Response rs, Callback cb, String type) throws IOException {
    Content.Source.asString(rq, StandardCharsets.UTF_8);
    byte[] auth = authError(key(rq), 0);
    if (auth != null) {
      respond(rs, cb, 401, auth, null);
      return;
    }
    if (!"tts_websocket".equals(type)) {
      respond(
          rs,
          cb,
          422,
          Json.validationBody(
              List.of(
                  Json.validation(
                      "enum",
                      List.of("path", "token_type"),
                      "Input should be 'realtime_scribe' or 'tts_websocket'",
                      Json.MAPPER.getNodeFactory().textNode(type)))),
          null);
      return;
    }
    String t;
    synchronized (random) {
      t = "sutkn_" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }
    emu.singleUseTokens.add(t);
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("token", t);
    respond(rs, cb, 200, Json.bytes(o), null);
  }

  // ---------------------------------------------------------------- text to speech

  private void tts(
      Request rq, Response rs, Callback cb, String voiceId, boolean stream, boolean timestamps)
      throws IOException {
    // read the body first, as a server that keeps the connection does: a refusal that leaves the
    // body unread makes Jetty close the connection the client has just pooled (and a slow answer
    // watches the connection, which needs the body read)
    String body = Content.Source.asString(rq, StandardCharsets.UTF_8);
    FaultPlan plan = FaultPlan.take(emu.control, rq.getHeaders().get("xi-api-key"));
    if (plan.answerHandshake(rq, rs, cb, HttpApi::refuseForFault)) {
      return;
    }
    int connection = emu.server.connectionId(rq);
    SessionRecorder rec = emu.control.newSession(connection, headers(rq));
    JsonNode json;
    try {
      json = body.isBlank() ? null : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    rec.frame(Json.masked(body, json));
    String text =
        json != null && json.isObject() && json.path("text").isTextual()
            ? json.get("text").asText()
            : null;
    byte[] auth = authError(key(rq), text == null ? 1 : Math.max(1, text.length()));
    if (auth != null) {
      respond(rs, cb, 401, auth, null);
      return;
    }
    Fields q = Request.extractQueryParameters(rq);
    String formatName = q.getValue("output_format");
    boolean withWav = !stream && !timestamps;
    OutputFormat format =
        OutputFormat.parse(formatName == null ? OutputFormat.DEFAULT : formatName, withWav);
    List<ObjectNode> errors = new ArrayList<>();
    if (format == null) {
      ObjectNode e =
          Json.validation(
              "enum",
              List.of("query", "output_format"),
              OutputFormat.enumMessage(withWav),
              Json.MAPPER.getNodeFactory().textNode(formatName));
      errors.add(e);
    }
    validateBody(body, json, errors);
    if (!errors.isEmpty()) {
      respond(rs, cb, 422, Json.validationBody(errors), null);
      return;
    }
    if (voiceId.equals(emu.options.unknownVoiceId())) {
      respond(
          rs,
          cb,
          404,
          Json.detail(
              "voice_not_found", "A voice with the voice_id " + voiceId + " was not found."),
          null);
      return;
    }
    if (!format.encodable()) {
      respond(
          rs,
          cb,
          400,
          Json.detail(
              "unsupported_output_format",
              "The Voicebridge emulator cannot encode " + format.name() + " (no Opus encoder)."),
          null);
      return;
    }
    if (text.isBlank()) {
      respond(rs, cb, 400, Json.detail("invalid_text", "Text must not be empty."), null);
      return;
    }
    long chars = text.codePointCount(0, text.length());
    if (chars > WsSession.MAX_GENERATION_CHARS) {
      respond(
          rs,
          cb,
          400,
          Json.detail(
              "max_character_limit_exceeded",
              WsErrors.characterLimit(WsSession.MAX_GENERATION_CHARS, chars)),
          null);
      return;
    }
    rec.text(text);
    rec.finished();
    int max = emu.options.maxConcurrentRequests();
    int now = emu.httpInFlight.incrementAndGet();
    if (now > max) {
      emu.httpInFlight.decrementAndGet();
      respond(
          rs,
          cb,
          429,
          Json.detail(
              "too_many_concurrent_requests",
              "Too many concurrent requests. Your current subscription is associated with a"
                  + " maximum of "
                  + max
                  + " concurrent requests (running in parallel). Please upgrade your"
                  + " subscription or reduce the number of concurrent requests."),
          Duration.ofSeconds(1));
      return;
    }
    try {
      rs.getHeaders().put("current-concurrent-requests", String.valueOf(now));
      rs.getHeaders().put("maximum-concurrent-requests", String.valueOf(max));
      audio(rq, rs, cb, rec, plan, format, text, stream || !timestamps, timestamps);
    } finally {
      emu.httpInFlight.decrementAndGet();
    }
  }

  private static void validateBody(String body, JsonNode json, List<ObjectNode> errors) {
    if (json == null) {
      ObjectNode e =
          Json.validation(
              "json_invalid",
              List.of("body", 0),
              "JSON decode error",
              Json.MAPPER.createObjectNode());
      ((ObjectNode) e).putObject("ctx").put("error", "Expecting value");
      errors.add(e);
      return;
    }
    if (!json.isObject()) {
      errors.add(
          Json.validation(
              "model_attributes_type",
              List.of("body"),
              "Input should be a valid dictionary or object to extract fields from",
              json));
      return;
    }
    JsonNode text = json.get("text");
    if (text == null) {
      errors.add(Json.validation("missing", List.of("body", "text"), "Field required", json));
    } else if (!text.isTextual()) {
      errors.add(
          Json.validation(
              "string_type", List.of("body", "text"), "Input should be a valid string", text));
    }
    JsonNode vs = json.get("voice_settings");
    if (vs != null && !vs.isNull()) {
      if (!vs.isObject()) {
        errors.add(
            Json.validation(
                "model_attributes_type",
                List.of("body", "voice_settings"),
                "Input should be a valid dictionary or object to extract fields from",
                vs));
      } else {
        for (String f : FLOAT_SETTINGS) {
          JsonNode v = vs.get(f);
          if (v != null && !v.isNumber()) {
            errors.add(
                Json.validation(
                    "float_type",
                    List.of("body", "voice_settings", f),
                    "Input should be a valid number",
                    v));
          }
        }
        JsonNode b = vs.get("use_speaker_boost");
        if (b != null && !b.isBoolean()) {
          errors.add(
              Json.validation(
                  "bool_type",
                  List.of("body", "voice_settings", "use_speaker_boost"),
                  "Input should be a valid boolean",
                  b));
        }
      }
    }
  }

  private String requestId() {
    synchronized (random) {
      return String.format("%016x%016x", random.nextLong(), random.nextLong()).substring(0, 20);
    }
  }

  /** Writes the audio: raw chunks, NDJSON lines, or one JSON object (non-streaming timestamps). */
  private void audio(
      Request rq,
      Response rs,
      Callback cb,
      SessionRecorder rec,
      FaultPlan plan,
      OutputFormat format,
      String text,
      boolean chunked,
      boolean timestamps) {
    EndPoint endPoint = EmulatorServer.endPoint(rq);
    int rate = format.format().sampleRate();
    Speech sp =
        Speech.of(emu.config.voice(), Speech.httpNormalized(text), rate, emu.config.frameMillis());
    AudioEncoder encoder = AudioEncoder.of(format.format(), Math.max(8, format.kbps()));
    List<Speech.Chunk> chunks = sp.encode(encoder, true, null);
    boolean alignment = emu.options.alignment();
    rs.setStatus(200);
    rs.getHeaders().put("content-type", timestamps ? "application/json" : format.contentType());
    rs.getHeaders().put("request-id", requestId());
    rs.getHeaders().put("character-cost", String.valueOf(text.length()));
    if (plan.closeAfterCompletion()) {
      rs.getHeaders().put("connection", "close");
    }
    HttpFrames frames = new HttpFrames(rs, cb, endPoint, rec, timestamps, chunked);
    try {
      if (timestamps && !chunked) {
        // the non-streaming /with-timestamps: one JSON object; a fault fires before it
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(c -> all.writeBytes(c.audio()));
        if (!plan.beforeCompletion(frames)) {
          return;
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("audio_base64", Base64.getEncoder().encodeToString(all.toByteArray()));
        o.set(
            "alignment",
            alignment ? sp.httpAlignment(0, sp.spans.size(), 0) : Json.MAPPER.nullNode());
        o.set(
            "normalized_alignment",
            alignment ? sp.httpAlignment(0, sp.spans.size(), 0) : Json.MAPPER.nullNode());
        // recorded before the last write: a client holding the whole body finds the record complete
        rec.audioSent(all.toByteArray());
        rec.completed();
        byte[] body = Json.bytes(o);
        emu.config.audioTap().writing("elevenlabs", all.toByteArray());
        write(rs, true, body);
        cb.succeeded();
        return;
      }
      Duration previous = Duration.ZERO;
      for (int i = 0; i < chunks.size(); i++) {
        Speech.Chunk c = chunks.get(i);
        sleep(emu.pacer.frameDelay(i == 0, previous));
        previous = c.duration(rate);
        byte[] data;
        if (timestamps) {
          ObjectNode o = Json.MAPPER.createObjectNode();
          o.put("audio_base64", Base64.getEncoder().encodeToString(c.audio()));
          boolean has = alignment && c.to() > c.from();
          o.set("alignment", has ? sp.httpAlignment(c.from(), c.to(), 0) : Json.MAPPER.nullNode());
          o.set(
              "normalized_alignment",
              has ? sp.httpAlignment(c.from(), c.to(), 0) : Json.MAPPER.nullNode());
          data = (Json.write(o) + "\n").getBytes(StandardCharsets.UTF_8);
        } else {
          data = c.audio();
        }
        frames.next = data;
        if (!plan.beforeAudio(frames)) {
          return;
        }
        emu.config.audioTap().writing("elevenlabs", c.audio());
        write(rs, false, data);
        rec.audioSent(c.audio());
        plan.audioSent();
        frames.last = data;
      }
      if (!plan.beforeCompletion(frames)) {
        return;
      }
      rec.completed(); // before the terminating chunk, so a client that has it sees a complete
      // record
      write(rs, true, new byte[0]);
      cb.succeeded();
    } catch (IOException | RuntimeException e) {
      cb.failed(e);
    }
  }

  /**
   * ElevenLabs' HTTP side of the fault engine. An audio body has no error frame: an error before
   * the first chunk is an error response, after it the body is cut. NDJSON lines (with-timestamps)
   * can be malformed or endless; a raw audio body cannot. Runs on the request's thread.
   */
  private final class HttpFrames implements FaultFrames {
    private final Response rs;
    private final Callback cb;
    private final EndPoint endPoint;
    private final SessionRecorder rec;
    private final boolean lines;
    private final boolean chunked;
    byte[] next = new byte[0];
    byte[] last = new byte[0];

    HttpFrames(
        Response rs,
        Callback cb,
        EndPoint endPoint,
        SessionRecorder rec,
        boolean timestamps,
        boolean chunked) {
      this.rs = rs;
      this.cb = cb;
      this.endPoint = endPoint;
      this.rec = rec;
      this.lines = timestamps && chunked;
      this.chunked = chunked;
    }

    @Override
    public void error(Fault.ErrorKind kind, String detail) {
      if (!rs.isCommitted()) {
        String[] e = WsErrors.errorOf(kind);
        int status =
            switch (kind) {
              case AUTHENTICATION, QUOTA -> 401;
              case RATE_LIMIT -> 429;
              case INVALID_REQUEST -> 400;
              case SERVER -> 500;
            };
        rs.getHeaders().remove("request-id");
        rs.getHeaders().remove("character-cost");
        respond(
            rs,
            cb,
            status,
            Json.detail(e[0], e[1] + " (" + (detail == null ? Fault.MESSAGE : detail) + ")"),
            status == 429 ? Duration.ofSeconds(1) : null);
        return;
      }
      // an error after audio: HTTP has no error frame, the body is cut
      cut();
    }

    @Override
    public void disconnect(boolean abrupt) {
      // clean or abrupt: drop the connection without the chunked terminator
      cut();
    }

    @Override
    public void stall() {
      if (!rs.isCommitted()) {
        writeUnchecked(new byte[0]);
      }
      EmulatorServer.closeWhenClientLeaves(endPoint);
      try {
        while (endPoint.isOpen() && !emu.closing.await(100, TimeUnit.MILLISECONDS)) {
          // hold the response open until the client gives up or the emulator closes
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cut();
    }

    @Override
    public boolean malformed(String detail) {
      if (!lines) {
        return false;
      }
      writeUnchecked(
          ((detail == null ? Fault.MESSAGE + ": this line is not JSON" : detail) + "\n")
              .getBytes(StandardCharsets.UTF_8));
      return true;
    }

    @Override
    public boolean oversize(int bytes) {
      if (!chunked) {
        return false;
      }
      if (lines) {
        String empty = "{\"audio_base64\":\"\",\"alignment\":null,\"normalized_alignment\":null}\n";
        int b64 = Math.max(0, bytes - empty.length()) / 4 * 4;
        byte[] audio = new byte[(b64 / 4 * 3) & ~1];
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("audio_base64", Base64.getEncoder().encodeToString(audio));
        n.putNull("alignment");
        n.putNull("normalized_alignment");
        writeUnchecked((Json.write(n) + "\n").getBytes(StandardCharsets.UTF_8));
        rec.audioSent(audio);
      } else {
        byte[] audio = new byte[bytes & ~1];
        writeUnchecked(audio);
        rec.audioSent(audio);
      }
      return true;
    }

    @Override
    public boolean endlessFrame() {
      if (!lines) {
        return false;
      }
      byte[] head = "{\"audio_base64\":\"".getBytes(StandardCharsets.US_ASCII);
      WireFaults.endlessBody(rs, head, (byte) 'A', emu.pacer.executor())
          .whenComplete((v, x) -> cb.failed(x != null ? x : new IOException(Fault.MESSAGE)));
      return true;
    }

    @Override
    public boolean truncatedFrame() {
      if (!chunked) {
        return false;
      }
      byte[] start = next.length > 0 ? next : new byte[WireFaults.TRUNCATED_WRITTEN];
      WireFaults.truncateHttp(
          rs, cb, endPoint, WireFaults.partialChunk(start, last.length > 0), emu.pacer.executor());
      return true;
    }

    @Override
    public boolean endlessAudio() {
      if (!chunked) {
        return false;
      }
      byte[] frame = last.length > 0 ? last : new byte[640];
      WireFaults.repeat(
              emu.pacer.executor(),
              () -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                emu.config.audioTap().writing("elevenlabs", frame);
                rs.write(
                    false,
                    ByteBuffer.wrap(frame),
                    Callback.from(() -> f.complete(null), f::completeExceptionally));
                return f;
              })
          .whenComplete((v, x) -> cb.failed(x != null ? x : new IOException(Fault.MESSAGE)));
      return true;
    }

    /** Drops the connection without the chunked terminator. */
    private void cut() {
      endPoint.close();
      cb.failed(new IOException(Fault.MESSAGE));
    }

    private void writeUnchecked(byte[] data) {
      try {
        write(rs, false, data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
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
