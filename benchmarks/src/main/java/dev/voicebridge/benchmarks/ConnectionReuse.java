package dev.voicebridge.benchmarks;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.VendorEmulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 4, connection reuse: time to first audio (from {@code open()} to the first chunk's
 * {@code receivedNanos}) on a warm synthesizer, whose pool may reuse a connection, versus a
 * synthesizer created just before the session (created outside the timed region), which must
 * connect, and versus a synthesizer created just before the session whose {@code prewarm()} was
 * awaited outside the timed region (the handshake off the critical path). Runs are interleaved, the
 * emulators on the zero profile in the same JVM.
 *
 * <p>{@code java -jar benchmarks.jar reuse [--short] [--sessions N]}
 */
public final class ConnectionReuse {
  private ConnectionReuse() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Common.flag(args, "--short");
    int sessions = Integer.parseInt(Common.option(args, "--sessions", quick ? "40" : "300"));
    int warmup = quick ? 20 : 100;
    String text = AddedLatency.TEXT;
    System.out.println("# connection reuse, " + Common.machine());
    System.out.printf("# %d warm-up + %d interleaved pairs per row%n", warmup, sessions);
    List<VendorEmulator> emulators =
        Emulators.startAll(
            EmulatorConfig.builder().apiKey(Common.KEY).profile(LatencyProfile.ZERO).build());
    Map<String, VendorEmulator> byVendor = new HashMap<>();
    for (VendorEmulator e : emulators) {
      byVendor.put(e.vendor(), e);
    }
    System.out.println(
        "| provider/transport | new connection TTFA p50 ms | warm TTFA p50 ms | warm/new |"
            + " prewarmed TTFA p50 ms | prewarmed/new | new p99 ms | warm p99 ms |"
            + " prewarmed p99 ms | sessions reporting reuse (new / warm / prewarmed) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    try {
      for (Common.Target t : Common.ALL_TARGETS) {
        var base = byVendor.get(t.vendor()).baseUrl();
        SynthesisOptions o = Common.options(t);
        try (StreamingSynthesizer warm = Common.create(t.vendor(), base)) {
          for (int i = 0; i < warmup; i++) {
            Common.run(warm, o, text, false);
            try (StreamingSynthesizer fresh = Common.create(t.vendor(), base)) {
              Common.run(fresh, o, text, false);
            }
            try (StreamingSynthesizer pre = Common.create(t.vendor(), base)) {
              pre.prewarm(o).toCompletableFuture().get(30, TimeUnit.SECONDS);
              Common.run(pre, o, text, false);
            }
          }
          List<Long> coldT = new ArrayList<>();
          List<Long> warmT = new ArrayList<>();
          List<Long> preT = new ArrayList<>();
          int coldReused = 0;
          int warmReused = 0;
          int preReused = 0;
          for (int i = 0; i < sessions; i++) {
            try (StreamingSynthesizer fresh = Common.create(t.vendor(), base)) {
              Common.Run r = Common.run(fresh, o, text, false);
              coldT.add(r.firstNanos());
              coldReused += r.report().connectionReused() ? 1 : 0;
            }
            Common.Run r = Common.run(warm, o, text, false);
            warmT.add(r.firstNanos());
            warmReused += r.report().connectionReused() ? 1 : 0;
            try (StreamingSynthesizer pre = Common.create(t.vendor(), base)) {
              pre.prewarm(o).toCompletableFuture().get(30, TimeUnit.SECONDS); // not timed
              Common.Run p = Common.run(pre, o, text, false);
              preT.add(p.firstNanos());
              preReused += p.report().connectionReused() ? 1 : 0;
            }
          }
          long[] c = Common.toArray(coldT);
          long[] w = Common.toArray(warmT);
          double c50 = Common.quantile(c, 0.5);
          long[] p = Common.toArray(preT);
          double w50 = Common.quantile(w, 0.5);
          double p50 = Common.quantile(p, 0.5);
          System.out.printf(
              "| %s | %s | %s | %.2f | %s | %.2f | %s | %s | %s | %d / %d / %d of %d |%n",
              t,
              Common.ms(c50),
              Common.ms(w50),
              w50 / c50,
              Common.ms(p50),
              p50 / c50,
              Common.ms(Common.quantile(c, 0.99)),
              Common.ms(Common.quantile(w, 0.99)),
              Common.ms(Common.quantile(p, 0.99)),
              coldReused,
              warmReused,
              preReused,
              sessions);
        } catch (Exception e) {
          System.out.printf("| %s | failed: %s |%n", t, e);
        }
      }
    } finally {
      for (VendorEmulator e : emulators) {
        e.close();
      }
    }
  }
}
