package dev.voicebridge.emulator.internal;

import java.time.Duration;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * How a vendor refuses a handshake or an HTTP request: its status line and its error body. The
 * fault engine calls it for an injected {@link
 * dev.voicebridge.spi.conformance.Fault.HandshakeStatus} and for credentials echoed in a refusal
 * body.
 */
@FunctionalInterface
public interface Refusal {

  /**
   * Writes the refusal and completes {@code callback}.
   *
   * @param status the HTTP status
   * @param retryAfter sent as {@code Retry-After} (whole seconds, rounded up), or null
   * @param detail null for the vendor's usual message of {@code status} (which carries {@link
   *     dev.voicebridge.spi.conformance.Fault#MESSAGE}); otherwise text the body must contain
   *     verbatim (echoed credentials)
   */
  void refuse(Response response, Callback callback, int status, Duration retryAfter, String detail);
}
