package dev.voicebridge.emulator.smallest;

/** A request the emulator rejects as invalid; its message is sent to the client verbatim. */
final class BadRequest extends Exception {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    super(message, null, false, false);
  }
}
