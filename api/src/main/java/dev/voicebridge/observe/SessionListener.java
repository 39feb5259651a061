package dev.voicebridge.observe;

/**
 * Sees every session of the synthesizers it is registered on: told when a session opens, it returns
 * the {@link SessionObserver} that receives the rest of that session's events.
 *
 * <p>Register a listener in one of three ways (docs/observability.md):
 *
 * <ul>
 *   <li>in configuration: {@code voicebridge.listeners=com.acme.AuditListener} (class names, comma
 *       separated, each with a public no-argument constructor);
 *   <li>through {@link java.util.ServiceLoader}: list the class in {@code
 *       META-INF/services/dev.voicebridge.observe.SessionListener} (and {@code provides} in {@code
 *       module-info}); {@code voicebridge.discover-listeners=false} turns discovery off;
 *   <li>on a synthesizer: {@link SessionListeners#observe(dev.voicebridge.StreamingSynthesizer,
 *       java.util.Collection)}.
 * </ul>
 *
 * The first two apply to every synthesizer that {@link dev.voicebridge.StreamingSynthesizers}
 * creates.
 *
 * <h2>Threads: be quick</h2>
 *
 * {@link #opened} runs on the thread that called {@code open()} (so a listener can read the
 * caller's context, such as the current trace span), before {@code open()} returns. The observer's
 * methods run synchronously, one at a time per session and in order, on whichever thread reported
 * the event (often a transport thread), never while the session holds a lock. They must return
 * quickly and never block: record a figure, start or stop a span, hand work to a queue. A listener
 * that throws is isolated: the exception is logged and the session goes on; one listener's failure
 * never reaches another listener or the application.
 *
 * <p>Implementations must be thread-safe: sessions open concurrently.
 */
@FunctionalInterface
public interface SessionListener {

  /**
   * A session opened. Called once per session, on the thread that opened it, after the provider
   * started it (its transport and model are known when the provider reports them).
   *
   * @param session what the session is
   * @return the observer of the rest of the session, or {@link SessionObserver#NONE}
   */
  SessionObserver opened(SessionInfo session);
}
