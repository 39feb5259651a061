package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The command is quiet by default and shows the library's debug lines with --verbose. */
class LoggingTest {
  private final Logger session = Logger.getLogger("dev.voicebridge.session");

  @AfterEach
  void quietAgain() {
    Logging.configure(false);
  }

  @Test
  void quietByDefault() {
    Logging.configure(false);
    assertThat(session.isLoggable(Level.INFO)).as("a failover line at info").isFalse();
    assertThat(session.isLoggable(Level.WARNING)).isTrue();
  }

  @Test
  void verboseShowsDebug() {
    Logging.configure(true);
    assertThat(session.isLoggable(Level.FINE)).as("connection lifecycle at debug").isTrue();
    assertThat(session.isLoggable(Level.FINEST)).isFalse();
  }
}
