package dev.voicebridge.spi.conformance;

import java.time.Duration;

/**
 * A fault a test server can inject into the next session, in vendor-neutral terms. Each emulator
 * speaks it in its vendor's own dialect (a Fish {@code finish{error}}, an ElevenLabs 1008 close, a
 * Smallest error frame...). Counts of chunks are audio frames the server sends before the fault.
 */
public sealed interface Fault {

  /** The text every injected error carries, so tests can check the vendor's message got through. */
  String MESSAGE = "injected fault";

  /** What kind of vendor error an {@link ErrorFrame} reports. */
  enum ErrorKind {
    /** A generic server failure (retryable). */
    SERVER,
    /** A bad or revoked key. */
    AUTHENTICATION,
    /** No credit or quota left. */
    QUOTA,
    /** Too many requests. */
    RATE_LIMIT,
    /** The request was invalid. */
    INVALID_REQUEST
  }

  /**
   * The handshake (or the HTTP request) is refused with {@code status}.
   *
   * @param retryAfter sent as {@code Retry-After}, or null
   */
  record HandshakeStatus(int status, Duration retryAfter) implements Fault {}

  /** The vendor's error frame after {@code afterChunks} audio frames. */
  record ErrorFrame(int afterChunks, ErrorKind kind) implements Fault {}

  /**
   * The server drops the connection after {@code afterChunks} audio frames, without a completion.
   *
   * @param abrupt true for a reset (no close frame, no chunked terminator), false for a clean close
   */
  record Disconnect(int afterChunks, boolean abrupt) implements Fault {}

  /** The server goes silent after {@code afterChunks} audio frames, keeping the connection open. */
  record Stall(int afterChunks) implements Fault {}

  /** The server sends a frame that does not parse after {@code afterChunks} audio frames. */
  record MalformedFrame(int afterChunks) implements Fault {}

  /** The server sends a frame of {@code bytes} bytes after {@code afterChunks} audio frames. */
  record OversizeFrame(int afterChunks, int bytes) implements Fault {}

  /** A text frame where binary is expected, or the reverse, after {@code afterChunks} frames. */
  record WrongFrameType(int afterChunks) implements Fault {}

  /** The server closes the connection after a normal completion (no reuse possible). */
  record CloseAfterCompletion() implements Fault {}
}
