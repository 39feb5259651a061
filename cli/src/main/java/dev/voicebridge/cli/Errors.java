package dev.voicebridge.cli;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeException;

/** One clear line per failure, and the exit code that goes with it. */
final class Errors {
  private Errors() {}

  static String describe(Throwable e) {
    if (e instanceof UsageException u) {
      return u.getMessage();
    }
    if (e instanceof VoicebridgeException v) {
      String retry = v.isRetryable() ? " (retryable)" : "";
      return v.getMessage() + retry;
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static int exitCode(Throwable e) {
    if (e instanceof UsageException
        || e instanceof ConfigurationException
        || e instanceof UnsupportedCapabilityException
        || e instanceof IllegalArgumentException) {
      return Main.USAGE;
    }
    return Main.FAILED;
  }

  /** Bad input from the user, reported in one line. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
