package dev.voicebridge.benchmarks;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisSession;
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
 * Benchmark 6, long texts: the time to first audio of one whole text of 100 B, 10 KB and 100 KB,
 * given at once ({@code synthesize(text)}), for every provider and transport against the
 * zero-latency emulators (tone voice). First audio must not grow with the length of the text: the
 * adapters send (or the server starts on) the first sentence as soon as it is complete. Rows are
 * interleaved (one session of each size in turn) and report the median of each.
 *
 * <p>{@code java -jar benchmarks.jar long-text [--short] [--rounds N] [--only vendor/transport]}
 */
public final class LongText {
  private LongText() {}

  static final String SENTENCE =
      "Long answers are read aloud one sentence at a time, and the first must come quickly. ";

  static final int[] SIZES = {100, 10_000, 100_000};

  public static void main(String[] args) throws Exception {
    boolean quick = Common.flag(args, "--short");
    int rounds = Integer.parseInt(Common.option(args, "--rounds", quick ? "5" : "15"));
    String only = Common.option(args, "--only", null);
    EmulatorConfig config =
        EmulatorConfig.builder().apiKey(Common.KEY).profile(LatencyProfile.ZERO).build();
    System.out.println("# long texts, " + Common.machine());
    System.out.printf(
        "# %d rounds, each one session per size in turn; time to first audio p50 ms (min..max)%n",
        rounds);
    List<VendorEmulator> emulators = Emulators.startAll(config);
    Map<String, VendorEmulator> byVendor = new HashMap<>();
    for (VendorEmulator e : emulators) {
      byVendor.put(e.vendor(), e);
    }
    System.out.println(
        "| provider/transport | 100 B first audio p50 ms | 10 KB | 100 KB | 100 KB / 100 B |");
    System.out.println("|---|---|---|---|---|");
    try {
      for (Common.Target t : Common.ALL_TARGETS) {
        if (only != null && !t.toString().equals(only)) {
          continue;
        }
        VendorEmulator emulator = byVendor.get(t.vendor());
        List<List<Long>> firsts = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
          firsts.add(new ArrayList<>());
        }
        try (StreamingSynthesizer synth = Common.create(t.vendor(), emulator.baseUrl())) {
          firstAudio(synth, t, text(100)); // warm up the connection and the JIT
          for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < SIZES.length; i++) {
              firsts.get(i).add(firstAudio(synth, t, text(SIZES[i])));
            }
          }
        }
        StringBuilder row = new StringBuilder("| " + t + " | ");
        for (List<Long> f : firsts) {
          row.append(Common.ms(Common.quantile(Common.toArray(f), 0.5)))
              .append(" (")
              .append(Common.ms(min(f)));
          row.append("..").append(Common.ms(max(f))).append(") | ");
        }
        row.append(
            String.format(
                "%.2fx |",
                Common.quantile(Common.toArray(firsts.get(2)), 0.5)
                    / Math.max(1, Common.quantile(Common.toArray(firsts.get(0)), 0.5))));
        System.out.println(row);
      }
    } finally {
      for (VendorEmulator e : emulators) {
        e.close();
      }
    }
  }

  /** About {@code bytes} characters of sentences. */
  static String text(int bytes) {
    StringBuilder sb = new StringBuilder(bytes + SENTENCE.length());
    while (sb.length() < bytes) {
      sb.append(SENTENCE);
    }
    // exactly bytes characters, ending with a full stop (100 KB is the default max-text-chars)
    return sb.substring(0, bytes - 1) + ".";
  }

  /** Time from the text to the first audio chunk, in nanoseconds; the session is then cancelled. */
  static long firstAudio(StreamingSynthesizer synth, Common.Target t, String text)
      throws Exception {
    SynthesisSession s = synth.open(Common.options(t));
    Common.Collector c = new Common.Collector(false, null);
    s.events().subscribe(c);
    long start = System.nanoTime();
    s.sendText(text);
    s.finish();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (c.firstChunkNanos() < 0) {
      if (System.nanoTime() > deadline || s.completion().toCompletableFuture().isDone()) {
        break;
      }
      Thread.onSpinWait();
    }
    long first = c.firstChunkNanos();
    s.cancel(); // the rest of a 100 KB text is not what this measures
    if (first < 0) {
      String why =
          s.completion().toCompletableFuture().isCompletedExceptionally()
              ? s.completion().toCompletableFuture().handle((r, e) -> String.valueOf(e)).join()
              : "no audio within 60 s";
      throw new IllegalStateException(
          t + ": no audio for " + text.length() + " characters: " + why);
    }
    return first - start;
  }

  private static long min(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  private static long max(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
