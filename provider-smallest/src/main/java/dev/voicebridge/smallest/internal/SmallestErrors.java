package dev.voicebridge.smallest.internal;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.spi.ProviderErrors;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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
          return ProviderErrors.forStatus(P, status, null, "error frame: " + message, null);
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
    Duration wait = ProviderErrors.parseRetryAfter(retryAfter).orElse(null);
    return ProviderErrors.forStatus(P, status, mc[1], mc[0], wait);
  }

  /** A failure to open or use a connection. */
  static VoicebridgeException forTransport(String what, Throwable t, Duration connectTimeout) {
    Throwable c = unwrap(t);
    if (c instanceof VoicebridgeException v) {
      return v;
    }
    if (c instanceof WebSocketHandshakeException h) {
      HttpResponse<?> r = h.getResponse();
      int status = r == null ? -1 : r.statusCode();
      String body = r != null && r.body() instanceof String s ? s : null;
      if (r != null && r.body() instanceof byte[] b) {
        body = new String(b, java.nio.charset.StandardCharsets.UTF_8);
      }
      String retry = r == null ? null : r.headers().firstValue("retry-after").orElse(null);
      if (status >= 400) {
        if (body == null || body.isBlank()) {
          body = "the WebSocket handshake was refused";
        }
        return forHttp(status, body, retry);
      }
      return new TransportException(
          P, what + ": the WebSocket handshake failed (HTTP " + status + ")", c);
    }
    if (c instanceof HttpConnectTimeoutException) {
      return new SynthesisTimeoutException(
          P, what + ": no connection within " + connectTimeout.toMillis() + " ms");
    }
    if (c instanceof HttpTimeoutException) {
      return new SynthesisTimeoutException(P, what + ": timed out (" + c.getMessage() + ")");
    }
    if (c instanceof ConnectException) {
      return new TransportException(P, what + ": connection refused (" + c.getMessage() + ")", c);
    }
    if (c instanceof IOException) {
      return new TransportException(P, what + ": " + c, c);
    }
    return new TransportException(P, what + ": " + c, c);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
