package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.charset.StandardCharsets;

/**
 * A Cartesia error and its shapes by API version (protocol note sections 3.1, 3.4, 4.2): from
 * {@value Version#STRUCTURED_ERRORS} on, JSON with {@code error_code}, {@code title}, {@code
 * message} and {@code request_id}; before, a WebSocket {@code error} string and a plain-text HTTP
 * body {@code Title: Message}. The error codes other than {@code concurrency_limited}, {@code
 * model_not_found}, {@code voice_not_found} and {@code model_sunsetted}, and every title and
 * message, are INFERRED.
 *
 * @param status the HTTP-like status ({@code status_code} in frames)
 * @param code the {@code error_code}
 * @param title the short title
 * @param message the message
 */
record ApiError(int status, String code, String title, String message) {

  static ApiError invalid(String message) {
    return new ApiError(400, "invalid_request", "Invalid request", message);
  }

  static ApiError unauthorized(boolean missing) {
    return new ApiError(
        401,
        "invalid_api_key",
        "Unauthorized",
        missing
            ? "No API key or access token was provided."
            : "The API key or access token is invalid or has expired.");
  }

  static ApiError noCredits() {
    return new ApiError(
        402, "insufficient_credits", "Payment required", "You have run out of credits.");
  }

  static ApiError concurrency() {
    return new ApiError(
        429,
        "concurrency_limited",
        "Too many concurrent requests",
        "You have exceeded your plan's concurrency limit.");
  }

  static ApiError tooManySockets(int max) {
    return new ApiError(
        429,
        "connection_limited",
        "Too many connections",
        "You have reached the limit of " + max + " open WebSocket connections.");
  }

  static ApiError modelNotFound(String model) {
    return new ApiError(
        400,
        "model_not_found",
        "Invalid model",
        "The model '" + model + "' is not valid, make sure it is a valid model ID.");
  }

  static ApiError modelSunsetted(String model) {
    return new ApiError(
        400,
        "model_sunsetted",
        "Model sunsetted",
        "The model '" + model + "' has been sunsetted; use sonic-3 or a newer model.");
  }

  static ApiError voiceNotFound(String voice) {
    return new ApiError(
        400, "voice_not_found", "Voice not found", "The voice '" + voice + "' was not found.");
  }

  static ApiError notFound(String path) {
    return new ApiError(404, "not_found", "Not found", "No route for " + path + ".");
  }

  static ApiError methodNotAllowed() {
    return new ApiError(405, "method_not_allowed", "Method not allowed", "Use POST.");
  }

  static ApiError server(String message) {
    return new ApiError(500, "internal_server_error", "Internal server error", message);
  }

  /** The error of an injected {@link Fault.ErrorFrame} of {@code kind}. */
  static ApiError injected(Fault.ErrorKind kind, String detail) {
    String m = " (" + (detail == null ? Fault.MESSAGE : detail) + ")";
    return switch (kind) {
      case SERVER -> server("Something went wrong generating audio" + m);
      case AUTHENTICATION ->
          new ApiError(401, "invalid_api_key", "Unauthorized", "Invalid API key" + m);
      case QUOTA ->
          new ApiError(
              402, "insufficient_credits", "Payment required", "You have run out of credits" + m);
      case RATE_LIMIT ->
          new ApiError(
              429,
              "concurrency_limited",
              "Too many concurrent requests",
              "You have exceeded your plan's concurrency limit" + m);
      case INVALID_REQUEST -> invalid("The request was invalid" + m);
    };
  }

  /** The refusal of an injected {@link Fault.HandshakeStatus} (or echoed credentials). */
  static ApiError refusal(int status, String detail) {
    String m = " (" + (detail == null ? Fault.MESSAGE : detail) + ")";
    return switch (status) {
      case 400 -> invalid("The request was refused" + m);
      case 401 -> new ApiError(401, "invalid_api_key", "Unauthorized", "Invalid API key" + m);
      case 402 -> new ApiError(402, "insufficient_credits", "Payment required", "No credits" + m);
      case 403 -> new ApiError(403, "forbidden", "Forbidden", "Access denied" + m);
      case 404 -> new ApiError(404, "not_found", "Not found", "Not found" + m);
      case 429 ->
          new ApiError(
              429,
              "concurrency_limited",
              "Too many concurrent requests",
              "You have exceeded your plan's concurrency limit" + m);
      default ->
          status >= 500
              ? new ApiError(status, "internal_server_error", "Internal server error", "Error" + m)
              : new ApiError(status, "request_refused", "Request refused", "Refused" + m);
    };
  }

  /** The old single-string form, {@code Title: Message}. */
  String text() {
    return title + ": " + message;
  }

  /** A WebSocket {@code error} frame ({@code context_id} omitted when null). */
  String wsFrame(Version v, String contextId, String requestId) {
    ObjectNode o = Json.object();
    o.put("type", "error");
    o.put("done", true);
    o.put("status_code", status);
    fields(o, v, requestId);
    if (contextId != null) {
      o.put("context_id", contextId);
    }
    return Json.write(o);
  }

  /** An SSE {@code event: error} event. */
  String sseEvent(Version v, String contextId, String requestId) {
    ObjectNode o = Json.object();
    o.put("type", "error");
    o.put("done", true);
    o.put("status_code", status);
    fields(o, v, requestId);
    if (contextId != null) {
      o.put("context_id", contextId);
    }
    return "event: error\ndata: " + Json.write(o) + "\n\n";
  }

  private void fields(ObjectNode o, Version v, String requestId) {
    if (v.structuredErrors()) {
      o.put("error_code", code);
      o.put("title", title);
      o.put("message", message);
      o.put("request_id", requestId);
    } else {
      o.put("error", text());
    }
  }

  /** The body of an HTTP error response. */
  byte[] httpBody(Version v, String requestId) {
    if (!v.structuredErrors()) {
      return text().getBytes(StandardCharsets.UTF_8);
    }
    ObjectNode o = Json.object();
    o.put("error_code", code);
    o.put("title", title);
    o.put("message", message);
    o.put("request_id", requestId);
    return Json.write(o).getBytes(StandardCharsets.UTF_8);
  }

  /** The content type of {@link #httpBody}. */
  static String httpContentType(Version v) {
    return v.structuredErrors() ? "application/json" : "text/plain; charset=utf-8";
  }
}
