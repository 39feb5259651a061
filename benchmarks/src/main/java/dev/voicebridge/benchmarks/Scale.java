package dev.voicebridge.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.voicebridge.AudioChunk;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Recorder;

/**
 * Benchmark 3, scale: N concurrent sessions against the emulators in a separate JVM (real-time
 * pacing, PCM 24 kHz). Reports client CPU seconds per second of audio and per wall second, the
 * emulator JVM's cores used, heap after a GC in the middle of the run, peak threads, and the
 * lateness of chunk delivery: for a chunk at byte offset o, {@code got - (first chunk got +
 * duration(o))}, clamped at zero, where "got" is when the application's {@code onNext} ran — how
 * far behind the real-time schedule set by the session's first chunk the application got it (the
 * emulator's own scheduling delays count against us; there is no jitter). Library rows also give
 * the same figure by {@link AudioChunk#receivedNanos()} (arrival in the session). A warm-up round
 * (not reported) runs first, so no row pays for the JIT of both JVMs. The floor sessions open
 * without blocking, like the library's, so both run the same number of sessions at once.
 *
 * <p>{@code java -jar benchmarks.jar scale [--short] [--sessions 100,500,1000] [--vendor fish]
 * [--transport websocket] [--chars 100] [--floor] [--floor-first] [--paired] [--warmup 100]
 * [--first-ms 200] [--timeline]}: {@code --floor} adds, for Fish, the same sessions on bare JDK
 * WebSockets; {@code --timeline} prints the lateness per half second of the run; {@code --paired}
 * runs each row's N sessions alternately on the library and on bare JDK WebSockets in one run, so
 * both see the same load (this machine is shared: rows run one after the other see different
 * loads).
 */
