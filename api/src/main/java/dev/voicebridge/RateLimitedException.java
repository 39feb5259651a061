package dev.voicebridge;

import java.time.Duration;
import java.util.Optional;

/** Too many requests or concurrent sessions (HTTP 429). Retryable, after {@link #retryAfter()}. */
public class RateLimitedException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /** How long the vendor asked to wait, or null. */
  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param provider the provider's name
   * @param status the HTTP status or WebSocket close code the vendor sent, or -1
   * @param vendorCode the vendor's own error code (for example {@code quota_exceeded}), or null
   * @param message what went wrong, without secrets
   * @param retryAfter what the vendor's {@code Retry-After} asked for, or null if it said nothing
   */
  public RateLimitedException(
      String provider, int status, String vendorCode, String message, Duration retryAfter) {
    super(provider, status, vendorCode, message, null);
    this.retryAfter = retryAfter;
  }

  /** {@return how long the vendor asked the client to wait, when it said} */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
