package dev.voicebridge.emulator.internal;

/**
 * Keeps SLF4J quiet for an application that starts an emulator without a logging backend. Jetty
 * logs through SLF4J; with no SLF4J provider on the class path, SLF4J falls back to its no-op
 * logger and prints three warning lines about it to stderr (in {@code voicebridge emulate}, in
 * every test that starts an emulator). In that case only, and only if the application has not set
 * them, this names the same no-op fallback explicitly and raises SLF4J's own reporting threshold to
 * warnings: the behaviour is what SLF4J would do anyway, minus the noise. An application with a
 * backend (Logback, slf4j-simple, ...) is not touched and gets Jetty's log.
 */
public final class EmulatorLogging {
  static final String SERVICES = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
  static final String PROVIDER = "slf4j.provider";
  static final String VERBOSITY = "slf4j.internal.verbosity";

  private EmulatorLogging() {}

  /** Before the first Jetty class logs. Idempotent. */
  public static synchronized void quietWithoutBackend() {
    ClassLoader loader = EmulatorLogging.class.getClassLoader();
    if (loader == null || loader.getResource(SERVICES) != null) {
      return; // a backend is there: its configuration decides
    }
    if (System.getProperty(PROVIDER) == null) {
      System.setProperty(PROVIDER, "org.slf4j.helpers.NOP_FallbackServiceProvider");
      if (System.getProperty(VERBOSITY) == null) {
        System.setProperty(VERBOSITY, "WARN");
      }
    }
  }
}
