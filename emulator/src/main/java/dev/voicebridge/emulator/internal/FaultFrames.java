package dev.voicebridge.emulator.internal;

import dev.voicebridge.spi.conformance.Fault;

/**
 * What a vendor supplies to the fault engine for one session on one transport: its own frames for
 * each fault. The {@link FaultPlan} decides when a fault fires and calls exactly one of these
 * methods, once per session; the implementation writes the vendor's frame (or does what the
 * transport allows) and updates its own session state.
 *
 * <p>A method is called from wherever the session sends its audio, with the session's lock held if
 * it has one: on a pacer lane it must not block (it sends asynchronously); on a request thread that
 * writes its body with blocking writes it may block as those writes do. The three methods without a
 * default are the ones every transport can express. A default method returns {@code false}: the
 * transport cannot express that fault and the session goes on as if none had been injected.
 */
public interface FaultFrames {

  /**
   * The vendor's error frame or error event for {@code kind}, and whatever the vendor does after it
   * (close, end of the session). The session is over.
   *
   * @param detail null for the vendor's usual message of {@code kind} (which carries {@link
   *     Fault#MESSAGE}); otherwise text the message must contain verbatim (echoed credentials)
   */
  void error(Fault.ErrorKind kind, String detail);

  /**
   * Ends the session without its completion: a reset (no close frame, no chunked terminator) if
   * {@code abrupt}, else a clean close.
   */
  void disconnect(boolean abrupt);

  /** Sends nothing more and keeps the connection open until the client leaves. */
  void stall();

  /**
   * A frame that does not parse, after which the session goes on.
   *
   * @param detail null for the vendor's usual malformed frame; otherwise text the frame must
   *     contain verbatim (echoed credentials)
   * @return false if the transport has no frames that could be malformed
   */
  default boolean malformed(String detail) {
    return false;
  }

  /**
   * An audio frame of about {@code bytes} bytes on the wire (recorded as audio sent), after which
   * the session goes on.
   *
   * @return false if the transport has no frames
   */
  default boolean oversize(int bytes) {
    return false;
  }

  /**
   * A frame of the other type (binary where text is expected, or the reverse), after which the
   * session goes on.
   *
   * @return false if the transport has no frame types
   */
  default boolean wrongType() {
    return false;
  }

  /**
   * Closes a WebSocket with an error code and {@code reason} (already at most 123 bytes). The
   * session is over.
   *
   * @return false if the transport is not a WebSocket
   */
  default boolean closeWithReason(String reason) {
    return false;
  }

  /**
   * Starts a message (or an SSE event, an NDJSON line) and never ends it, until the client leaves
   * (see {@link WireFaults#endlessFragments} and {@link WireFaults#endlessBody}). The session is
   * over.
   *
   * @return false if the transport has no frames (a raw audio body)
   */
  default boolean endlessFrame() {
    return false;
  }

  /**
   * Starts a frame, writes part of it and resets the TCP connection (see {@link
   * WireFaults#truncateWebSocket} and {@link WireFaults#truncateHttp}). The session is over.
   *
   * @return false if the transport cannot express it
   */
  default boolean truncatedFrame() {
    return false;
  }

  /**
   * After the session's audio, sends audio frames at a fast pace and never completes, until the
   * client leaves (see {@link WireFaults#repeat}). The session is over.
   *
   * @return false if the transport cannot express it
   */
  default boolean endlessAudio() {
    return false;
  }
}
