package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.kit.HttpErrors;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps ElevenLabs error frames, close codes and HTTP statuses to the api's exception tree. */
final class ElevenLabsErrors {
  private static final String P = ElevenLabsSynthesizer.NAME;

  private static final Set<String> AUTH =
      Set.of("invalid_api_key", "needs_authorization", "unauthorized", "invalid_authorization");
  private static final Set<String> QUOTA =
      Set.of("quota_exceeded", "insufficient_credits", "payment_required");
  private static final Set<String> RATE =
      Set.of(
          "too_many_concurrent_requests",
          "system_busy",
          "rate_limit_exceeded",
          "rate_limited",
          "max_active_conversations");
  private static final Set<String> PERMISSION =
      Set.of("missing_permissions", "detected_unusual_activity", "only_for_creator+", "forbidden");
  private static final Set<String> INVALID =
      Set.of(
          "invalid_input_message",
          "voice_id_does_not_exist",
          "voice_not_found",
          "voice_does_not_exist",
          "model_not_found",
          "max_character_limit_exceeded",
          "validation_error",
          "invalid_request");

  private ElevenLabsErrors() {}

  /** An error frame ({@code {"message","error","code"}}) on a WebSocket. */
  static VoicebridgeException fromErrorFrame(String error, String message, Integer code) {
    int status = code == null ? 1008 : code;
    String text =
        "error frame "
            + (error != null ? error : "(no code)")
            + " ("
            + status
            + "): "
            + (message != null ? message : "no message");
    return byCode(error, message, status, text, null);
  }

  /** An error reported inside a 200 response body (a with-timestamps line). */
  static VoicebridgeException fromStreamError(String code, String message) {
    String text =
        "error in the response body "
            + (code != null ? code : "(no code)")
            + ": "
            + (message != null ? message : "no message");
    return byCode(code, message, 200, text, null);
  }

  /** A close without {@code isFinal} and without an error frame before it. */
  static VoicebridgeException fromClose(int code, String reason) {
    String r = reason == null || reason.isBlank() ? "no reason" : reason;
    String text = "the server closed the connection (" + code + ": " + r + ") before isFinal";
    if (code == 1008) {
      String guess = guessCode(r);
      if (guess != null) {
        return byCode(guess, r, code, text, null);
      }
      // the generic "We are sorry, something went wrong. You are not charged for this request."
      return new ProviderUnavailableException(P, code, null, text);
    }
    if (code == 1011 || code == 1013 || code == 1012) {
      return new ProviderUnavailableException(P, code, null, text);
    }
    if (code == 1009) {
      return new InvalidRequestException(P, code, "message_too_big", text);
    }
    return new TransportException(P, text);
  }

  /** An HTTP error status (or a refused WebSocket handshake). */
  static VoicebridgeException fromHttp(int status, HttpHeaders headers, String body) {
    ElevenLabsCodec.HttpError e = ElevenLabsCodec.decodeHttpError(body == null ? "" : body);
    Duration retryAfter =
        headers == null
            ? null
            : HttpErrors.parseRetryAfter(headers.firstValue("retry-after").orElse(null))
                .orElse(null);
    String message = e.message().isEmpty() ? "(empty body)" : e.message();
    String code = e.status();
    if (code != null && QUOTA.contains(code)) {
      return new QuotaExceededException(
          P, status, code, "HTTP " + status + " " + code + ": " + message);
    }
    if (status == 401 && code == null && message.toLowerCase(Locale.ROOT).contains("quota")) {
      return new QuotaExceededException(P, status, "quota_exceeded", "HTTP 401: " + message);
    }
    return HttpErrors.forStatus(P, status, code, message, retryAfter);
  }

  /** A failure to open a WebSocket or to send an HTTP request. */
  static VoicebridgeException fromConnectFailure(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof VoicebridgeException v) {
      return v;
    }
    if (c instanceof WebSocketHandshakeException h && h.getResponse() != null) {
      var response = h.getResponse();
      Object body = response.body();
      String text =
          body instanceof String s
              ? s
              : body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "";
      return fromHttp(response.statusCode(), response.headers(), text);
    }
    if (c instanceof HttpConnectTimeoutException) {
      return new TransportException(P, "connecting timed out: " + c.getMessage(), c);
    }
    if (c instanceof HttpTimeoutException) {
      return new SynthesisTimeoutException(P, "the request timed out: " + c.getMessage());
    }
    if (c instanceof ConnectException) {
      return new TransportException(P, "could not connect: " + c, c);
    }
    return new TransportException(P, "connection failed: " + c, c);
  }

  /** A transport failure on an open connection. */
  static VoicebridgeException fromTransport(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof VoicebridgeException v) {
      return v;
    }
    return new TransportException(P, "the connection failed: " + c, c);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static VoicebridgeException byCode(
      String error, String message, int status, String text, Duration retryAfter) {
    String code = error == null ? null : error.toLowerCase(Locale.ROOT);
    if (code == null) {
      code = guessCode(message == null ? "" : message);
    }
    if (code != null) {
      if (AUTH.contains(code)) {
        return new AuthenticationException(P, status, error, text);
      }
      if (QUOTA.contains(code)) {
        return new QuotaExceededException(P, status, error, text);
      }
      if (code.equals("input_timeout_exceeded")) {
        return new SynthesisTimeoutException(P, text);
      }
      if (RATE.contains(code)) {
        return new RateLimitedException(P, status, error, text, retryAfter);
      }
      if (PERMISSION.contains(code)) {
        return new PermissionDeniedException(P, status, error, text);
      }
      if (INVALID.contains(code)) {
        return new InvalidRequestException(P, status, error, text);
      }
      if (code.contains("quota") || code.contains("credit")) {
        return new QuotaExceededException(P, status, error, text);
      }
      if (code.contains("auth") || code.contains("api_key")) {
        return new AuthenticationException(P, status, error, text);
      }
      if (code.contains("rate") || code.contains("concurren") || code.contains("busy")) {
        return new RateLimitedException(P, status, error, text, retryAfter);
      }
      if (code.contains("permission") || code.contains("forbidden")) {
        return new PermissionDeniedException(P, status, error, text);
      }
      if (code.contains("invalid") || code.contains("not_found") || code.contains("not_exist")) {
        return new InvalidRequestException(P, status, error, text);
      }
    }
    return new ProviderUnavailableException(P, status, error, text);
  }

  /** A vendor code guessed from a close reason or message that came without one. */
  private static String guessCode(String reason) {
    String r = reason.toLowerCase(Locale.ROOT);
    if (r.contains("api key") || r.contains("api_key") || r.contains("unauthori")) {
      return "invalid_api_key";
    }
    if (r.contains("quota") || r.contains("credits")) {
      return "quota_exceeded";
    }
    if (r.contains("have not received a new text input") || r.contains("input_timeout")) {
      return "input_timeout_exceeded";
    }
    if (r.contains("maximum simultaneous contexts")) {
      return "max_active_conversations";
    }
    if (r.contains("too many concurrent") || r.contains("rate limit")) {
      return "too_many_concurrent_requests";
    }
    if (r.contains("voice_settings") || r.contains("could not parse input message")) {
      return "invalid_input_message";
    }
    return null;
  }
}
