package dev.voicebridge.benchmarks.soak;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.smallest.SmallestOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Soak test: for each provider and its main transport, {@code --sessions} sequential sessions run
 * to completion, then {@code --cancels} sessions cancelled after their first audio chunk, against
 * an in-process emulator (zero latency profile, tone voice). At intervals it samples the heap after
 * a full GC, the live thread count and the number of open file descriptors ({@code /proc/self/fd}),
 * and at the end compares the samples: all three must stay flat. Before each sample the emulator's
 * own per-session records are dropped ({@code control().reset()}), so that what is measured is the
 * library (the emulator keeps a record of every session for the conformance suite).
 *
 * <p>Usage: {@code java -cp <benchmarks class path> dev.voicebridge.benchmarks.soak.Soak
 * [--providers fish,elevenlabs,smallest] [--sessions 10000] [--cancels 1000] [--samples 10] [--out
 * soak.md]}. Short mode: {@code --sessions 500 --cancels 50}. Exit status 0 when everything stayed
 * flat and no session failed, 1 otherwise.
 */
public final class Soak {
  private static final String KEY = "soak-test-key";
  private static final String TEXT =
      "The soak test keeps the library busy for a long time. It checks that nothing leaks.";
  private static final long SESSION_TIMEOUT_SECONDS = 30;

  /** Threads above the first sample that still count as flat (pools that grow to their size). */
  static final int THREAD_SLACK = 4;

  /** File descriptors above the first sample that still count as flat. */
  static final int FD_SLACK = 8;

  /** Heap growth above the first sample that still counts as flat, in bytes. */
  static final long HEAP_SLACK = 16L << 20;

  private Soak() {}

