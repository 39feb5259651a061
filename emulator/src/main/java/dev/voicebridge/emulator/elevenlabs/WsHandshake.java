package dev.voicebridge.emulator.elevenlabs;

import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.FaultPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;

/**
 * The handshake of both WebSocket endpoints (protocol note section 1.1): the query parameters and
 * credentials are checked, handshake faults applied, and a {@link WsSession} created.
 */
final class WsHandshake {
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

  private WsHandshake() {}

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
    FaultPlan plan = FaultPlan.take(emu.control, rq.getHeaders().get("xi-api-key"));
    if (plan.answerHandshake(rq, rs, cb, HttpApi::refuseForFault)) {
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
            plan);
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
}
