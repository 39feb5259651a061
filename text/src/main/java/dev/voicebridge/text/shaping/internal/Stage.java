package dev.voicebridge.text.shaping.internal;

/**
 * One streaming transform of one session. Text comes in as tokens ({@link #push}); a stage emits
 * what it has decided and holds only what it cannot decide yet (an emphasis marker whose next
 * character is unknown, a word that may continue); {@link #flush} decides everything held as if the
 * input ended there (the session goes on afterwards, with the stage's state kept).
 *
 * <p>A subclass writes {@link #step()}: look at the pending input from its start ({@link #peek}),
 * and either consume a prefix of it (with {@link #copy}, {@link #replace}, {@link #drop}, possibly
 * {@link #insert}ing text) or return false to wait for more. The rule that makes the output
 * independent of how the input was split into tokens: a step decides only from characters it has
 * seen, and waits (returns false) whenever the next character it needs is not there yet, unless
 * {@link #atEnd()}. Not thread-safe.
 */
public abstract class Stage {
  private final Annotated pending = new Annotated();
  private Annotated out;
  private int pos;
  private boolean end;
  private char prev = '\n';
  private char lastOut;

  /** Takes {@code in} and appends to {@code sink} what can be decided. */
  public final void push(Annotated in, Annotated sink) {
    pending.append(in);
    run(sink, false);
  }

  /** Decides and emits everything held. */
  public final void flush(Annotated sink) {
    run(sink, true);
  }

  private void run(Annotated sink, boolean atEnd) {
    out = sink;
    end = atEnd;
    pos = 0;
    try {
      while (pos < pending.length()) {
        int before = pos;
        boolean progressed = step();
        if (!progressed) {
          if (end) {
            throw new IllegalStateException(getClass().getSimpleName() + " held input at a flush");
          }
          break;
        }
        if (pos == before) {
          throw new IllegalStateException(getClass().getSimpleName() + " consumed nothing");
        }
      }
    } finally {
      pending.removeFirst(pos);
      pos = 0;
      out = null;
    }
  }

  /**
   * Consumes a prefix of the pending input, or returns false to wait for more input (never when
   * {@link #atEnd()}).
   */
  protected abstract boolean step();

  /** Characters pending, from the current position. */
  protected final int available() {
    return pending.length() - pos;
  }

  /** The pending character {@code k} places ahead of the current position. */
  protected final char peek(int k) {
    return pending.charAt(pos + k);
  }

  /** The code point at {@code k}. */
  protected final int codePointAt(int k) {
    char c = peek(k);
    if (Character.isHighSurrogate(c) && k + 1 < available()) {
      char d = peek(k + 1);
      if (Character.isLowSurrogate(d)) {
        return Character.toCodePoint(c, d);
      }
    }
    return c;
  }

  /** The pending characters {@code [from, to)} from the current position. */
  protected final String text(int from, int to) {
    return pending.text(pos + from, pos + to);
  }

  /** Whether the input ends after what is pending (a flush or the end of input). */
  protected final boolean atEnd() {
    return end;
  }

  /** The last character consumed, {@code '\n'} before the first. */
  protected final char prev() {
    return prev;
  }

  /** The last character emitted, 0 before the first. */
  protected final char lastOut() {
    return lastOut;
  }

  /** Emits the next {@code n} characters unchanged. */
  protected final void copy(int n) {
    out.append(pending, pos, pos + n);
    advance(n);
    if (n > 0) {
      lastOut = out.charAt(out.length() - 1);
    }
  }

  /** Consumes the next {@code n} characters and emits {@code text} standing for all of them. */
  protected final void replace(int n, CharSequence text) {
    int[] span = pending.span(pos, pos + n);
    out.append(text, span == null ? -1 : span[0], span == null ? -1 : span[1]);
    advance(n);
    if (text.length() > 0) {
      lastOut = text.charAt(text.length() - 1);
    }
  }

  /** Consumes the next {@code n} characters, emitting nothing. */
  protected final void drop(int n) {
    advance(n);
  }

  /** Emits {@code text}, which stands for nothing in the original. */
  protected final void insert(CharSequence text) {
    out.append(text, -1, -1);
    if (text.length() > 0) {
      lastOut = text.charAt(text.length() - 1);
    }
  }

  private void advance(int n) {
    if (n < 0 || n > available()) {
      throw new IllegalArgumentException("cannot consume " + n + " of " + available());
    }
    if (n > 0) {
      prev = pending.charAt(pos + n - 1);
    }
    pos += n;
  }
}
