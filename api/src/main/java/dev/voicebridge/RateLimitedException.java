package dev.voicebridge;

import java.time.Duration;
import java.util.Optional;

/** Too many requests or concurrent sessions (HTTP 429). Retryable, after {@link #retryAfter()}. */
public class RateLimitedException extends ProviderException {
  private static final long serialVersionUID = 1L;
  private final Duration retryAfter;

  /**
   * @param retryAfter what the vendor's {@code Retry-After} asked for, or null if it said nothing
   */
  public RateLimitedException(
      String provider, int status, String vendorCode, String message, Duration retryAfter) {
    super(provider, status, vendorCode, message, null);
    this.retryAfter = retryAfter;
  }

  /** How long the vendor asked the client to wait, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
