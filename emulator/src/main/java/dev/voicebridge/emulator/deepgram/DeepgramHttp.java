package dev.voicebridge.emulator.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorControl;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.emulator.internal.Refusal;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;

/**
 * The WebSocket handshake of {@code GET /v1/speak} (credentials, query, limits, handshake faults)
 * and the REST {@code POST /v1/speak}. Blocking: a slow handshake waits on the request's thread.
 */
final class DeepgramHttp extends Handler.Abstract {
  /** The largest REST body (the docs' 413 "Payload size exceeds limit of 2 MB"). */
  static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  private final DeepgramEmulator emulator;

  DeepgramHttp(DeepgramEmulator emulator) {
    super(InvocationType.BLOCKING);
    this.emulator = emulator;
  }

  /**
   * What the client authenticated with: the header value as sent (what a hostile server would
   * echo), the key in it (null if the header is not {@code Token|Bearer <key>}), and the
   * subprotocol to select, if the client offered any.
   */
  record Credential(String raw, String key, String subprotocol) {}

  /**
   * The credential of a request: {@code Authorization: Token|Bearer <key>} (the scheme in any
   * case), else the item after {@code token} or {@code bearer} in the offered subprotocols; null if
   * neither is there.
   */
  static Credential credential(HttpFields headers, List<String> subprotocols) {
    String selected = subprotocols == null || subprotocols.isEmpty() ? null : subprotocols.get(0);
    String auth = headers.get(HttpHeader.AUTHORIZATION);
    if (auth != null) {
      String v = auth.trim();
      int space = v.indexOf(' ');
      String scheme = space > 0 ? v.substring(0, space).toLowerCase(Locale.ROOT) : "";
      boolean known = scheme.equals("token") || scheme.equals("bearer");
      return new Credential(auth, known ? v.substring(space + 1).trim() : null, selected);
    }
    if (subprotocols != null) {
      for (int i = 0; i + 1 < subprotocols.size(); i++) {
        String p = subprotocols.get(i).trim().toLowerCase(Locale.ROOT);
        if (p.equals("token") || p.equals("bearer")) {
          return new Credential(
              headers.get(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL),
              subprotocols.get(i + 1).trim(),
              selected);
        }
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ WebSocket handshake

  /** The WebSocket creator: the connection's endpoint, or null after writing the refusal. */
  Object upgrade(ServerUpgradeRequest rq, ServerUpgradeResponse rs, Callback cb) {
    String requestId = UUID.randomUUID().toString();
    rs.getHeaders().put("dg-request-id", requestId);
    EmulatorControl control = emulator.control();
    Credential credential = credential(rq.getHeaders(), rq.getSubProtocols());
    String raw = credential == null ? null : credential.raw();
    FaultPlan plan = null;
    Refusal refusal = refusal(requestId, true);
    if (FaultPlan.isHandshakeFault(control.peekFault())) {
      plan = FaultPlan.take(control, raw);
      if (plan.answerHandshake(rq, rs, cb, refusal)) {
        return null;
      }
    }
    DeepgramEmulator.Options options = emulator.options();
    SpeakRequest speak;
    try {
      check(credential);
      speak =
          SpeakRequest.parse(
              Request.extractQueryParameters(rq), true, options.webSocketSampleRates());
      if (options.deniedModels().contains(speak.model)) {
        throw refused(403);
      }
      if (!emulator.streamSlotFree()) {
        throw refused(429);
      }
    } catch (SpeakRequest.Refused e) {
      refuse(rs, cb, e.status, e.errCode, e.getMessage(), requestId, true, null);
      return null;
    }
    if (plan == null) {
      plan = FaultPlan.take(control, raw);
    }
    if (credential.subprotocol() != null) {
      rs.setAcceptedSubProtocol(credential.subprotocol());
    }
    return new DeepgramSocket(
        emulator,
        emulator.server().connectionId(rq),
        headers(rq.getHeaders()),
        speak,
        requestId,
        plan,
        EmulatorServer.endPoint(rq));
  }

  /** Refuses a missing, malformed or wrong key (401) and the key without credit (402). */
  private void check(Credential credential) throws SpeakRequest.Refused {
    if (credential == null || credential.key() == null) {
      throw refused(401);
    }
    String noCredit = emulator.options().noCreditKey();
    if (noCredit != null && credential.key().equals(noCredit)) {
      throw refused(402);
    }
    if (!credential.key().equals(emulator.config().apiKey())) {
      throw refused(401);
    }
  }

  private static SpeakRequest.Refused refused(int status) {
    String[] r = Wire.refusal(status);
    return new SpeakRequest.Refused(status, r[0], r[1]);
  }

  /**
   * Deepgram's refusal for the fault engine: the status, {@code dg-request-id}, on a handshake
   * {@code dg-error}, and the error body.
   */
  private static Refusal refusal(String requestId, boolean handshake) {
    return (response, callback, status, retryAfter, detail) -> {
      String[] r = Wire.refusal(status, handshake);
      String message =
          detail == null ? r[1] + " (" + Fault.MESSAGE + ")" : r[1] + " Credentials: " + detail;
      refuse(response, callback, status, r[0], message, requestId, handshake, retryAfter);
    };
  }

  /** Writes an error response: the legacy body (503: the docs' {@code error_code} body). */
  static void refuse(
      Response response,
      Callback callback,
      int status,
      String errCode,
      String message,
      String requestId,
      boolean handshake,
      Duration retryAfter) {
    response.setStatus(status);
    response.getHeaders().put("dg-request-id", requestId);
    if (handshake) {
      response.getHeaders().put("dg-error", message);
    }
    if (retryAfter != null) {
      long s = (retryAfter.toMillis() + 999) / 1000;
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(0, s)));
    } else if (status == 429) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    }
    byte[] body =
        status == 503
            ? Wire.unavailableBody(message, requestId)
            : Wire.errorBody(errCode, message, requestId);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  // ------------------------------------------------------------------ REST

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String requestId = UUID.randomUUID().toString();
    String path = Request.getPathInContext(request);
    // the body first: every answer reads it, and a slow answer must not leave it unread
    ByteBuffer buffer = Content.Source.asByteBuffer(request);
    byte[] body = new byte[buffer.remaining()];
    buffer.get(body);
    if (ModelsRoute.PATH.equals(path) && "GET".equals(request.getMethod())) {
      models(request, response, callback, requestId);
      return true;
    }
    if (!DeepgramEmulator.SPEAK_PATH.equals(path)) {
      refuse(response, callback, 404, "NOT_FOUND", "Not found: " + path, requestId, false, null);
      return true;
    }
    if (!"POST".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      refuse(
          response,
          callback,
          405,
          "METHOD_NOT_ALLOWED",
          "Use POST, or a WebSocket upgrade.",
          requestId,
          false,
          null);
      return true;
    }
    speak(request, response, callback, body, requestId);
    return true;
  }

