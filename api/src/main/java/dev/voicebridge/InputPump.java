package dev.voicebridge;

import dev.voicebridge.internal.DefaultSynthesisSession;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Feeds an iterator of input events into a session on a named daemon thread ({@code
 * voicebridge-input-<provider>-<n>}), so the caller can read audio while tokens still arrive. The
 * thread ends with the iteration, or is interrupted when the session ends first.
 */
final class InputPump {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private InputPump() {}

  /** Starts feeding {@code events} into {@code session}, then calls {@code finish()}. */
  static Thread start(SynthesisSession session, Iterator<? extends InputEvent> events) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (events.hasNext()) {
                  if (Thread.currentThread().isInterrupted()) {
                    return;
                  }
                  session.send(events.next());
                }
                session.finish();
              } catch (RuntimeException e) {
                VoicebridgeException failure =
                    e instanceof VoicebridgeException v
                        ? v
                        : new VoicebridgeException(
                            session.provider(), "the input iterator failed: " + e, e);
                if (session instanceof DefaultSynthesisSession d) {
                  d.failFromLibrary(failure);
                } else {
                  session.cancel();
                }
              }
            },
            "voicebridge-input-" + session.provider() + "-" + COUNT.incrementAndGet());
    t.setDaemon(true);
    session
        .completion()
        .whenComplete(
            (r, e) -> {
              if (t.isAlive() && t != Thread.currentThread()) {
                t.interrupt();
              }
            });
    t.start();
    return t;
  }
}
