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
   * @param status the HTTP status
   */
  record HandshakeStatus(int status, Duration retryAfter) implements Fault {}

  /**
   * The vendor's error frame after {@code afterChunks} audio frames.
   *
   * @param afterChunks how many audio frames the server sends first
   * @param kind which error the frame reports
   */
  record ErrorFrame(int afterChunks, ErrorKind kind) implements Fault {}

  /**
   * The server drops the connection after {@code afterChunks} audio frames, without a completion.
   *
   * @param abrupt true for a reset (no close frame, no chunked terminator), false for a clean close
   * @param afterChunks how many audio frames the server sends first
   */
  record Disconnect(int afterChunks, boolean abrupt) implements Fault {}

  /**
   * The server goes silent after {@code afterChunks} audio frames, keeping the connection open.
   *
   * @param afterChunks how many audio frames the server sends first
   */
  record Stall(int afterChunks) implements Fault {}

  /**
   * The server sends a frame that does not parse after {@code afterChunks} audio frames.
   *
   * @param afterChunks how many audio frames the server sends first
   */
  record MalformedFrame(int afterChunks) implements Fault {}

  /**
   * The server sends a frame of {@code bytes} bytes after {@code afterChunks} audio frames.
   *
   * @param afterChunks how many audio frames the server sends first
   * @param bytes the frame's size
   */
  record OversizeFrame(int afterChunks, int bytes) implements Fault {}

  /**
   * A text frame where binary is expected, or the reverse, after {@code afterChunks} frames.
   *
   * @param afterChunks how many frames the server sends first
   */
  record WrongFrameType(int afterChunks) implements Fault {}

  /** The server closes the connection after a normal completion (no reuse possible). */
  record CloseAfterCompletion() implements Fault {}

  /** Where a server puts text of its own choosing that a client may quote. */
  enum Channel {
    /** The body of a refused handshake or HTTP request (a 401 with the vendor's error body). */
    REFUSAL_BODY,
    /**
     * The message of the vendor's error frame or error event (an SSE error event, Fish's {@code
     * finish} reason, an HTTP error body after the status line).
     */
    ERROR_FRAME,
    /** The reason of a WebSocket Close frame (WebSocket transports only). */
    CLOSE_REASON,
    /** A frame that does not parse, containing the text (a client that quotes it leaks it). */
    MALFORMED_FRAME
  }

  /**
   * The server echoes the credentials it received (the value of the API-key header, as sent) back
   * to the client in {@code channel}, as a hostile or careless server might. A client must never
   * show them: not in an exception message, a warning, a report or a log line.
   *
   * @param channel where the server puts the credentials
   */
  record EchoCredentials(Channel channel) implements Fault {}

  /**
   * After the session's audio, the server keeps sending audio and never completes: far more audio
   * than the text could need. A client must end the session (it must not write audio forever).
   */
  record EndlessAudio() implements Fault {}

  /**
   * After {@code afterChunks} audio frames, the server starts a message and never ends it: it sends
   * continuation fragments (or, for HTTP, body bytes of one event or line) without end. A client
   * must end the session as soon as its {@code max-frame-bytes} is passed.
   *
   * @param afterChunks how many audio frames the server sends first
   */
  record EndlessFrame(int afterChunks) implements Fault {}

  /**
   * After {@code afterChunks} audio frames, the server starts a frame, sends part of it, and
   * destroys the TCP connection. A client must fail at once with a transport error, not wait for
   * its response timeout.
   *
   * @param afterChunks how many audio frames the server sends first
   */
  record TruncatedFrame(int afterChunks) implements Fault {}

  /**
   * An HTTP transport answers with status 200 and an HTML page instead of audio (a captive portal,
   * a misrouted proxy). A client must not deliver it as audio.
   */
  record HtmlInsteadOfAudio() implements Fault {}

  /**
   * The server accepts the connection but answers the handshake (the WebSocket upgrade, or the HTTP
   * response headers) only after {@code delay}. A client cancelled meanwhile must close the
   * connection at once, not when the delay or its connect timeout ends.
   *
   * @param delay how long the server waits before answering
   */
  record SlowHandshake(Duration delay) implements Fault {}
}
