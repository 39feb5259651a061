package dev.voicebridge.kit;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The HTTP-status-to-exception mapping every adapter shares. */
public final class HttpErrors {
  /** The bytes of an error body read for its message; the rest is discarded unread. */
  public static final int MAX_ERROR_BODY = 64 << 10;

  /** The longest part of a vendor's error text quoted in a message. */
  public static final int MAX_QUOTED = 500;

  private HttpErrors() {}

  /**
   * {@return the exception for an HTTP status (or handshake refusal): 401 authentication, 402
   * quota, 403 permission, 400/404/409/413/422 invalid request, 429 rate limited, 5xx/408
   * unavailable}
   *
   * @param provider the provider's name
   * @param status the HTTP status or WebSocket close code
   * @param vendorCode the vendor's own error code, or null
   * @param message the vendor's message
   * @param retryAfter the {@code Retry-After} value, or null
   */
  public static ProviderException forStatus(
      String provider, int status, String vendorCode, String message, Duration retryAfter) {
    String text = "HTTP " + status + (vendorCode != null ? " " + vendorCode : "") + ": " + message;
    if (status == 401) {
      return new AuthenticationException(provider, status, vendorCode, text);
    }
    if (status == 402) {
      return new QuotaExceededException(provider, status, vendorCode, text);
    }
    if (status == 403) {
      return new PermissionDeniedException(provider, status, vendorCode, text);
    }
    if (status == 429) {
      return new RateLimitedException(provider, status, vendorCode, text, retryAfter);
    }
    if (status == 408 || status >= 500) {
      return new ProviderUnavailableException(provider, status, vendorCode, text);
    }
    if (status >= 400) {
      return new InvalidRequestException(provider, status, vendorCode, text);
    }
    return new ProviderUnavailableException(
        provider, status, vendorCode, "unexpected HTTP " + status + ": " + message);
  }

  /**
   * {@return the plain reading of an error with no vendor structure: the status, the body's text
   * (abbreviated) and the {@code Retry-After} header}
   *
   * @param provider the provider's name
   */
  public static HttpErrorMapper plain(String provider) {
    return (status, headers, body) ->
        forStatus(
            provider,
            status,
            null,
            quote(new String(body, StandardCharsets.UTF_8)),
            retryAfter(headers).orElse(null));
  }

  /**
   * {@return the {@code Retry-After} header of {@code headers}, parsed}
   *
   * @param headers the headers
   */
  public static Optional<Duration> retryAfter(HttpHeaders headers) {
    return headers == null
        ? Optional.empty()
        : parseRetryAfter(headers.firstValue("retry-after").orElse(null));
  }

  /**
   * Parses a {@code Retry-After} header: delay seconds or an HTTP date (relative to now).
   *
   * @param header the header's value, or null
   * @return the delay, or empty if the header is missing or unreadable
   */
  public static Optional<Duration> parseRetryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String v = header.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  /**
   * {@return a vendor's text cut to {@link #MAX_QUOTED} characters, or "(empty body)"}
   *
   * @param body the body
   */
  public static String quote(String body) {
    String s = abbreviate(body, MAX_QUOTED);
    return s.isEmpty() ? "(empty body)" : s;
  }

  /**
   * Cuts a vendor's error text to a sane length for a message.
   *
   * @param body the text, or null
   * @param max the largest allowed
   * @return the text without surrounding blanks, cut to {@code max} characters and "..."; empty for
   *     null
   */
  public static String abbreviate(String body, int max) {
    if (body == null) {
      return "";
    }
    String s = body.strip();
    if (s.length() <= max) {
      return s;
    }
    int end = max;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "...";
  }
}
