package dev.voicebridge.cli;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.LimitExceededException;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeException;

/** One clear line per failure, and the exit code that goes with it. */
final class Errors {
  private Errors() {}

  /** The failure in one line; "(retryable)" only for failures that trying again may fix. */
  static String describe(Throwable e) {
    String text;
    if (e instanceof UsageException u) {
      text = u.getMessage();
    } else if (e instanceof VoicebridgeException v) {
      boolean retry = v.isRetryable() && exitCode(e) != Main.USAGE;
      text = v.getMessage() + (retry ? " (retryable)" : "");
    } else {
      String m = e.getMessage();
      text = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
    // several configuration problems come as a list: one line, separated by semicolons
    return text.replaceFirst(":\\s*\\R\\s*-\\s+", ": ")
        .replaceAll("\\s*\\R\\s*-\\s+", "; ")
        .replaceAll("\\s*\\R\\s*", " ");
  }

  /** 2 for usage and configuration, 1 for anything else. */
  static int exitCode(Throwable e) {
    if (e instanceof UsageException
        || e instanceof ConfigurationException
        || e instanceof UnsupportedCapabilityException
        || e instanceof LimitExceededException
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
