package dev.voicebridge.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The library's one timer thread, {@code voicebridge-timer}: a daemon that exists only while
 * timeouts are pending and ends itself after a second idle, so nothing lingers.
 */
public final class Timers {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ScheduledThreadPoolExecutor EXECUTOR = create();

  private Timers() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "voicebridge-timer-" + COUNT.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    e.setKeepAliveTime(1, TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true);
    e.setRemoveOnCancelPolicy(true);
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return e;
  }

  /** Runs {@code task} after {@code nanos}; the task must be quick and must not block. */
  public static ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return EXECUTOR.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }
}
