package dev.voicebridge.check.internal;

import dev.voicebridge.SynthesisSession;

/**
 * The characters a check may still send. Every text a rule sends goes through {@link #send}, which
 * refuses a text that would pass the budget before the text leaves: the plan is the promise, this
 * is the guard that keeps it even if a rule were to send more than it planned.
 */
public final class Budget {
  private final int limit;
  private int spent;

  /** A budget of {@code limit} characters. */
  public Budget(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    this.limit = limit;
  }

  /** The number of characters (code points) of {@code text}. */
  public static int count(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * Hands {@code text} to {@code session} and counts it.
   *
   * @throws IllegalStateException if the text would pass the budget (nothing is sent)
   */
  public void send(SynthesisSession session, String text) {
    take(count(text));
    session.sendText(text);
  }

  /**
   * Counts {@code chars} characters about to be sent.
   *
   * @throws IllegalStateException if they would pass the budget
   */
  public synchronized void take(int chars) {
    if (chars < 0) {
      throw new IllegalArgumentException("chars must not be negative: " + chars);
    }
    if ((long) spent + chars > limit) {
      throw new IllegalStateException(
          "the character budget would be passed: "
              + spent
              + " sent, "
              + chars
              + " more asked, "
              + limit
              + " allowed");
    }
    spent += chars;
  }

  /** The characters sent so far. */
  public synchronized int spent() {
    return spent;
  }

  /** The most characters that may be sent. */
  public int limit() {
    return limit;
  }
}
