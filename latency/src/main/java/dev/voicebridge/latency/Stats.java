package dev.voicebridge.latency;

import java.util.Arrays;
import java.util.Random;

/** Percentiles and a bootstrap confidence interval of the difference of medians. */
public final class Stats {
  private Stats() {}

  /**
   * {@return the {@code p}-th percentile (0-100) with linear interpolation between closest ranks}
   *
   * @param values the values, in any order
   * @param p the percentile, 0 to 100
   * @throws IllegalArgumentException for no values
   */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] s = values.clone();
    Arrays.sort(s);
    return sortedPercentile(s, p);
  }

  static double sortedPercentile(double[] s, double p) {
    if (s.length == 1) {
      return s[0];
    }
    double rank = p / 100.0 * (s.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return s[lo] + (s[hi] - s[lo]) * (rank - lo);
  }

  /**
   * {@return the median}
   *
   * @param values the values, in any order
   */
  public static double median(double[] values) {
    return percentile(values, 50);
  }

  /**
   * A difference of medians ({@code median(b) - median(a)}) with its bootstrap 95% confidence
   * interval (percentile method).
   *
   * @param estimate the observed difference
   * @param low the 2.5th percentile of the bootstrap distribution
   * @param high the 97.5th percentile
   */
  public record Difference(double estimate, double low, double high) {
    /** {@return whether the interval excludes zero: the difference is real at the 95% level} */
    public boolean significant() {
      return low > 0 || high < 0;
    }
  }

  /**
   * {@return the difference of medians {@code median(b) - median(a)} with its bootstrap 95%
   * interval, from {@code resamples} resamples drawn with {@code seed}}
   *
   * @param a the first sample
   * @param b the second sample
   * @param resamples how many bootstrap resamples to draw
   * @param seed the seed of the resampling
   */
  public static Difference medianDifference(double[] a, double[] b, int resamples, long seed) {
    if (a.length == 0 || b.length == 0) {
      throw new IllegalArgumentException("both samples need values");
    }
    Random rnd = new Random(seed);
    double[] diffs = new double[resamples];
    double[] ra = new double[a.length];
    double[] rb = new double[b.length];
    for (int k = 0; k < resamples; k++) {
      for (int i = 0; i < a.length; i++) {
        ra[i] = a[rnd.nextInt(a.length)];
      }
      for (int i = 0; i < b.length; i++) {
        rb[i] = b[rnd.nextInt(b.length)];
      }
      Arrays.sort(ra);
      Arrays.sort(rb);
      diffs[k] = sortedPercentile(rb, 50) - sortedPercentile(ra, 50);
    }
    Arrays.sort(diffs);
    return new Difference(
        median(b) - median(a), sortedPercentile(diffs, 2.5), sortedPercentile(diffs, 97.5));
  }
}
