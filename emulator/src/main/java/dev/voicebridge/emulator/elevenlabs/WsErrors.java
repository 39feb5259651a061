package dev.voicebridge.emulator.elevenlabs;

import dev.voicebridge.spi.conformance.Fault;
import java.time.Duration;

/** The error codes and messages of the WebSocket endpoints (protocol note section 1.4). */
final class WsErrors {
  /** The message of a key without quota. */
  static final String QUOTA =
      "This request exceeds your quota of 10000. You have 0 credits remaining, while 1 credits"
          + " are required for this request.";

  private WsErrors() {}

  /** The error code and message of a fault's kind. */
  static String[] errorOf(Fault.ErrorKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> new String[] {"invalid_api_key", "Invalid API key"};
      case QUOTA ->
          new String[] {
            "quota_exceeded",
            "This request exceeds your quota of 10000. You have 0 credits remaining, while 91"
                + " credits are required for this request."
          };
      case RATE_LIMIT ->
          new String[] {
            "too_many_concurrent_requests",
            "Too many concurrent requests. Your current subscription is associated with a maximum"
                + " of 5 concurrent requests (running in parallel)."
          };
      case INVALID_REQUEST -> new String[] {"invalid_request", "The request was invalid."};
      case SERVER ->
          new String[] {
            "internal_error",
            "We are sorry, something went wrong. You are not charged for this request."
          };
    };
  }

  /** The message of {@code max_active_conversations}. */
  static String maxContexts(int max) {
    return "Maximum simultaneous contexts per WebSocket connection exceeded ("
        + max
        + "). Please close an existing context before opening a new one.";
  }

  /** The message of {@code input_timeout_exceeded}. */
  static String inputTimeout(Duration inactivity) {
    long ms = inactivity.toMillis();
    String secs = ms % 1000 == 0 ? (ms / 1000) + ".0" : String.valueOf(ms / 1000.0);
    return "Have not received a new text input within the timeout of "
        + secs
        + " seconds. Streaming input terminated. Please make sure to either feed the input in"
        + " the timely manner, or to send the end of input text (empty string \"\") when"
        + " done.";
  }

  /** The message of {@code max_character_limit_exceeded}. */
  static String characterLimit(int limit, long chars) {
    return "The generation has "
        + chars
        + " characters, more than the limit of "
        + limit
        + " characters per request.";
  }
}
