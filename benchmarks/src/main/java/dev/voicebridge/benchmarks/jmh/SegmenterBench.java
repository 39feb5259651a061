package dev.voicebridge.benchmarks.jmh;

import dev.voicebridge.text.SentenceSegmenter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The sentence segmenter fed LLM-style tokens (a word and its trailing space or punctuation at a
 * time); one operation = one token, so the score is tokens per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SegmenterBench {
  static final String TEXT =
      "Dr. Smith arrived at 10.30 a.m. on Monday, didn't he? The meeting ran long; everyone"
          + " agreed the numbers (3.5% growth, $1.2 million) were fine. \"Great,\" she said!"
          + " Then the team shipped version 2.0 of the product, which streams speech as it is"
          + " written. Nobody expected the U.S. launch to go so well... but it did. ";
  static final String[] TOKENS = tokens(TEXT.repeat(4));

  private SentenceSegmenter segmenter;

  @Setup
  public void setup() {
    segmenter = SentenceSegmenter.builder().build();
  }

  static String[] tokens(String text) {
    return text.split("(?<= )");
  }

  /** Every token of the text pushed, then a flush. */
  @Benchmark
  @OperationsPerInvocation(256)
  public void pushTokens(Blackhole bh) {
    int n = 0;
    while (n < 256) {
      for (String t : TOKENS) {
        List<String> out = segmenter.push(t);
        bh.consume(out);
        if (++n == 256) {
          break;
        }
      }
    }
    bh.consume(segmenter.flush());
  }
}
