package dev.voicebridge.emulator.internal;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The mechanics of the hostile-server faults, for any vendor: what a Jetty WebSocket or HTTP
 * response can be made to do (endless messages, truncated frames, resets, an HTML page, a slow
 * answer). A vendor's {@link FaultFrames} calls these with its own bytes.
 *
 * <p>Endless output runs on the emulator's pacer executor, one write after the previous one was
 * written ({@link #repeat}), and stops as soon as a write fails: when the client leaves, no thread
 * stays behind.
 */
public final class WireFaults {
  /** The pause between two writes of endless output. */
  public static final Duration PERIOD = Duration.ofMillis(1);

  /** The size of each fragment of an endless message or line. */
  public static final int FRAGMENT_BYTES = 32 * 1024;

  /** The length a truncated frame announces. */
  public static final int TRUNCATED_LENGTH = 1000;

  /** How many of those bytes are written before the reset. */
  public static final int TRUNCATED_WRITTEN = 10;

  /** How long the partial frame stands before the reset (so the client reads it first). */
  public static final Duration TRUNCATE_LINGER = Duration.ofMillis(50);

  /** The page sent by {@link #html}. */
  public static final String HTML =
      "<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>\n"
          + "<body><h1>Sign in to the network</h1><p>You must accept the terms of use before"
          + " browsing.</p></body></html>\n";

  private WireFaults() {}

  // ------------------------------------------------------------------ handshake

  /** Answers with status 200, {@code Content-Type: text/html} and an HTML page ({@link #HTML}). */
  public static void html(Response response, Callback callback) {
    byte[] body = HTML.getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /**
   * Waits {@code delay} on the calling thread, watching the connection: if the client closes or
   * resets it meanwhile, closes it at once and returns false. The request must have been read whole
   * (the watch reads the socket; a client waiting for an answer sends nothing).
   *
   * @return true if the delay passed with the client still there
   */
  public static boolean awaitUnlessClientLeaves(EndPoint endPoint, Duration delay) {
    long deadline = System.nanoTime() + delay.toNanos();
    ByteBuffer probe = BufferUtil.allocate(1);
    while (true) {
      if (!endPoint.isOpen()) {
        return false;
      }
      try {
        BufferUtil.clear(probe);
        if (endPoint.fill(probe) < 0) {
          endPoint.close();
          return false;
        }
      } catch (IOException e) {
        endPoint.close(e);
        return false;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        endPoint.close();
        return false;
      }
    }
  }

  // ------------------------------------------------------------------ endless output

  /**
   * Runs {@code step} again and again, {@link #PERIOD} after the previous write completed, until a
   * write fails, {@code step} returns null (nothing more to write), the executor stops, or the
   * returned future is cancelled.
   *
   * @param step starts one write and returns its completion, or null to stop
   * @return completes when the repetition stops (exceptionally when a write failed)
   */
  public static CompletableFuture<Void> repeat(
      ScheduledExecutorService executor, Supplier<CompletableFuture<?>> step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable[] loop = new Runnable[1];
    loop[0] =
        () -> {
          if (done.isDone()) {
            return;
          }
          CompletableFuture<?> write;
          try {
            write = step.get();
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
          }
          if (write == null) {
            done.complete(null);
            return;
          }
          write.whenComplete(
              (v, x) -> {
                if (x != null) {
                  done.completeExceptionally(x);
                } else {
                  schedule(executor, PERIOD, loop[0], done);
                }
              });
        };
    schedule(executor, Duration.ZERO, loop[0], done);
    return done;
  }

  private static void schedule(
      ScheduledExecutorService executor, Duration delay, Runnable task, CompletableFuture<?> done) {
    try {
      executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(e); // the emulator is stopping
    }
  }

  /**
   * Sends {@code first} as the first fragment of a WebSocket message and then {@link
   * #FRAGMENT_BYTES} of {@code filler} per fragment, never the last fragment, until the client
   * leaves.
   *
   * @param binary a binary message, else a text message ({@code first} and {@code filler} are then
   *     ASCII)
   */
  public static CompletableFuture<Void> endlessFragments(
      Session session,
      boolean binary,
      byte[] first,
      byte filler,
      ScheduledExecutorService executor) {
    byte[] more = new byte[FRAGMENT_BYTES];
    Arrays.fill(more, filler);
    boolean[] started = {false};
    return repeat(
        executor,
        () -> {
          if (!session.isOpen()) {
            return null;
          }
          byte[] b = started[0] ? more : first;
          started[0] = true;
          CompletableFuture<Void> f = new CompletableFuture<>();
          org.eclipse.jetty.websocket.api.Callback cb =
              org.eclipse.jetty.websocket.api.Callback.from(
                  () -> f.complete(null), f::completeExceptionally);
          if (binary) {
            session.sendPartialBinary(ByteBuffer.wrap(b), false, cb);
          } else {
            session.sendPartialText(new String(b, StandardCharsets.US_ASCII), false, cb);
          }
          return f;
        });
  }

  /**
   * Writes {@code first} into a response body and then {@link #FRAGMENT_BYTES} of {@code filler}
   * per write, without end: an SSE event or an NDJSON line that never ends. The response's callback
   * fails when the client leaves.
   */
  public static CompletableFuture<Void> endlessBody(
      Response response, byte[] first, byte filler, ScheduledExecutorService executor) {
    byte[] more = new byte[FRAGMENT_BYTES];
    Arrays.fill(more, filler);
    boolean[] started = {false};
    return repeat(
        executor,
        () -> {
          byte[] b = started[0] ? more : first;
          started[0] = true;
          CompletableFuture<Void> f = new CompletableFuture<>();
          response.write(
              false,
              ByteBuffer.wrap(b),
              Callback.from(() -> f.complete(null), f::completeExceptionally));
          return f;
        });
  }

  // ------------------------------------------------------------------ truncation and resets

  /**
   * Once every frame sent before is written, writes the header of a WebSocket frame announcing
   * {@link #TRUNCATED_LENGTH} bytes and the first {@link #TRUNCATED_WRITTEN} of {@code payload},
   * then resets the connection (no close frame). A ping orders the raw write after the frames Jetty
   * still holds.
   *
   * @param binary a binary frame (opcode 2), else text (opcode 1)
   * @param payload the start of the frame's payload (at least {@link #TRUNCATED_WRITTEN} bytes)
   */
  public static void truncateWebSocket(
      Session session,
      EndPoint endPoint,
      boolean binary,
      byte[] payload,
      ScheduledExecutorService executor) {
    byte[] frame = new byte[4 + TRUNCATED_WRITTEN];
    frame[0] = (byte) (0x80 | (binary ? 2 : 1));
    frame[1] = 126;
    frame[2] = (byte) (TRUNCATED_LENGTH >> 8);
    frame[3] = (byte) TRUNCATED_LENGTH;
    System.arraycopy(payload, 0, frame, 4, Math.min(payload.length, TRUNCATED_WRITTEN));
    session.sendPing(
        ByteBuffer.allocate(0),
        org.eclipse.jetty.websocket.api.Callback.from(
            () -> writeThenReset(endPoint, frame, executor, () -> {}), x -> reset(endPoint)));
  }

  /**
   * Once the response's earlier writes are done, writes {@code partial} raw on the connection (for
   * a chunked body, the start of a chunk: see {@link #partialChunk}) and resets the connection. The
   * response's callback is failed.
   */
  public static void truncateHttp(
      Response response,
      Callback callback,
      EndPoint endPoint,
      byte[] partial,
      ScheduledExecutorService executor) {
    response.write(
        false,
        BufferUtil.EMPTY_BUFFER,
        Callback.from(
            () ->
                writeThenReset(
                    endPoint,
                    partial,
                    executor,
                    () -> callback.failed(new IOException("truncated frame (injected fault)"))),
            x -> {
              reset(endPoint);
              callback.failed(x);
            }));
  }

  /**
   * The start of an HTTP/1.1 chunk announcing {@link #TRUNCATED_LENGTH} bytes, with the first
   * {@link #TRUNCATED_WRITTEN} bytes of {@code payload}.
   *
   * @param afterChunk whether a chunk was written before: Jetty ends a chunk's data with the CRLF
   *     it writes before the next chunk, so the raw chunk must start with it
   */
  public static byte[] partialChunk(byte[] payload, boolean afterChunk) {
    byte[] head =
        ((afterChunk ? "\r\n" : "") + Integer.toHexString(TRUNCATED_LENGTH) + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(head, head.length + TRUNCATED_WRITTEN);
    System.arraycopy(payload, 0, out, head.length, Math.min(payload.length, TRUNCATED_WRITTEN));
    return out;
  }

  private static void writeThenReset(
      EndPoint endPoint, byte[] bytes, ScheduledExecutorService executor, Runnable after) {
    Runnable reset =
        () -> {
          reset(endPoint);
          after.run();
        };
    endPoint.write(
        Callback.from(
            () -> {
              try {
                executor.schedule(reset, TRUNCATE_LINGER.toNanos(), TimeUnit.NANOSECONDS);
              } catch (RejectedExecutionException e) {
                reset.run();
              }
            },
            x -> reset.run()),
        ByteBuffer.wrap(bytes));
  }

  /** Resets the TCP connection (RST, no FIN) if the transport is a socket; closes it anyway. */
  public static void reset(EndPoint endPoint) {
    if (endPoint.getTransport() instanceof SocketChannel ch) {
      try {
        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException | RuntimeException e) {
        // best effort: a plain close follows
      }
    }
    endPoint.close();
  }
}
