package dev.voicebridge.latency;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.FlushEvent;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TextEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Plays a script into a provider's session in real time and measures the run. */
public final class Runner {

  /** How the runner waits between tokens (tests pass a fake). */
  @FunctionalInterface
  public interface Sleeper {
    /** Waits {@code d}. */
    void sleep(Duration d) throws InterruptedException;

    /** Real sleeping. */
    static Sleeper real() {
      return d -> {
        if (!d.isZero()) {
          TimeUnit.NANOSECONDS.sleep(d.toNanos());
        }
      };
    }
  }

  private final Sleeper sleeper;
  private final Duration timeout;

  /**
   * @param sleeper how to wait between tokens
   * @param timeout how long a run may take after its input ended
   */
  public Runner(Sleeper sleeper, Duration timeout) {
    this.sleeper = sleeper;
    this.timeout = timeout;
  }

  /** Runs {@code script} once. Never throws for a failed synthesis: the result says so. */
  public RunResult run(
      String label,
      int round,
      boolean warm,
      StreamingSynthesizer synthesizer,
      SynthesisOptions options,
      Script script)
      throws InterruptedException {
    List<AudioChunk> chunks = new ArrayList<>();
    List<Long> turnStarts = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    SynthesisSession session;
    try {
      session = synthesizer.open(options);
    } catch (RuntimeException e) {
      return failed(label, round, warm, e);
    }
    session
        .events()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(SynthesisEvent item) {
                if (item instanceof AudioChunk c) {
                  synchronized (chunks) {
                    chunks.add(c);
                  }
                }
              }

              @Override
              public void onError(Throwable t) {
                done.complete(null);
              }

              @Override
              public void onComplete() {
                done.complete(null);
              }
            });
    boolean newTurn = true;
    try {
      for (Script.Step step : script.steps()) {
        sleeper.sleep(step.delay());
        if (step.event() instanceof TextEvent && newTurn) {
          turnStarts.add(System.nanoTime());
          newTurn = false;
        } else if (step.event() instanceof FlushEvent) {
          newTurn = true;
        }
        session.send(step.event());
      }
      session.finish();
      done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      session.cancel();
    } catch (ExecutionException | RuntimeException e) {
      session.cancel();
    } catch (InterruptedException e) {
      session.cancel();
      throw e;
    }
    SynthesisReport r;
    String error = null;
    try {
      r = session.completion().toCompletableFuture().join();
    } catch (CompletionException e) {
      r = session.report();
      error = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    }
    List<AudioChunk> got;
    synchronized (chunks) {
      got = new ArrayList<>(chunks);
    }
    return measure(label, round, warm, r, error, got, turnStarts);
  }

  private static RunResult failed(String label, int round, boolean warm, RuntimeException e) {
    return new RunResult(
        label,
        round,
        warm,
        "FAILED",
        e.getMessage(),
        null,
        false,
        null,
        List.of(),
        null,
        null,
        null,
        0,
        null,
        0,
        0,
        0,
        List.of());
  }

  static Double ms(Duration d) {
    return d == null ? null : d.toNanos() / 1e6;
  }

  /** Computes a run's figures from the api's report and the chunks' arrival times. */
  static RunResult measure(
      String label,
      int round,
      boolean warm,
      SynthesisReport r,
      String error,
      List<AudioChunk> chunks,
      List<Long> turnStarts) {
    List<RunResult.Chunk> timeline = new ArrayList<>();
    double maxGap = 0;
    int underruns = 0;
    double underrunMs = 0;
    long origin =
        chunks.isEmpty() || chunks.get(0).sinceFirstText() == null
            ? 0
            : chunks.get(0).receivedNanos() - chunks.get(0).sinceFirstText().toNanos();
    long playEnd = Long.MIN_VALUE;
    long prevArrival = Long.MIN_VALUE;
    for (AudioChunk c : chunks) {
      long arrival = c.receivedNanos();
      long dur = c.format().durationOf(c.size()).toNanos();
      timeline.add(new RunResult.Chunk((arrival - origin) / 1e6, dur / 1e6));
      if (prevArrival != Long.MIN_VALUE) {
        maxGap = Math.max(maxGap, (arrival - prevArrival) / 1e6);
      }
      prevArrival = arrival;
      if (playEnd == Long.MIN_VALUE) {
        playEnd = arrival + dur;
        continue;
      }
      if (arrival > playEnd) {
        final long idleFrom = playEnd;
        boolean newTurn = turnStarts.stream().anyMatch(t -> t > idleFrom && t <= arrival);
        if (!newTurn) {
          underruns++;
          underrunMs += (arrival - playEnd) / 1e6;
        }
        playEnd = arrival + dur;
      } else {
        playEnd += dur;
      }
    }
    Double total = ms(r.timeToLastAudio().orElse(null));
    double audioMs = r.audioDuration().toNanos() / 1e6;
    Double rtf = total != null && audioMs > 0 ? total / audioMs : null;
    List<Double> flush = new ArrayList<>();
    r.firstAudioAfterFlush().forEach(d -> flush.add(ms(d)));
    return new RunResult(
        label,
        round,
        warm,
        r.outcome().name(),
        error,
        ms(r.connectionSetup().orElse(null)),
        r.connectionReused(),
        ms(r.timeToFirstAudio().orElse(null)),
        flush,
        ms(r.lastAudioAfterFinish().orElse(null)),
        total,
        ms(r.timeToCompletion().orElse(null)),
        audioMs,
        rtf,
        maxGap,
        underruns,
        underrunMs,
        timeline);
  }
}
