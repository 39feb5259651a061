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
import org.HdrHistogram.Recorder;

/**
 * Benchmark 3, scale: N concurrent sessions against the emulators in a separate JVM (real-time
 * pacing, PCM 24 kHz). Reports client CPU seconds per second of audio and per wall second, heap
 * after a GC in the middle of the run, peak threads, and the lateness of chunk delivery: for a
 * chunk at byte offset o, {@code received - (first chunk received + duration(o))}, clamped at zero
 * — how far behind the real-time schedule set by the session's first chunk the application got it
 * (the emulator's own scheduling delays count against us; there is no jitter).
 *
 * <p>{@code java -jar benchmarks.jar scale [--short] [--sessions 100,500,1000] [--vendor fish]
 * [--transport websocket] [--chars 100]}
 */
public final class Scale {
  private Scale() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Common.flag(args, "--short");
    String[] counts = Common.option(args, "--sessions", quick ? "100" : "100,500,1000").split(",");
    String vendor = Common.option(args, "--vendor", "fish");
    String transport = Common.option(args, "--transport", "websocket");
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
    System.out.println(
        "| sessions | ok / failed | wall s | audio s | client CPU s per audio s | client cores"
            + " used | heap after GC MB | peak threads | lateness p50 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    try {
      for (String n : counts) {
        runOnce(Integer.parseInt(n.trim()), vendor, transport, text, urls.get(vendor), false);
        if (vendor.equals("fish") && Common.flag(args, "--floor")) {
          runOnce(Integer.parseInt(n.trim()), vendor, transport, text, urls.get(vendor), true);
        }
      }
    } finally {
      emulator.getOutputStream().close();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroy();
      }
    }
  }

  private static void runOnce(
      int n, String vendor, String transport, String text, URI url, boolean floor)
      throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Recorder lateness = new Recorder(3);
    AtomicLong bytes = new AtomicLong();
    AtomicInteger failed = new AtomicInteger();
    String[] firstFailure = {null};
    System.gc();
    threads.resetPeakThreadCount();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    List<SynthesisSession> sessions = new ArrayList<>();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    List<java.net.http.WebSocket> sockets = new ArrayList<>();
    try (StreamingSynthesizer s = Common.create(vendor, url)) {
      SynthesisOptions o = Common.options(new Common.Target(vendor, transport));
      long gap = 1_000_000_000L / n;
      for (int i = 0; i < n; i++) {
        long[] first = {-1};
        Common.Collector c =
            new Common.Collector(
                false,
                (AudioChunk ch) -> {
                  long recv = ch.receivedNanos();
                  bytes.addAndGet(ch.size());
                  if (first[0] < 0) {
                    first[0] = recv;
                    lateness.recordValue(0);
                    return;
                  }
                  long due = first[0] + ch.format().durationOf(ch.byteOffset()).toNanos();
                  lateness.recordValue(Math.max(0, recv - due));
                });
        if (floor) {
          sockets.add(FloorSession.start(http, url, text, c));
        } else {
          SynthesisSession session = s.open(o);
          session.events().subscribe(c);
          session.sendText(text);
          session.finish();
          sessions.add(session);
        }
        done.add(
            c.done.exceptionally(
                t -> {
                  if (failed.getAndIncrement() == 0) {
                    firstFailure[0] = String.valueOf(t);
                  }
                  return null;
                }));
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
      for (SynthesisSession session : sessions) {
        session.close();
      }
      for (java.net.http.WebSocket w : sockets) {
        w.abort();
      }
      double audio = bytes.get() / 48_000.0;
      var h = lateness.getIntervalHistogram();
      System.out.printf(
          "| %s | %d / %d | %.1f | %.0f | %.4f | %.2f | %d | %d | %s | %s | %s |%n",
          floor ? n + " (floor: bare JDK WebSockets)" : String.valueOf(n),
          n - failed.get(),
          failed.get(),
          wall / 1e9,
          audio,
          cpu / 1e9 / audio,
          (double) cpu / wall,
          heap >> 20,
          threads.getPeakThreadCount(),
          Common.ms(h.getValueAtPercentile(50)),
          Common.ms(h.getValueAtPercentile(99)),
          Common.ms(h.getMaxValue()));
      if (firstFailure[0] != null) {
        System.out.println("# first failure: " + firstFailure[0]);
      }
    }
  }
}
