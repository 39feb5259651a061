package dev.voicebridge.deepgram.internal;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.kit.HttpErrors;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;

/**
 * Deepgram's errors as the api's exceptions: refused handshakes and REST errors (status, the {@code
 * dg-error} header, the {@code {err_code, err_msg, request_id}} body, {@code Retry-After}), close
 * frames (code and reason token: {@code 1008 DATA-0001}...) and the defensive {@code Error} frame.
 */
public final class DeepgramErrors {
  private static final String P = DeepgramCodec.PROVIDER;

  private DeepgramErrors() {}

  // ------------------------------------------------------------------ HTTP

  /**
   * The exception for a refused WebSocket handshake or a REST error response.
   *
   * @param what what the library was doing ({@code WebSocket handshake}, {@code POST /v1/speak})
   */
  public static ProviderException forStatus(
      int status, HttpHeaders headers, byte[] body, String what) {
    DeepgramCodec.ErrorBody e = DeepgramCodec.errorBody(body);
    String message = e.message();
    String dgError = header(headers, "dg-error");
    if (message.isEmpty() && dgError != null) {
      message = HttpErrors.abbreviate(dgError, HttpErrors.MAX_QUOTED);
    }
    if (message.isEmpty()) {
      message = "(no message)";
    }
    String requestId = e.requestId() != null ? e.requestId() : header(headers, "dg-request-id");
    String text =
        message
            + " ("
            + what
            + (requestId != null ? ", request id " + HttpErrors.abbreviate(requestId, 64) : "")
            + ")";
    return HttpErrors.forStatus(P, status, e.code(), text, retryAfter(headers));
  }

  /**
   * The delay a 429 asks for: {@code Retry-After} (seconds or a date), else {@code
   * X-RateLimit-Reset} read as seconds from now (an official client honours both; INFERRED: the
   * server has not been seen sending either).
   */
  static Duration retryAfter(HttpHeaders headers) {
    Duration d = HttpErrors.retryAfter(headers).orElse(null);
    if (d != null) {
      return d;
    }
    String reset = header(headers, "x-ratelimit-reset");
    if (reset != null) {
      try {
        long s = Long.parseLong(reset.trim());
        if (s >= 0 && s < 86_400) {
          return Duration.ofSeconds(s);
        }
      } catch (NumberFormatException ignored) {
        // not a number of seconds: no delay known
      }
    }
    return null;
  }

  /** A response header by name, or with the {@code x-} prefix some proxies add, or null. */
  static String header(HttpHeaders headers, String name) {
    if (headers == null) {
      return null;
    }
    return headers
        .firstValue(name)
        .or(() -> headers.firstValue("x-" + name))
        .filter(v -> !v.isBlank())
        .orElse(null);
  }

  // ------------------------------------------------------------------ WebSocket

  /**
   * The exception for a close by the server before the session's last {@code Flushed}: by the
   * reason's token where Deepgram documents it ({@code 1003 MESSAGE-0000}, {@code 1008
   * DATA-0000/0001}, {@code 1009 BIG-0000/0001}, {@code 1011 NET-0000..0003}), else by the reason's
   * words, else by the code. A 1000 is a {@link TransportException}: the server ended the socket
   * with audio still owed.
   */
  public static VoicebridgeException forClose(int code, String reason) {
    String r = reason == null ? "" : HttpErrors.abbreviate(reason, 200);
    String token = DeepgramCodec.reasonCode(r);
    String text =
        "the server closed the WebSocket with "
            + code
            + (r.isEmpty() ? "" : " " + r)
            + " before the last Flushed";
    if (token != null) {
      switch (token) {
        case "MESSAGE-0000", "DATA-0000", "BIG-0000", "BIG-0001" -> {
          return new InvalidRequestException(P, code, token, text);
        }
        case "DATA-0001" -> {
          return new RateLimitedException(P, code, token, text, null);
        }
        case "NET-0000", "NET-0002" -> {
          return new ProviderUnavailableException(P, code, token, text);
        }
        case "NET-0001" -> {
          return new TransportException(
              P, text + " (the server heard nothing from the client in time)");
        }
        case "NET-0003" -> {
          return new TransportException(P, text + " (the 60-minute limit of a socket)");
        }
        default -> {
          // an undocumented token: its words decide
        }
      }
    }
    if (code == 1000 || code == 1001 || code == 1005 || code == 1006) {
      return new TransportException(P, text);
    }
    if (code >= 4400 && code < 4600) {
      return HttpErrors.forStatus(P, code - 4000, token, text, null);
    }
    ProviderException byWords = byWords(r, code, token, text);
    if (byWords != null) {
      return byWords;
    }
    return switch (code) {
      case 1003, 1007, 1008, 1009 -> new InvalidRequestException(P, code, token, text);
      case 1011, 1012, 1013, 1014 -> new ProviderUnavailableException(P, code, token, text);
      default -> new TransportException(P, text);
    };
  }

  /** The exception for an {@code Error} frame: by its words, else a retryable server failure. */
  public static ProviderException forErrorMessage(DeepgramCodec.ErrorMessage e) {
    String message = e.message() != null ? e.message() : "(no message)";
    String text =
        "error frame: "
            + HttpErrors.abbreviate(message, HttpErrors.MAX_QUOTED)
            + (e.code() != null ? " (" + HttpErrors.abbreviate(e.code(), 64) + ")" : "");
    ProviderException byWords =
        byWords((e.code() == null ? "" : e.code()) + " " + message, -1, e.code(), text);
    return byWords != null ? byWords : new ProviderUnavailableException(P, -1, e.code(), text);
  }

  /** Classifies by the vendor's words; null when none of them says. */
  private static ProviderException byWords(String words, int code, String vendorCode, String text) {
    String k = words.toLowerCase(Locale.ROOT);
    if (has(
        k, "invalid_auth", "invalid auth", "credential", "unauthori", "authenticat", "api key")) {
      return new AuthenticationException(P, code, vendorCode, text);
    }
    if (has(k, "insufficient_permissions", "permission", "forbidden", "not allowed")) {
      return new PermissionDeniedException(P, code, vendorCode, text);
    }
    if (has(k, "quota", "credit", "balance", "payment", "billing")) {
      return new QuotaExceededException(P, code, vendorCode, text);
    }
    if (has(k, "rate limit", "too many", "too_many", "concurren", "throttl")) {
      return new RateLimitedException(P, code, vendorCode, text, null);
    }
    if (has(k, "invalid", "unsupported", "bad request", "must be", "not recognized", "too large")) {
      return new InvalidRequestException(P, code, vendorCode, text);
    }
    return null;
  }

  private static boolean has(String s, String... words) {
    for (String w : words) {
      if (s.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
