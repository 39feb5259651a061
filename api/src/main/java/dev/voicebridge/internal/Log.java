package dev.voicebridge.internal;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The library's logger: a thin wrapper over {@link System.Logger}, so {@code api} stays JDK-only
 * and an application routes the logs to its own backend (SLF4J with {@code
 * org.slf4j:slf4j-jdk-platform-logging}, Log4j2 with {@code log4j-jpl}; without a bridge they go to
 * {@code java.util.logging}). Shared with Voicebridge's own modules (the transport kit, providers).
 *
 * <p>What to log, and at which level (docs/observability.md): connection lifecycle and session
 * lifecycle at {@code debug}; retries, failovers and pool evictions at {@code info}; protocol
 * violations and listener failures at {@code warn}. Never audio, never the text being spoken (log
 * its length), never a secret: log {@link #describe(Throwable)} of an error (its class and message,
 * which the library keeps free of keys) and {@link #safe(URI)} of an address.
 *
 * <p>Logger names start with {@code dev.voicebridge.}: {@code dev.voicebridge.session}, {@code
 * dev.voicebridge.fallback}, {@code dev.voicebridge.listener}, {@code dev.voicebridge.transport}.
 */
public final class Log {
  private final System.Logger logger;

  private Log(System.Logger logger) {
    this.logger = logger;
  }

  /** The logger named {@code name} (for example {@code dev.voicebridge.transport}). */
  public static Log get(String name) {
    return new Log(System.getLogger(Objects.requireNonNull(name, "name")));
  }

  /** The logger's name. */
  public String name() {
    return logger.getName();
  }

  /** Whether debug messages are logged (to avoid building an expensive message). */
  public boolean isDebugEnabled() {
    return logger.isLoggable(Level.DEBUG);
  }

  /** A debug message, built only when debug is enabled. */
  public void debug(Supplier<String> message) {
    if (logger.isLoggable(Level.DEBUG)) {
      logger.log(Level.DEBUG, message.get());
    }
  }

  /** An info message (retries, failovers, pool evictions). */
  public void info(String message) {
    logger.log(Level.INFO, message);
  }

  /** A warning (protocol violations, a listener that threw). */
  public void warn(String message) {
    logger.log(Level.WARNING, message);
  }

  /**
   * A warning with the throwable's stack trace (its message is the library's, free of secrets; use
   * only for throwables whose message the library controls).
   */
  public void warn(String message, Throwable thrown) {
    logger.log(Level.WARNING, message, thrown);
  }

  /** {@code SimpleClassName: message} of a throwable, for one-line log messages. */
  public static String describe(Throwable t) {
    if (t == null) {
      return "null";
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /**
   * An address fit for a log: scheme, host, port and path only (no user info, no query, where a
   * vendor may accept a key, and no fragment).
   */
  public static String safe(URI uri) {
    if (uri == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    if (uri.getScheme() != null) {
      b.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      b.append(uri.getHost());
    }
    if (uri.getPort() >= 0) {
      b.append(':').append(uri.getPort());
    }
    if (uri.getRawPath() != null) {
      b.append(uri.getRawPath());
    }
    return b.toString();
  }
}
