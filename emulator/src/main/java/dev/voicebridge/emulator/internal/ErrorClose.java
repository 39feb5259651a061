package dev.voicebridge.emulator.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Closing a WebSocket with an error code so that the client reads the error frame before the
 * connection goes away, as it does from a vendor's server.
 *
 * <p>Jetty does not do that for error codes. Any code but 1000, 1005 and 3000 and above counts as
 * abnormal ({@code CloseStatus.isOrdinary}): Jetty drops the TCP connection as soon as its Close is
 * written, without the closing handshake. A client still sending (an application streaming text
 * while the server refuses its first message) then meets a reset, and the JDK's client stops
 * reading at its first failed write, discarding the error frame and the Close it had not read yet.
 * The vendor's client would have read them; so the emulator leaves the client {@link #LINGER} to
 * read the error frame before it sends the Close, and the error is what the client sees.
 */
public final class ErrorClose {
  /** How long an error frame stands before the error close. */
  public static final Duration LINGER = Duration.ofMillis(250);

  private ErrorClose() {}

  /** Whether Jetty drops the connection at once after sending {@code code}. */
  public static boolean dropsConnection(int code) {
    return !(code == 1000 || code == 1005 || code >= 3000);
  }

  /**
   * Closes with {@code code}: at once for a normal code, after {@link #LINGER} for an error code.
   * Frames sent before this call go out first either way.
   */
  public static void close(
      Session session, int code, String reason, ScheduledExecutorService executor) {
    if (!dropsConnection(code)) {
      session.close(code, reason, Callback.NOOP);
      return;
    }
    try {
      executor.schedule(
          () -> session.close(code, reason, Callback.NOOP), LINGER.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      session.close(code, reason, Callback.NOOP); // the emulator is stopping
    }
  }
}