public final class Scale {
  private Scale() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Common.flag(args, "--short");
    String[] counts = Common.option(args, "--sessions", quick ? "100" : "100,500,1000").split(",");
    String vendor = Common.option(args, "--vendor", "fish");
    String transport = Common.option(args, "--transport", "websocket");
    boolean timeline = Common.flag(args, "--timeline");
    int chars = Integer.parseInt(Common.option(args, "--chars", quick ? "80" : "170"));
    // one sentence: every vendor synthesizes it as one generation, so the only waits in the stream
    // are the real-time pacing (a sentence per generation would add the profile's first-audio delay
    // between sentences, which is the emulated vendor's latency, not lateness of ours)
    String text = "scale test words ".repeat(chars / 17 + 1).substring(0, chars).strip() + ".";
    Process emulator =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                Bench.class.getName(),
                "emulator",
                "--first-ms",
                Common.option(args, "--first-ms", "200"),
                "--pace",
                "1.0",
                "--jitter-ms",
                "0")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Map<String, URI> urls = new HashMap<>();
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null && !line.equals("READY"); ) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        urls.put(line.substring(0, eq), URI.create(line.substring(eq + 1)));
      }
    }
    System.out.println("# scale, " + Common.machine());
    System.out.printf(
        "# %s/%s, emulator pid %d in its own JVM (first audio %s ms, real-time pace, no jitter),"
            + " %d chars = %.1f s of audio per session, sessions opened over 1 s%n",
        vendor,
        transport,
        emulator.pid(),
        Common.option(args, "--first-ms", "200"),
        text.length(),
        text.length() * 0.06);
    boolean floor = vendor.equals("fish") && Common.flag(args, "--floor");
    boolean paired = vendor.equals("fish") && Common.flag(args, "--paired");
    try {
      // warm-up, not reported: both JVMs' JIT and class loading, so that the first row measured
      // (the library's) does not pay for them while the floor rows after it run warm
      int warm = Integer.parseInt(Common.option(args, "--warmup", "100"));
      if (warm > 0) {
        Row w = new Row(warm, vendor, transport, text, urls.get(vendor), emulator);
        w.run(Mode.LIBRARY);
        if (floor || paired) {
          w.run(Mode.FLOOR);
        }
        System.out.printf(
            "# warm-up: %d library%s sessions, not reported%n",
            warm, floor || paired ? " and floor" : "");
      }
      System.out.println(
          "| sessions | ok / failed | wall s | audio s | client CPU s per audio s | client cores"
              + " used | emulator cores used | heap after GC MB | peak threads | lateness p50 ms"
              + " | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
      for (String n : counts) {
        Row r =
            new Row(
                Integer.parseInt(n.trim()), vendor, transport, text, urls.get(vendor), emulator);
        if (paired) {
          // library and floor sessions alternate within one run: the same load for both
          r.run(Mode.PAIRED).forEach(x -> r.print(x, timeline));
          continue;
        }
        // --floor-first swaps the order within a row, to show that the order does not decide
        boolean floorFirst = floor && Common.flag(args, "--floor-first");
        if (floorFirst) {
          r.run(Mode.FLOOR).forEach(x -> r.print(x, timeline));
        }
        r.run(Mode.LIBRARY).forEach(x -> r.print(x, timeline));
        if (floor && !floorFirst) {
          r.run(Mode.FLOOR).forEach(x -> r.print(x, timeline));
        }
      }
    } finally {
      emulator.getOutputStream().close();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroy();
      }
    }
  }

  /** Which client runs the sessions of a row. */
  private enum Mode {
    LIBRARY,
    FLOOR,
    /** Even sessions on the library, odd ones on the floor, in one run. */
    PAIRED
  }

  /** Lateness and volume of one kind of session in a run. */
  private static final class Stats {
    static final int SLOTS = 64; // 500 ms each
    // a fixed range (up to 10 min): an auto-resizing Recorder resizes under a lock that parks
    // every recording thread, i.e. the transport threads delivering audio (seen in JFR: 22 parks,
    // 633 ms in one 1000-session run), which would add the benchmark's own lateness
    static final long HIGHEST = TimeUnit.MINUTES.toNanos(10);
    final Recorder lateness = new Recorder(1, HIGHEST, 3);
    // the same lateness by AudioChunk.receivedNanos (arrival in the library's session, before its
    // queue and subscriber hand-off): the difference is what the session adds after the transport
    final Recorder arrival = new Recorder(1, HIGHEST, 3);
    final AtomicLong bytes = new AtomicLong();
    final AtomicInteger failed = new AtomicInteger();
    volatile String firstFailure;
    int sessions;
    final AtomicLongArray slotChunks = new AtomicLongArray(SLOTS);
    final AtomicLongArray slotLate = new AtomicLongArray(SLOTS);
    final AtomicLongArray slotMax = new AtomicLongArray(SLOTS);

    Common.Collector collector(long wall0) {
      long[] first = {-1};
      long[] firstArrival = {-1};
      Common.Collector c =
          new Common.Collector(
              false,
              (AudioChunk ch) -> {
                // when the application got it (the library's receivedNanos is stamped on
                // arrival in the session and would hide hand-offs inside the library)
                long recv = System.nanoTime();
                bytes.addAndGet(ch.size());
                if (firstArrival[0] < 0) {
                  firstArrival[0] = ch.receivedNanos();
                } else {
                  long d = firstArrival[0] + ch.format().durationOf(ch.byteOffset()).toNanos();
                  arrival.recordValue(Math.min(HIGHEST, Math.max(0, ch.receivedNanos() - d)));
                }
                if (first[0] < 0) {
                  first[0] = recv;
                  lateness.recordValue(0);
                  return;
                }
                long due = first[0] + ch.format().durationOf(ch.byteOffset()).toNanos();
                long late = Math.max(0, recv - due);
                lateness.recordValue(Math.min(HIGHEST, late));
                int slot = (int) Math.min(SLOTS - 1, (recv - wall0) / 500_000_000L);
                slotChunks.incrementAndGet(slot);
                if (late > 50_000_000L) {
                  slotLate.incrementAndGet(slot);
                }
                slotMax.accumulateAndGet(slot, late, Math::max);
              });
      c.done.exceptionally(
          t -> {
            if (failed.getAndIncrement() == 0) {
              firstFailure = String.valueOf(t);
            }
            return null;
          });
      return c;
    }
  }

  /** What one kind of session measured in one run (CPU, heap and threads are the whole run's). */
  private record Result(
      String label,
      Stats stats,
      long wallNanos,
      long cpuNanos,
      long emulatorCpuNanos,
      long heap,
      int peakThreads) {}

  /** One row size: N sessions. */
  private record Row(
      int n, String vendor, String transport, String text, URI url, Process emulator) {

    List<Result> run(Mode mode) throws Exception {
      OperatingSystemMXBean os =
          (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Stats lib = new Stats();
      Stats flo = new Stats();
      System.gc();
      threads.resetPeakThreadCount();
      long cpu0 = os.getProcessCpuTime();
      long emu0 = emulatorCpu();
      long wall0 = System.nanoTime();
      List<CompletableFuture<Void>> done = new ArrayList<>();
      List<SynthesisSession> sessions = new ArrayList<>();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      List<CompletableFuture<java.net.http.WebSocket>> sockets = new ArrayList<>();
      try (StreamingSynthesizer s = Common.create(vendor, url)) {
        SynthesisOptions o = Common.options(new Common.Target(vendor, transport));
        long gap = 1_000_000_000L / n;
        for (int i = 0; i < n; i++) {
          boolean onFloor = mode == Mode.FLOOR || (mode == Mode.PAIRED && i % 2 == 1);
          Stats st = onFloor ? flo : lib;
          st.sessions++;
          Common.Collector c = st.collector(wall0);
          if (onFloor) {
            sockets.add(FloorSession.start(http, url, text, c));
          } else {
            SynthesisSession session = s.open(o);
            session.events().subscribe(c);
            session.sendText(text);
            session.finish();
            sessions.add(session);
          }
          done.add(c.done.exceptionally(t -> null));
          long until = wall0 + (i + 1) * gap;
          long wait = until - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        // the middle of the run: every session open and streaming
        TimeUnit.MILLISECONDS.sleep((long) (text.length() * 60 * 0.4));
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]))
            .get(text.length() * 60L + 120_000, TimeUnit.MILLISECONDS);
        long wall = System.nanoTime() - wall0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long emu = emulatorCpu() - emu0;
        for (SynthesisSession session : sessions) {
          session.close();
        }
        for (CompletableFuture<java.net.http.WebSocket> w : sockets) {
          w.thenAccept(java.net.http.WebSocket::abort);
        }
        int peak = threads.getPeakThreadCount();
        List<Result> out = new ArrayList<>();
        if (lib.sessions > 0) {
          out.add(
              new Result(
                  mode == Mode.PAIRED ? n + " (paired: " + lib.sessions + " library" : "" + n,
                  lib,
                  wall,
                  cpu,
                  emu,
                  heap,
                  peak));
        }
        if (flo.sessions > 0) {
          out.add(
              new Result(
                  mode == Mode.PAIRED
                      ? n + " (paired: " + flo.sessions + " floor, bare JDK WebSockets)"
                      : n + " (floor: bare JDK WebSockets)",
                  flo,
                  wall,
                  cpu,
                  emu,
                  heap,
                  peak));
        }
        if (mode == Mode.PAIRED) {
          out.set(0, withLabel(out.get(0), out.get(0).label() + ")"));
        }
        return out;
      }
    }

    private static Result withLabel(Result r, String label) {
      return new Result(
          label,
          r.stats(),
          r.wallNanos(),
          r.cpuNanos(),
          r.emulatorCpuNanos(),
          r.heap(),
          r.peakThreads());
    }

    private long emulatorCpu() {
      return emulator.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    void print(Result r, boolean timeline) {
      Stats st = r.stats();
      // CPU per audio second over all the run's audio (both kinds in a paired run)
      double audio = st.bytes.get() / 48_000.0;
      var h = st.lateness.getIntervalHistogram();
      System.out.printf(
          "| %s | %d / %d | %.1f | %.0f | %.4f | %.2f | %.2f | %d | %d | %s | %s | %s |%n",
          r.label(),
          st.sessions - st.failed.get(),
          st.failed.get(),
          r.wallNanos() / 1e9,
          audio,
          r.cpuNanos() / 1e9 / (audio * n / st.sessions),
          (double) r.cpuNanos() / r.wallNanos(),
          (double) r.emulatorCpuNanos() / r.wallNanos(),
          r.heap() >> 20,
          r.peakThreads(),
          Common.ms(h.getValueAtPercentile(50)),
          Common.ms(h.getValueAtPercentile(99)),
          Common.ms(h.getMaxValue()));
      var a = st.arrival.getIntervalHistogram();
      if (!r.label().contains("floor")) {
        System.out.printf(
            "# the same by arrival in the session (AudioChunk.receivedNanos): p50 %s, p99 %s,"
                + " max %s ms%n",
            Common.ms(a.getValueAtPercentile(50)),
            Common.ms(a.getValueAtPercentile(99)),
            Common.ms(a.getMaxValue()));
      }
      if (timeline) {
        StringBuilder t =
            new StringBuilder("# lateness by wall time (s: chunks, late > 50 ms, max ms):");
        for (int i = 0; i < Stats.SLOTS; i++) {
          if (st.slotChunks.get(i) > 0) {
            t.append(
                String.format(
                    " %.1f: %d, %d, %d;",
                    i / 2.0,
                    st.slotChunks.get(i),
                    st.slotLate.get(i),
                    st.slotMax.get(i) / 1_000_000));
          }
        }
        System.out.println(t);
      }
      if (st.firstFailure != null) {
        System.out.println("# first failure: " + st.firstFailure);
      }
    }
  }
}
