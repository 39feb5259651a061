package dev.voicebridge.spi;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The HTTP-status-to-exception mapping every adapter shares. */
public final class ProviderErrors {
  private ProviderErrors() {}

  /**
   * {@return the exception for an HTTP status (or handshake refusal): 401 authentication, 402
   * quota, 403 permission, 400/404/409/413/422 invalid request, 429 rate limited, 5xx/408
   * unavailable}
   *
   * @param message the vendor's message (never containing the key)
   * @param retryAfter the {@code Retry-After} value, or null
   * @param provider the provider's name
   * @param status the HTTP status or WebSocket close code
   * @param vendorCode the vendor's own error code, or null
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
   * Cuts a vendor's error body to a sane length for a message.
   *
   * @param body the body
   * @param max the largest length kept
   * @return the body without surrounding blanks, cut to {@code max} characters and "..."; empty for
   *     null
   */
  public static String abbreviate(String body, int max) {
    if (body == null) {
      return "";
    }
    String s = body.strip();
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
