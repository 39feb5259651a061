package dev.voicebridge.internal;

import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.spi.Redactor;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Applies a session's {@link Redactor} to the exceptions it ends with: the message of every {@link
 * VoicebridgeException} in the cause chain (and among the suppressed) is masked from then on. The
 * setter is installed by {@code VoicebridgeException} itself, so the hook stays out of the public
 * API.
 */
public final class Redaction {
  private static volatile BiConsumer<VoicebridgeException, Redactor> setter;

  private Redaction() {}

  /** Called once by {@code VoicebridgeException}'s static initializer. */
  public static void install(BiConsumer<VoicebridgeException, Redactor> s) {
    setter = Objects.requireNonNull(s, "setter");
  }

  /** Masks {@code redactor}'s secrets in {@code error} and every exception it carries. */
  public static <E extends Throwable> E apply(E error, Redactor redactor) {
    if (error == null || redactor == null || redactor.isEmpty()) {
      return error;
    }
    visit(error, redactor, new IdentityHashMap<>());
    return error;
  }

  private static void visit(Throwable t, Redactor r, Map<Throwable, Boolean> seen) {
    for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
      if (c instanceof VoicebridgeException v) {
        setter.accept(v, r);
      }
      for (Throwable s : c.getSuppressed()) {
        visit(s, r, seen);
      }
    }
  }
}
