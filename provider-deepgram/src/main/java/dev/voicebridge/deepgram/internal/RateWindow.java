package dev.voicebridge.deepgram.internal;

import java.util.ArrayDeque;

/**
 * A sliding-window budget: at most {@code limit} units (characters, flushes) within any {@code
 * window}, on a clock the caller passes in (the session's ticker), so tests move time by hand. Not
 * thread-safe (the backend holds its lock).
 */
final class RateWindow {
  private final long windowNanos;
  private final long limit;
  private final ArrayDeque<long[]> spent = new ArrayDeque<>(); // {time, amount}, oldest first
  private long total;

  RateWindow(long limit, long windowNanos) {
    if (limit < 1 || windowNanos < 1) {
      throw new IllegalArgumentException("limit and window must be positive");
    }
    this.limit = limit;
    this.windowNanos = windowNanos;
  }

  /** The budget. */
  long limit() {
    return limit;
  }

  /** Units spent within the window ending at {@code now}. */
  long used(long now) {
    while (!spent.isEmpty() && now - spent.peekFirst()[0] >= windowNanos) {
      total -= spent.pollFirst()[1];
    }
    return total;
  }

  /** Units that may be spent at {@code now}. */
  long remaining(long now) {
    return Math.max(0, limit - used(now));
  }

  /** Spends {@code amount} at {@code now}. */
  void spend(long now, long amount) {
    if (amount <= 0) {
      return;
    }
    used(now);
    spent.addLast(new long[] {now, amount});
    total += amount;
  }

  /**
   * How long from {@code now} until at most {@code maxUsed} units are spent within the window (0 if
   * that is already so).
   */
  long nanosUntilUsedAtMost(long now, long maxUsed) {
    long t = used(now);
    if (t <= maxUsed) {
      return 0;
    }
    for (long[] e : spent) {
      t -= e[1];
      if (t <= maxUsed) {
        return Math.max(1, e[0] + windowNanos - now);
      }
    }
    return windowNanos; // unreachable with maxUsed >= 0
  }
}
