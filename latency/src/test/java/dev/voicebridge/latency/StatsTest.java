package dev.voicebridge.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {

  private static double[] normal(int n, double mean, double sd, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = mean + sd * r.nextGaussian();
    }
    return v;
  }

  @Test
  void percentilesInterpolateBetweenRanks() {
    double[] v = {5, 1, 4, 2, 3};
    assertThat(Stats.percentile(v, 50)).isEqualTo(3);
    assertThat(Stats.percentile(v, 0)).isEqualTo(1);
    assertThat(Stats.percentile(v, 100)).isEqualTo(5);
    assertThat(Stats.percentile(v, 95)).isCloseTo(4.8, within(1e-9));
    assertThat(Stats.percentile(new double[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void aTrueFiftyMillisecondDifferenceIsFound() {
    double[] a = normal(20, 300, 15, 1);
    double[] b = normal(20, 350, 15, 2);
    Stats.Difference d = Stats.medianDifference(a, b, 2000, 7);
    assertThat(d.significant()).isTrue();
    assertThat(d.low()).isPositive();
    assertThat(d.estimate()).isCloseTo(50, within(15.0));
    assertThat(d.low()).isLessThan(50);
    assertThat(d.high()).isGreaterThan(50);
  }

  @Test
  void noDifferenceNamesNoWinner() {
    int significant = 0;
    for (long seed = 0; seed < 20; seed++) {
      double[] a = normal(20, 300, 40, 100 + seed);
      double[] b = normal(20, 300, 40, 200 + seed);
      if (Stats.medianDifference(a, b, 1000, seed).significant()) {
        significant++;
      }
    }
    // a 95% interval excludes the true zero about 1 time in 20; allow a little more
    assertThat(significant).isLessThanOrEqualTo(3);
  }

  @Test
  void theBootstrapIsDeterministicForASeed() {
    double[] a = normal(10, 100, 10, 3);
    double[] b = normal(10, 110, 10, 4);
    assertThat(Stats.medianDifference(a, b, 500, 9))
        .isEqualTo(Stats.medianDifference(a, b, 500, 9));
  }
}
