package dev.voicebridge.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Schedules an emulator's frames according to its {@link LatencyProfile}, on a small pool of named
 * daemon threads that {@link #close()} stops.
 *
 * <p>Each session sends through its own {@link Lane}: tasks submitted to a lane run one after the
 * other, in submission order, each after its delay (counted from the end of the previous task), so
 * frames of one session never overtake each other while sessions run concurrently. Tasks must not
 * block (send asynchronously).
 */
public final class Pacer implements AutoCloseable {
  private final LatencyProfile profile;
  private final Random random;
  private final ScheduledThreadPoolExecutor executor;

  /**
   * A pacer.
   *
   * @param name the prefix of its threads' names, for example {@code fish-emulator}
   * @param profile the latency profile
   * @param seed the seed of the jitter
   */
  public Pacer(String name, LatencyProfile profile, long seed) {
    Objects.requireNonNull(name, "name");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.random = new Random(seed);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, name + "-pacer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = new ScheduledThreadPoolExecutor(2, tf);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** {@return the profile} */
  public LatencyProfile profile() {
    return profile;
  }

  /** {@return the executor (for timers that are not frames, e.g. inactivity timeouts)} */
  public ScheduledExecutorService executor() {
    return executor;
  }

  /** {@return a random extra delay in [0, jitter] from the seeded random} */
  public Duration jitter() {
    long max = profile.jitter().toNanos();
    if (max <= 0) {
      return Duration.ZERO;
    }
    long j;
    synchronized (random) {
      j = (long) (random.nextDouble() * max);
    }
    return Duration.ofNanos(j);
  }

  /**
   * {@return the delay before a frame: the profile's first-audio delay for the first frame of a
   * generation, otherwise the wall time of the previous frame's audio at the profile's pace; plus
   * jitter}
   *
   * @param firstOfGeneration whether this is the first frame of a generation
   * @param previousFrameAudio the playing time of the previous frame (ignored for a first frame)
   */
  public Duration frameDelay(boolean firstOfGeneration, Duration previousFrameAudio) {
    Duration base =
        firstOfGeneration ? profile.firstAudio() : profile.wallTimeOf(previousFrameAudio);
    return base.plus(jitter());
  }

  /**
   * {@return a new timeline (one per session): delays whose jitter does not accumulate, so a long
   * stream keeps the profile's pace}
   */
  public Timeline timeline() {
    return new Timeline();
  }

  /**
   * Per-session delays with non-cumulative jitter: each frame is late by its own jitter relative to
   * the ideal schedule, not by the sum of the jitters before it. Thread-safe.
   */
  public final class Timeline {
    private long previousJitter;

    private Timeline() {}

    /**
     * {@return the delay before the next frame, counted from the previous one: {@code base} (the
     * first-audio delay of a generation, or the previous frame's audio at the profile's pace,
     * {@link LatencyProfile#wallTimeOf}) plus this frame's jitter, minus the previous frame's}
     *
     * @param base the delay before jitter
     */
    public synchronized Duration delay(Duration base) {
      long j = jitter().toNanos();
      long d = base.toNanos() + j - previousJitter;
      previousJitter = j;
      return Duration.ofNanos(Math.max(0, d));
    }
  }

  /** {@return a new lane (one per session)} */
  public Lane lane() {
    return new Lane();
  }

  /** Stops the threads; pending tasks are dropped. Idempotent. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * An ordered queue of delayed tasks for one session. Thread-safe. A task that throws is reported
   * to the thread's uncaught exception handler and the lane goes on.
   */
  public final class Lane {
    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    private boolean running;
    private boolean executing;
    private boolean cancelled;
    private Object token;
    private ScheduledFuture<?> current;
    private long lastDue = -1; // when the previous task was due (not when it ran): no drift

    private Lane() {}

    /**
     * Runs {@code task} after the previous task of this lane, plus {@code delay}.
     *
     * @param delay how long to wait after the previous task
     * @param task the task
     */
    public synchronized void submit(Duration delay, Runnable task) {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(task, "task");
      if (cancelled) {
        return;
      }
      queue.add(new Object[] {delay, task});
      if (!running) {
        scheduleNext();
      }
    }

    /**
     * Runs {@code task} after the previous task of this lane, without delay.
     *
     * @param task the task
     */
    public void submit(Runnable task) {
      submit(Duration.ZERO, task);
    }

    /**
     * Drops the tasks not yet run (a task already running finishes); later submissions are ignored.
     */
    public synchronized void cancel() {
      cancelled = true;
      clear();
    }

    /** Drops the tasks not yet run (a task already running finishes); later submissions run. */
    public synchronized void clear() {
      queue.clear();
      if (!executing && current != null) {
        current.cancel(false);
        current = null;
        token = null;
        running = false;
        lastDue = -1;
      }
    }

    /** {@return whether no task is waiting or running} */
    public synchronized boolean idle() {
      return !running && queue.isEmpty();
    }

    private void scheduleNext() {
      Object[] next = queue.poll();
      if (next == null || cancelled || executor.isShutdown()) {
        running = false;
        current = null;
        token = null;
        lastDue = -1;
        return;
      }
      running = true;
      Duration delay = (Duration) next[0];
      // each task is due its delay after the previous task was DUE, so the time tasks take to
      // run (writing a frame) does not add up over a long stream; a late lane catches up
      long now = System.nanoTime();
      long due = Math.max(now, (lastDue < 0 ? now : lastDue) + Math.max(0, delay.toNanos()));
      lastDue = due;
      delay = Duration.ofNanos(due - now);
      Runnable task = (Runnable) next[1];
      Object mine = new Object();
      token = mine;
      try {
        current =
            executor.schedule(
                () -> run(mine, task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        running = false;
        current = null;
        token = null;
        queue.clear();
      }
    }

    private void run(Object mine, Runnable task) {
      synchronized (this) {
        if (token != mine) {
          return;
        }
        executing = true;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      } finally {
        synchronized (this) {
          executing = false;
          if (token == mine) {
            scheduleNext();
          }
        }
      }
    }
  }
}
