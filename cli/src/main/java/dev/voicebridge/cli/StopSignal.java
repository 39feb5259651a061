package dev.voicebridge.cli;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The user asked the command line to stop (Ctrl-C, or SIGTERM). {@link Main#main} triggers it from
 * a shutdown hook; tests trigger it directly. A running command registers what stopping means for
 * it, and closes its registration once its output is complete: {@link #trigger} waits for that, so
 * the JVM does not exit while a file is half written.
 */
final class StopSignal {
  private final Set<Registration> running = ConcurrentHashMap.newKeySet();
  private volatile boolean triggered;

  /**
   * Registers a running command; {@code onStop} runs when the signal comes, at once if it already
   * came. Close the registration when the command's output is complete.
   */
  Registration register(Runnable onStop) {
    Registration r = new Registration(onStop);
    running.add(r);
    if (triggered) {
      r.stop();
    }
    return r;
  }

  /**
   * Stops every running command and waits until each has closed its registration.
   *
   * @return whether all of them did within {@code timeout}
   */
  boolean trigger(Duration timeout) {
    triggered = true;
    List<Registration> now = List.copyOf(running);
    now.forEach(Registration::stop);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (Registration r : now) {
        if (!r.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the signal came. */
  boolean triggered() {
    return triggered;
  }

  /** One running command. */
  final class Registration implements AutoCloseable {
    private final Runnable onStop;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    private Registration(Runnable onStop) {
      this.onStop = onStop;
    }

    private void stop() {
      if (stopped.compareAndSet(false, true)) {
        onStop.run();
      }
    }

    /** The command's output is complete. */
    @Override
    public void close() {
      running.remove(this);
      done.countDown();
    }
  }
}