  /** {@code GET /v1/models}: the key checked, then the catalog ({@link ModelsRoute}). */
  private void models(Request request, Response response, Callback callback, String requestId) {
    try {
      check(credential(request.getHeaders(), null));
    } catch (SpeakRequest.Refused e) {
      refuse(response, callback, e.status, e.errCode, e.getMessage(), requestId, false, null);
      return;
    }
    byte[] body = ModelsRoute.body(emulator.baseUrl());
    response.setStatus(200);
    response.getHeaders().put("dg-request-id", requestId);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private void speak(
      Request request, Response response, Callback callback, byte[] body, String requestId) {
    EmulatorControl control = emulator.control();
    Credential credential = credential(request.getHeaders(), null);
    String raw = credential == null ? null : credential.raw();
    FaultPlan plan = null;
    if (FaultPlan.isHandshakeFault(control.peekFault())) {
      plan = FaultPlan.take(control, raw);
      if (plan.answerHandshake(request, response, callback, refusal(requestId, false))) {
        return;
      }
    }
    SessionRecorder recorder = null;
    SpeakRequest speak;
    String text;
    try {
      check(credential);
      recorder =
          control.newSession(
              emulator.server().connectionId(request), headers(request.getHeaders()));
      recorder.note("request_id", requestId);
      recorder.frame(new String(body, StandardCharsets.UTF_8));
      speak =
          SpeakRequest.parse(
              Request.extractQueryParameters(request),
              false,
              emulator.options().webSocketSampleRates());
      recorder.note("model", speak.model);
      recorder.note("encoding", speak.encoding);
      if (emulator.options().deniedModels().contains(speak.model)) {
        throw refused(403);
      }
      if (Request.extractQueryParameters(request).getValue("callback") != null) {
        throw new SpeakRequest.Refused(
            400,
            "INVALID_QUERY_PARAMETER",
            "Callbacks are not supported by the Voicebridge emulator (it calls no one).");
      }
      text = text(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body);
      recorder.text(text);
      recorder.finished();
      if (text.isBlank()) {
        throw new SpeakRequest.Refused(400, "Bad Request", "Input text contains no characters.");
      }
      int max = emulator.options().maxRestCharacters();
      if (text.codePointCount(0, text.length()) > max) {
        throw new SpeakRequest.Refused(
            413, "Payload Too Large", "Input text exceeds maximum character limit of " + max + ".");
      }
      if (!speak.producible()) {
        throw new SpeakRequest.Refused(
            400,
            "INVALID_QUERY_PARAMETER",
            "Unsupported audio format: the Voicebridge emulator cannot encode `encoding="
                + speak.encoding
                + "` (no encoder).");
      }
      if (!emulator.acquireRequest()) {
        String[] r = Wire.refusal(429, false);
        throw new SpeakRequest.Refused(429, r[0], r[1]);
      }
    } catch (SpeakRequest.Refused e) {
      refuse(response, callback, e.status, e.errCode, e.getMessage(), requestId, false, null);
      return;
    }
    if (plan == null) {
      plan = FaultPlan.take(control, raw);
    }
    new RestStream(emulator, request, response, callback, speak, text, requestId, recorder, plan)
        .start();
  }

  /** The text of a REST body: JSON {@code {"text"}} or {@code text/plain}. */
  private static String text(String contentType, byte[] body) throws SpeakRequest.Refused {
    if (body.length > MAX_BODY_BYTES) {
      throw new SpeakRequest.Refused(
          413, "PAYLOAD_TOO_LARGE", "Payload size exceeds limit of 2 MB.");
    }
    String mime =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    String s = new String(body, StandardCharsets.UTF_8);
    if (mime.equals("text/plain")) {
      return s;
    }
    if (!mime.equals("application/json")) {
      throw new SpeakRequest.Refused(
          415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json or text/plain.");
    }
    JsonNode o = Wire.parseObject(s);
    if (o == null) {
      throw new SpeakRequest.Refused(
          400,
          "Bad Request",
          "Content-type was application/json, but we could not process the JSON payload.");
    }
    JsonNode text = o.get("text");
    JsonNode url = o.get("url");
    if ((text == null) == (url == null) || (text != null && !text.isTextual())) {
      throw new SpeakRequest.Refused(
          400,
          "PAYLOAD_ERROR",
          "Failed to deserialize JSON payload. Please specify exactly one of `text` or `url` in"
              + " the JSON body.");
    }
    if (url != null) {
      throw new SpeakRequest.Refused(
          400,
          "PAYLOAD_ERROR",
          "The Voicebridge emulator does not fetch `url` (it reaches nothing but loopback).");
    }
    return text.asText();
  }

  static Map<String, List<String>> headers(HttpFields fields) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (HttpField f : fields) {
      out.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
    }
    return out;
  }
}
