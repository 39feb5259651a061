package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.spi.conformance.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

  /** Refuses a handshake or a request for an injected {@code HandshakeStatus}. */
  static void refuseForFault(Response rs, Callback cb, int status, Duration retryAfter) {
    String m = " (" + Fault.MESSAGE + ")";
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
        k = WsSession.bearer(a);
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
    Fault fault = emu.control.takeFault();
    if (fault instanceof Fault.HandshakeStatus hs) {
      // read the body first, as a server that keeps the connection does: a refusal that leaves
      // the body unread makes Jetty close the connection the client has just pooled
      Content.Source.consumeAll(rq);
      refuseForFault(rs, cb, hs.status(), hs.retryAfter());
      return;
    }
    int connection = emu.server.connectionId(rq);
    SessionRecorder rec = emu.control.newSession(connection, headers(rq));
    String body = Content.Source.asString(rq, StandardCharsets.UTF_8);
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
      audio(rq, rs, cb, rec, fault, format, text, stream || !timestamps, timestamps);
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
      Fault fault,
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
    if (fault instanceof Fault.CloseAfterCompletion) {
      rs.getHeaders().put("connection", "close");
    }
    try {
      if (timestamps && !chunked) {
        // the non-streaming /with-timestamps: one JSON object
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(c -> all.writeBytes(c.audio()));
        if (faultBefore(fault, 0, rs, cb, endPoint, true)) {
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
      int sent = 0;
      for (int i = 0; i < chunks.size(); i++) {
        Speech.Chunk c = chunks.get(i);
        sleep(emu.pacer.frameDelay(i == 0, previous));
        previous = c.duration(rate);
        if (faultBefore(fault, sent, rs, cb, endPoint, false)) {
          return;
        }
        if (sent == afterChunks(fault)) {
          extraFrame(fault, rs, rec, timestamps);
        }
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
        emu.config.audioTap().writing("elevenlabs", c.audio());
        write(rs, false, data);
        rec.audioSent(c.audio());
        sent++;
      }
      if (faultBefore(fault, Integer.MAX_VALUE, rs, cb, endPoint, false)) {
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

  private static int afterChunks(Fault fault) {
    return fault instanceof Fault.MalformedFrame || fault instanceof Fault.OversizeFrame
        ? WsSession.afterChunks(fault)
        : -1;
  }

  /** The non-terminal faults: a line that is not JSON, an oversize chunk. */
  private void extraFrame(Fault fault, Response rs, SessionRecorder rec, boolean timestamps)
      throws IOException {
    if (fault instanceof Fault.MalformedFrame && timestamps) {
      write(
          rs,
          false,
          (Fault.MESSAGE + ": this line is not JSON\n").getBytes(StandardCharsets.UTF_8));
    } else if (fault instanceof Fault.OversizeFrame o) {
      if (timestamps) {
        String empty = "{\"audio_base64\":\"\",\"alignment\":null,\"normalized_alignment\":null}\n";
        int b64 = Math.max(0, o.bytes() - empty.length()) / 4 * 4;
        byte[] audio = new byte[(b64 / 4 * 3) & ~1];
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("audio_base64", Base64.getEncoder().encodeToString(audio));
        n.putNull("alignment");
        n.putNull("normalized_alignment");
        write(rs, false, (Json.write(n) + "\n").getBytes(StandardCharsets.UTF_8));
        rec.audioSent(audio);
      } else {
        byte[] audio = new byte[o.bytes() & ~1];
        write(rs, false, audio);
        rec.audioSent(audio);
      }
    }
  }

  /**
   * Applies a terminal fault due before chunk {@code sent} ({@code Integer.MAX_VALUE}: at the end).
   *
   * @return true if the response is over
   */
  private boolean faultBefore(
      Fault fault, int sent, Response rs, Callback cb, EndPoint endPoint, boolean single)
      throws IOException {
    boolean terminal =
        fault instanceof Fault.ErrorFrame
            || fault instanceof Fault.Disconnect
            || fault instanceof Fault.Stall;
    int after = terminal ? WsSession.afterChunks(fault) : -1;
    if (after < 0 || (sent < after && !single)) {
      return false;
    }
    if (fault instanceof Fault.ErrorFrame f && !rs.isCommitted()) {
      String[] e = WsSession.errorOf(f.kind());
      int status =
          switch (f.kind()) {
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
          Json.detail(e[0], e[1] + " (" + Fault.MESSAGE + ")"),
          status == 429 ? Duration.ofSeconds(1) : null);
      return true;
    }
    if (fault instanceof Fault.Stall) {
      if (!rs.isCommitted()) {
        write(rs, false, new byte[0]);
      }
      EmulatorServer.closeWhenClientLeaves(endPoint);
      try {
        while (endPoint.isOpen() && !emu.closing.await(100, TimeUnit.MILLISECONDS)) {
          // hold the response open until the client gives up or the emulator closes
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // ErrorFrame after audio (HTTP has no error frame), Disconnect (clean or abrupt): drop the
    // connection without the chunked terminator.
    endPoint.close();
    cb.failed(new IOException(Fault.MESSAGE));
    return true;
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
