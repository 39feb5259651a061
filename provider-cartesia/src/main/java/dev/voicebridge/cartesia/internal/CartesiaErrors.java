package dev.voicebridge.cartesia.internal;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.cartesia.CartesiaOptions;
import dev.voicebridge.kit.HttpErrors;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Cartesia's errors as the api's exception tree. The status decides the class (401 authentication,
 * 402 quota, 403 permission, 400/404/409/422 invalid request, 429 rate limited, 408/5xx
 * unavailable); an error without a usable status is classified by its {@code error_code}; anything
 * else is a retryable {@link ProviderUnavailableException}. Both error formats are read whatever
 * the configured version: the structured JSON of 2026-03-01 and later ({@code error_code}, {@code
 * title}, {@code message}) and the earlier plain text ({@code Title: Message}) or frame field
 * {@code error}.
 */
public final class CartesiaErrors {
  private static final String P = CartesiaOptions.PROVIDER;

  private CartesiaErrors() {}

  /** A refused HTTP request or WebSocket handshake. */
  public static VoicebridgeException forHttp(int status, HttpHeaders headers, byte[] body) {
    CartesiaCodec.HttpError e =
        CartesiaCodec.decodeHttpError(body == null ? "" : new String(body, StandardCharsets.UTF_8));
    return HttpErrors.forStatus(
        P, status, e.errorCode(), describe(e.title(), e.message()), retryAfter(headers));
  }

  /**
   * The delay a refusal asks for: {@code retry-after-ms} (which Cartesia's own client honours)
   * before {@code Retry-After}.
   */
  static Duration retryAfter(HttpHeaders headers) {
    if (headers == null) {
      return null;
    }
    String ms = headers.firstValue("retry-after-ms").orElse(null);
    if (ms != null) {
      try {
        double v = Double.parseDouble(ms.trim());
        if (v >= 0 && Double.isFinite(v)) {
          return Duration.ofMillis(Math.round(v));
        }
      } catch (NumberFormatException e) {
        // fall back to Retry-After
      }
    }
    return HttpErrors.retryAfter(headers).orElse(null);
  }

  /** An error frame (WebSocket) or error event (SSE). */
  public static ProviderException forFrame(ServerFrame f) {
    int status = f.statusCode() != null ? f.statusCode() : 0;
    if (status < 400 || status > 599) {
      status = statusOf(f.errorCode());
    }
    String text =
        describe(f.title(), f.message() != null ? f.message() : f.error())
            + (f.contextId() != null ? " (context " + f.contextId() + ")" : "");
    String what =
        "error"
            + (status > 0 ? " " + status : "")
            + (f.errorCode() != null ? " " + f.errorCode() : "")
            + ": "
            + text;
    return byStatus(status, f.errorCode(), what);
  }

  /** What a close of the WebSocket before a context's {@code done} means. */
  public static VoicebridgeException closed(int code, String reason) {
    return new TransportException(
        P,
        "the server closed the WebSocket (code "
            + code
            + (reason == null || reason.isBlank() ? "" : ", " + HttpErrors.quote(reason))
            + ") before the context's done");
  }

  /** The status an {@code error_code} stands for, or 0 when it is not one this adapter knows. */
  static int statusOf(String code) {
    if (code == null) {
      return 0;
    }
    String c = code.toLowerCase(Locale.ROOT);
    if (c.contains("concurrency") || c.contains("rate_limit") || c.contains("too_many")) {
      return 429;
    }
    if (c.contains("unauthorized") || c.contains("api_key") || c.contains("authentication")) {
      return 401;
    }
    if (c.contains("credit") || c.contains("quota") || c.contains("payment")) {
      return 402;
    }
    if (c.contains("forbidden") || c.contains("permission")) {
      return 403;
    }
    if (c.endsWith("not_found")
        || c.contains("invalid")
        || c.contains("sunset")
        || c.contains("bad_request")
        || c.contains("validation")
        || c.contains("unsupported")) {
      return 400;
    }
    return 0;
  }

  private static ProviderException byStatus(int status, String code, String text) {
    if (status == 401) {
      return new AuthenticationException(P, status, code, text);
    }
    if (status == 402) {
      return new QuotaExceededException(P, status, code, text);
    }
    if (status == 403) {
      return new PermissionDeniedException(P, status, code, text);
    }
    if (status == 429) {
      return new RateLimitedException(P, status, code, text, null);
    }
    if (status >= 400 && status < 500 && status != 408) {
      return new InvalidRequestException(P, status, code, text);
    }
    return new ProviderUnavailableException(P, status, code, text);
  }

  private static String describe(String title, String message) {
    String t = title == null || title.isBlank() ? null : title.strip();
    String m = message == null || message.isBlank() ? null : message.strip();
    String s;
    if (t != null && m != null) {
      s = t + ": " + m;
    } else if (t != null) {
      s = t;
    } else {
      s = m;
    }
    return HttpErrors.quote(s);
  }
}
