package dev.voicebridge.latency;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every run of a comparison, with the statistics: per series (contender and cold/warm) p50, p95 and
 * p99 of each figure, and for each pair of contenders a bootstrap 95% confidence interval of the
 * difference of median time to first audio; a winner is named only where the interval excludes
 * zero.
 */
public record ComparisonResult(
    List<ContenderInfo> contenders,
    Script script,
    int rounds,
    long seed,
    Instant started,
    Duration elapsed,
    String note,
    List<RunResult> runs) {

  /** Bootstrap resamples. */
  public static final int RESAMPLES = 2000;

  /**
   * A contender as the report shows it.
   *
   * @param label its name
   * @param settings what distinguishes it, with the values of secret keys (an API key) masked
   */
  public record ContenderInfo(String label, Map<String, String> settings) {
    /**
     * Compact constructor: copies the settings and masks every secret value, so that no report ever
     * holds one. A key is secret when a provider on the class path declares it so ({@code
     * ConfigKey.isSecret()}, by its relative or full name) or when its name looks secret.
     */
    public ContenderInfo {
      settings = SecretSettings.mask(settings);
    }
  }

  /** Compact constructor: copies. */
  public ComparisonResult {
    contenders = List.copyOf(contenders);
    runs = List.copyOf(runs);
  }

  /**
   * The percentiles of one figure of one series.
   *
   * @param n values (completed runs that have the figure)
   */
  public record Summary(int n, double p50, double p95, double p99) {}

  /**
   * A pairwise verdict on median time to first audio.
   *
   * @param series "cold" or "warm"
   * @param a the first contender
   * @param b the second contender
   * @param difference median(b) - median(a) in ms with its 95% interval
   * @param verdict a sentence
   */
  public record Verdict(
      String series, String a, String b, Stats.Difference difference, String verdict) {}

  /** The named figures, by how a run exposes them. */
  public static Map<String, Function<RunResult, Double>> figures() {
    Map<String, Function<RunResult, Double>> m = new LinkedHashMap<>();
    m.put("first audio (ms)", RunResult::firstAudioMs);
    m.put(
        "first audio after first flush (ms)",
        r -> r.flushMs().isEmpty() ? null : r.flushMs().get(0));
    m.put("last audio after end of input (ms)", RunResult::lastAudioAfterEndMs);
    m.put("last audio (ms)", RunResult::totalMs);
    m.put("completion (ms)", RunResult::completionMs);
    m.put("connection set-up (ms)", RunResult::connectMs);
    m.put("real-time factor", RunResult::realTimeFactor);
    m.put("longest gap between chunks (ms)", RunResult::maxGapMs);
    m.put("underrun time (ms)", RunResult::underrunMs);
    return m;
  }

  /** The series names present, in contender order: label/cold, label/warm. */
  public List<String> series() {
    List<String> out = new ArrayList<>();
    for (ContenderInfo c : contenders) {
      for (String kind : List.of("cold", "warm")) {
        String s = c.label() + "/" + kind;
        if (runs.stream().anyMatch(r -> r.series().equals(s))) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** Values of a figure for a series, completed runs only. */
  public double[] values(String series, Function<RunResult, Double> figure) {
    return runs.stream()
        .filter(r -> r.series().equals(series) && r.ok())
        .map(figure)
        .filter(v -> v != null)
        .mapToDouble(Double::doubleValue)
        .toArray();
  }

  /** Percentiles of a figure for a series, or null without values. */
  public Summary summary(String series, Function<RunResult, Double> figure) {
    double[] v = values(series, figure);
    if (v.length == 0) {
      return null;
    }
    return new Summary(
        v.length, Stats.percentile(v, 50), Stats.percentile(v, 95), Stats.percentile(v, 99));
  }

  /** Runs of a series that did not complete. */
  public long failures(String series) {
    return runs.stream().filter(r -> r.series().equals(series) && !r.ok()).count();
  }

  /** Pairwise verdicts on median time to first audio, per series kind. */
  public List<Verdict> verdicts() {
    List<Verdict> out = new ArrayList<>();
    for (String kind : List.of("cold", "warm")) {
      for (int i = 0; i < contenders.size(); i++) {
        for (int j = i + 1; j < contenders.size(); j++) {
          String a = contenders.get(i).label();
          String b = contenders.get(j).label();
          double[] va = values(a + "/" + kind, RunResult::firstAudioMs);
          double[] vb = values(b + "/" + kind, RunResult::firstAudioMs);
          if (va.length < 2 || vb.length < 2) {
            continue;
          }
          Stats.Difference d = Stats.medianDifference(va, vb, RESAMPLES, seed);
          String text;
          if (!d.significant()) {
            text =
                String.format(
                    Locale.ROOT,
                    "no significant difference (%s - %s: %+.1f ms, 95%% CI %+.1f .. %+.1f)",
                    b,
                    a,
                    d.estimate(),
                    d.low(),
                    d.high());
          } else {
            String faster = d.estimate() > 0 ? a : b;
            String slower = d.estimate() > 0 ? b : a;
            text =
                String.format(
                    Locale.ROOT,
                    "%s is faster than %s by %.1f ms (95%% CI %.1f .. %.1f ms)",
                    faster,
                    slower,
                    Math.abs(d.estimate()),
                    Math.min(Math.abs(d.low()), Math.abs(d.high())),
                    Math.max(Math.abs(d.low()), Math.abs(d.high())));
          }
          out.add(new Verdict(kind, a, b, d, text));
        }
      }
    }
    return out;
  }
}
