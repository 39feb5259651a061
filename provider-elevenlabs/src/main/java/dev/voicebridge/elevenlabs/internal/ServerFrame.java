package dev.voicebridge.elevenlabs.internal;

/**
 * One decoded server message of the WebSockets. Public (in this unexported package) for the
 * benchmarks.
 *
 * @param audio the decoded audio, or null when the frame has none
 * @param isFinal whether {@code isFinal} (or {@code is_final}) was true
 * @param contextId {@code contextId} or {@code context_id}, or null
 * @param alignment {@code alignment}, or null
 * @param normalizedAlignment {@code normalizedAlignment}, or null
 * @param error the vendor's error code ({@code error}), or null
 * @param message the vendor's error message, or null
 * @param code the vendor's {@code code} (usually 1008), or null
 */
public record ServerFrame(
    byte[] audio,
    boolean isFinal,
    String contextId,
    Alignment alignment,
    Alignment normalizedAlignment,
    String error,
    String message,
    Integer code) {

  /** Whether this frame reports an error. */
  public boolean isError() {
    return error != null || (message != null && audio == null && !isFinal);
  }
}