  /**
   * Runs the soak.
   *
   * @param args see the class comment
   * @throws Exception if the emulator or the synthesizer cannot be started
   */
  public static void main(String[] args) throws Exception {
    List<String> providers = List.of("fish", "elevenlabs", "smallest");
    int sessions = 10_000;
    int cancels = 1_000;
    int samples = 10;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--providers" -> providers = List.of(args[++i].split(","));
        case "--sessions" -> sessions = Integer.parseInt(args[++i]);
        case "--cancels" -> cancels = Integer.parseInt(args[++i]);
        case "--samples" -> samples = Math.max(2, Integer.parseInt(args[++i]));
        case "--out" -> out = Path.of(args[++i]);
        case "-h", "--help" -> {
          System.out.println(
              "Soak [--providers fish,elevenlabs,smallest] [--sessions 10000] [--cancels 1000]"
                  + " [--samples 10] [--out file.md]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "Soak %s: --sessions %d --cancels %d; %d cpus, java %s (%s), max heap %d MiB%n",
            Instant.now(),
            sessions,
            cancels,
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            Runtime.getRuntime().maxMemory() >> 20));
    System.out.print(report);
    boolean ok = true;
    for (String p : providers) {
      Result r = soak(p.trim(), sessions, cancels, samples);
      report.append(r.table());
      ok &= r.flat() && r.failures() == 0;
    }
    if (out != null) {
      Files.writeString(
          out,
          report,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    System.out.println(ok ? "RESULT: flat, no failures" : "RESULT: growth or failures, see above");
    System.exit(ok ? 0 : 1);
  }

  /** One sample of the resources. */
  record Sample(String phase, int done, long heapBytes, int threads, long fds, long millis) {
    String row() {
      return String.format(
          Locale.ROOT,
          "| %-9s | %6d | %8.1f | %7d | %5d | %8d |%n",
          phase,
          done,
          heapBytes / 1048576.0,
          threads,
          fds,
          millis);
    }
  }

  /** What one provider's soak measured. */
  record Result(
      String provider, List<Sample> samples, int failures, String firstFailure, long wallMillis) {
    boolean threadsFlat() {
      return max(s -> s.threads()) <= samples.get(0).threads() + THREAD_SLACK;
    }

    boolean fdsFlat() {
      return max(s -> s.fds()) <= samples.get(0).fds() + FD_SLACK;
    }

    boolean heapFlat() {
      // the last third of the run against the first sample: a leak keeps climbing
      long first = samples.get(0).heapBytes();
      long lateMin = Long.MAX_VALUE;
      for (int i = samples.size() * 2 / 3; i < samples.size(); i++) {
        lateMin = Math.min(lateMin, samples.get(i).heapBytes());
      }
      return lateMin <= first + HEAP_SLACK;
    }

    boolean flat() {
      return threadsFlat() && fdsFlat() && heapFlat();
    }

    private long max(java.util.function.ToLongFunction<Sample> f) {
      return samples.stream().mapToLong(f).max().orElse(0);
    }

    String table() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "%n%s (wall %d ms)%n%n", provider, wallMillis));
      b.append("| phase     | done   | heap MiB | threads | fds   | ms       |\n");
      b.append("|-----------|--------|----------|---------|-------|----------|\n");
      samples.forEach(s -> b.append(s.row()));
      b.append(
          String.format(
              Locale.ROOT,
              "%nthreads %s, fds %s, heap %s; failures %d%s%n",
              threadsFlat() ? "flat" : "GREW",
              fdsFlat() ? "flat" : "GREW",
              heapFlat() ? "flat" : "GREW",
              failures,
              firstFailure == null ? "" : " (first: " + firstFailure + ")"));
      return b.toString();
    }
  }

  static Result soak(String provider, int sessions, int cancels, int samples) throws Exception {
    EmulatorConfig config =
        EmulatorConfig.builder()
            .apiKey(KEY)
            .profile(LatencyProfile.ZERO)
            .voice(Voice.tone())
            .build();
    List<Sample> taken = new ArrayList<>();
    int failures = 0;
    String firstFailure = null;
    long start = System.nanoTime();
    PrintStream o = System.out;
    o.printf(Locale.ROOT, "%n== %s: %d sessions, %d cancelled%n", provider, sessions, cancels);
    try (VendorEmulator emulator = start(provider, config);
        StreamingSynthesizer synth =
            StreamingSynthesizers.create(
                provider,
                VoicebridgeConfig.of(
                    Map.of(
                        "voicebridge." + provider + ".base-url",
                        emulator.baseUrl().toString(),
                        "voicebridge." + provider + ".api-key",
                        KEY)))) {
      SynthesisOptions options = options(provider);
      // warm-up: pools, caches and JIT reach their steady size before the first sample
      int warmup = Math.min(200, Math.max(20, sessions / 20));
      for (int i = 0; i < warmup; i++) {
        String f = complete(synth, options);
        if (f != null) {
          failures++;
          firstFailure = firstFailure == null ? f : firstFailure;
        }
      }
      emulator.control().reset();
      taken.add(sample("warm", 0, start));
      o.print(taken.get(0).row());
      int every = Math.max(1, sessions / Math.max(1, samples));
      for (int i = 1; i <= sessions; i++) {
        String f = complete(synth, options);
        if (f != null) {
          failures++;
          firstFailure = firstFailure == null ? f : firstFailure;
        }
        if (i % every == 0 || i == sessions) {
          emulator.control().reset();
          Sample s = sample("complete", i, start);
          taken.add(s);
          o.print(s.row());
        }
      }
      int everyCancel = Math.max(1, cancels / Math.max(1, samples / 2));
      for (int i = 1; i <= cancels; i++) {
        String f = cancelled(synth, options);
        if (f != null) {
          failures++;
          firstFailure = firstFailure == null ? f : firstFailure;
        }
        if (i % everyCancel == 0 || i == cancels) {
          emulator.control().reset();
          Sample s = sample("cancel", i, start);
          taken.add(s);
          o.print(s.row());
        }
      }
    }
    Sample after = sample("closed", sessions + cancels, start);
    o.print(after.row());
    Result r =
        new Result(
            provider,
            taken,
            failures,
            firstFailure,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    List<Sample> withClosed = new ArrayList<>(taken);
    withClosed.add(after);
    r = new Result(provider, withClosed, failures, firstFailure, r.wallMillis());
    o.print(r.table());
    return r;
  }

  /**
   * PCM at 24 kHz with the provider's defaults (its main transport), except Smallest's {@code
   * complete_backoff_ms}: its server default of 4 s idle before {@code complete} would make every
   * session last 4 s, so the soak uses 50 ms as the conformance fixture does.
   */
  static SynthesisOptions options(String provider) {
    SynthesisOptions.Builder b = SynthesisOptions.builder().format(AudioFormat.pcm(24_000));
    if (provider.equals("smallest")) {
      b.set(SmallestOptions.COMPLETE_BACKOFF_MS, 50);
    }
    return b.build();
  }

  private static VendorEmulator start(String provider, EmulatorConfig config) {
    return Emulators.start(provider, config);
  }

  /** One session to completion; returns null, or what went wrong. */
  private static String complete(StreamingSynthesizer synth, SynthesisOptions options) {
    Events e = new Events();
    try (SynthesisSession s = synth.open(options)) {
      s.events().subscribe(e);
      s.sendText(TEXT);
      s.finish();
      e.done.get(SESSION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (e.bytes == 0) {
        return "a session completed without audio";
      }
      return null;
    } catch (ExecutionException x) {
      return String.valueOf(x.getCause());
    } catch (TimeoutException x) {
      return "no terminal signal within " + SESSION_TIMEOUT_SECONDS + " s";
    } catch (Exception x) {
      return String.valueOf(x);
    }
  }

  /** One session cancelled after its first audio chunk; returns null, or what went wrong. */
  private static String cancelled(StreamingSynthesizer synth, SynthesisOptions options) {
    Events e = new Events();
    try (SynthesisSession s = synth.open(options)) {
      s.events().subscribe(e);
      s.sendText(TEXT + " " + TEXT + " " + TEXT);
      s.finish();
      e.firstAudio.get(SESSION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      s.cancel();
      try {
        e.done.get(SESSION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException x) {
        if (!(x.getCause() instanceof SynthesisCancelledException)) {
          return "cancel ended with " + x.getCause();
        }
      }
      return null;
    } catch (ExecutionException x) {
      return String.valueOf(x.getCause());
    } catch (TimeoutException x) {
      return "no audio or terminal signal within " + SESSION_TIMEOUT_SECONDS + " s";
    } catch (Exception x) {
      return String.valueOf(x);
    }
  }

  private static Sample sample(String phase, int done, long start) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    return new Sample(
        phase,
        done,
        heap,
        threads,
        fds(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  private static long fds() {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  /** Counts audio and completes when the session ends. */
  private static final class Events implements Flow.Subscriber<SynthesisEvent> {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CompletableFuture<Void> firstAudio = new CompletableFuture<>();
    volatile long bytes;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(SynthesisEvent item) {
      if (item instanceof AudioChunk c) {
        bytes += c.size();
        firstAudio.complete(null);
      }
    }

    @Override
    public void onError(Throwable t) {
      firstAudio.completeExceptionally(t);
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      firstAudio.complete(null);
      done.complete(null);
    }
  }
}
