package dev.voicebridge.smallest.internal;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.kit.HttpErrors;
import java.time.Duration;
import java.util.Locale;

/** Maps what Smallest sends (error frames, HTTP statuses) and transport failures to exceptions. */
final class SmallestErrors {
  private static final String P = SmallestCodec.PROVIDER;

  private SmallestErrors() {}

  /**
   * An error frame. Smallest documents no codes for WebSocket errors, so the code (a number is read
   * as an HTTP status) and then the message decide the class; the default is a retryable server
   * failure.
   */
  static VoicebridgeException forErrorFrame(String message, String code) {
    String text = "error frame: " + message + (code != null ? " (code " + code + ")" : "");
    if (code != null) {
      try {
        int status = Integer.parseInt(code.trim());
        if (status >= 400 && status < 600) {
          return HttpErrors.forStatus(P, status, null, "error frame: " + message, null);
        }
      } catch (NumberFormatException ignored) {
        // a textual code: classified below
      }
    }
    String c = (code == null ? "" : code) + " " + message;
    String k = c.toLowerCase(Locale.ROOT);
    if (k.contains("inactivity") || k.contains("idle")) {
      return new TransportException(P, "the server closed an idle connection: " + message);
    }
    if (has(k, "unauthori", "authenticat", "api key", "api_key", "apikey", "token", "credential")) {
      return new AuthenticationException(P, -1, code, text);
    }
    if (has(k, "quota", "credit", "insufficient", "payment", "billing")) {
      return new QuotaExceededException(P, -1, code, text);
    }
    if (has(
        k, "forbidden", "permission", "not entitled", "not-entitled", "not allowed", "access")) {
      return new PermissionDeniedException(P, -1, code, text);
    }
    if (has(
        k,
        "rate limit",
        "rate_limit",
        "ratelimit",
        "too many",
        "too_many",
        "toomany",
        "concurren",
        "throttl")) {
      return new RateLimitedException(P, -1, code, text, null);
    }
    if (has(
        k,
        "invalid",
        "required",
        "must be",
        "validation",
        "unsupported",
        "not found",
        "bad request",
        "bad_request",
        "missing",
        "out of range",
        "deprecated")) {
      return new InvalidRequestException(P, -1, code, text);
    }
    return new ProviderUnavailableException(P, -1, code, text);
  }

  private static boolean has(String text, String... needles) {
    for (String n : needles) {
      if (text.contains(n)) {
        return true;
      }
    }
    return false;
  }

  /** An HTTP error status with its body and {@code Retry-After}. */
  static VoicebridgeException forHttp(int status, String body, String retryAfter) {
    String[] mc = SmallestCodec.httpError(body);
    Duration wait = HttpErrors.parseRetryAfter(retryAfter).orElse(null);
    return HttpErrors.forStatus(P, status, mc[1], mc[0], wait);
  }
}
