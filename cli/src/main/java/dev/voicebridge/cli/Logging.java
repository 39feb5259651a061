package dev.voicebridge.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The command line's logging: the library logs through {@code System.Logger}, which in a plain JVM
 * is {@code java.util.logging}, whose default prints INFO and above to stderr. The command is quiet
 * by default (warnings only); {@code --verbose} shows the library's debug lines (connection
 * lifecycle, retries, failovers), one line each. The library never logs a secret; the command's own
 * output passes its redactor.
 */
final class Logging {
  private static final Logger LIBRARY = Logger.getLogger("dev.voicebridge");

  private Logging() {}

  /** Sets the library's level for this run of the command. */
  static void configure(boolean verbose) {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "voicebridge: %4$s %3$s: %5$s%6$s%n");
    LIBRARY.setLevel(verbose ? Level.FINE : Level.WARNING);
    if (verbose) {
      for (Handler h : LIBRARY.getHandlers()) {
        LIBRARY.removeHandler(h);
      }
      ConsoleHandler console = new ConsoleHandler();
      console.setLevel(Level.FINE);
      console.setFormatter(new SimpleFormatter());
      LIBRARY.addHandler(console);
      LIBRARY.setUseParentHandlers(false);
    }
  }
}
