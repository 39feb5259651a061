package dev.voicebridge.latency;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An A/B (or A/B/C...) latency comparison: the same script played into two or more contenders,
 * interleaved (each round runs every contender once, in an order shuffled with the seed), with cold
 * connections (a new synthesizer per run) and warm connections (a synthesizer that has run before)
 * as separate series. A contender can be the same vendor with other settings: that is A/B too.
 */
public final class Comparison {

  /**
   * One side of the comparison.
   *
   * @param label a unique short name
   * @param factory creates a synthesizer (a new one for every cold run)
   * @param options the session options
   * @param settings what distinguishes this contender, for the report
   */
  public record Contender(
      String label,
      Supplier<StreamingSynthesizer> factory,
      SynthesisOptions options,
      Map<String, String> settings) {
    /**
     * Compact constructor: validates.
     *
     * @param label a unique short name
     * @param factory creates a synthesizer (a new one for every cold run)
     * @param options the session options
     * @param settings what distinguishes this contender, for the report
     */
    public Contender {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(factory, "factory");
      Objects.requireNonNull(options, "options");
      settings = Map.copyOf(settings);
    }
  }

  private final List<Contender> contenders;
  private final Script script;
  private final int rounds;
  private final long seed;
  private final boolean cold;
  private final boolean warm;
  private final Runner runner;
  private final Consumer<String> progress;
  private final String note;

  private Comparison(Builder b) {
    this.contenders = List.copyOf(b.contenders);
    this.script = Objects.requireNonNull(b.script, "script");
    this.rounds = b.rounds;
    this.seed = b.seed;
    this.cold = b.cold;
    this.warm = b.warm;
    this.runner = new Runner(b.sleeper, b.runTimeout);
    this.progress = b.progress;
    this.note = b.note;
    if (contenders.size() < 2) {
      throw new IllegalArgumentException("a comparison needs at least two contenders");
    }
    if (contenders.stream().map(Contender::label).distinct().count() != contenders.size()) {
      throw new IllegalArgumentException("contender labels must be unique");
    }
    if (!cold && !warm) {
      throw new IllegalArgumentException("run cold or warm connections, or both");
    }
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every round and returns the figures.
   *
   * @return every run and the statistics
   * @throws InterruptedException if the thread is interrupted during a run
   */
  public ComparisonResult run() throws InterruptedException {
    Random order = new Random(seed);
    List<RunResult> runs = new ArrayList<>();
    Map<String, StreamingSynthesizer> warmSynths = new LinkedHashMap<>();
    Instant started = Instant.now();
    try {
      if (warm) {
        for (Contender c : contenders) {
          StreamingSynthesizer s = c.factory().get();
          warmSynths.put(c.label(), s);
          progress.accept("warming up " + c.label());
          runner.run(c.label(), -1, false, s, c.options(), script); // opens the pooled connection
        }
      }
      for (int round = 0; round < rounds; round++) {
        List<Contender> shuffled = new ArrayList<>(contenders);
        Collections.shuffle(shuffled, order);
        for (Contender c : shuffled) {
          if (cold) {
            try (StreamingSynthesizer s = c.factory().get()) {
              runs.add(report(runner.run(c.label(), round, false, s, c.options(), script)));
            }
          }
          if (warm) {
            StreamingSynthesizer s = warmSynths.get(c.label());
            runs.add(report(runner.run(c.label(), round, true, s, c.options(), script)));
          }
        }
      }
    } finally {
      warmSynths.values().forEach(StreamingSynthesizer::close);
    }
    return new ComparisonResult(
        contenders.stream()
            .map(c -> new ComparisonResult.ContenderInfo(c.label(), c.settings()))
            .toList(),
        script,
        rounds,
        seed,
        started,
        Duration.between(started, Instant.now()),
        note,
        runs);
  }

  private RunResult report(RunResult r) {
    progress.accept(
        String.format(
            java.util.Locale.ROOT,
            "round %d %-20s %s first audio %s",
            r.round(),
            r.series(),
            r.outcome(),
            r.firstAudioMs() == null
                ? "-"
                : String.format(java.util.Locale.ROOT, "%.0f ms", r.firstAudioMs())));
    return r;
  }

  /** Builds a {@link Comparison}. */
  public static final class Builder {
    private final List<Contender> contenders = new ArrayList<>();
    private Script script = Script.reply();
    private int rounds = 20;
    private long seed = 1;
    private boolean cold = true;
    private boolean warm = true;
    private Runner.Sleeper sleeper = Runner.Sleeper.real();
    private Duration runTimeout = Duration.ofSeconds(60);
    private Consumer<String> progress = s -> {};
    private String note = "";

    private Builder() {}

    /**
     * Adds a contender.
     *
     * @param c the contender
     * @return this builder
     */
    public Builder contender(Contender c) {
      contenders.add(c);
      return this;
    }

    /**
     * Adds a contender.
     *
     * @param label a unique short name for the report
     * @param factory creates the synthesizer (a new one for every cold run)
     * @param options the session options
     * @return this builder
     */
    public Builder contender(
        String label, Supplier<StreamingSynthesizer> factory, SynthesisOptions options) {
      return contender(new Contender(label, factory, options, Map.of()));
    }

    /**
     * The script (default: the short reply).
     *
     * @param s the script
     * @return this builder
     */
    public Builder script(Script s) {
      script = s;
      return this;
    }

    /**
     * Rounds (default 20).
     *
     * @param n the number of rounds, at least 1
     * @return this builder
     */
    public Builder rounds(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("rounds must be at least 1");
      }
      rounds = n;
      return this;
    }

    /**
     * The seed of the run order and the bootstrap (default 1).
     *
     * @param s the seed
     * @return this builder
     */
    public Builder seed(long s) {
      seed = s;
      return this;
    }

    /**
     * Which series to run (default both).
     *
     * @param coldRuns whether to run each contender on a fresh synthesizer
     * @param warmRuns whether to run each contender on a synthesizer that has run before
     * @return this builder
     */
    public Builder series(boolean coldRuns, boolean warmRuns) {
      cold = coldRuns;
      warm = warmRuns;
      return this;
    }

    /**
     * How to wait between tokens (tests pass a fake).
     *
     * @param s the sleeper
     * @return this builder
     */
    public Builder sleeper(Runner.Sleeper s) {
      sleeper = s;
      return this;
    }

    /**
     * How long one run may take after its input (default 60 s).
     *
     * @param d the timeout
     * @return this builder
     */
    public Builder runTimeout(Duration d) {
      runTimeout = d;
      return this;
    }

    /**
     * Receives one line per run.
     *
     * @param p the consumer of progress lines
     * @return this builder
     */
    public Builder progress(Consumer<String> p) {
      progress = p;
      return this;
    }

    /**
     * A note printed prominently on the report (e.g. that the figures are emulated).
     *
     * @param n the note, or empty
     * @return this builder
     */
    public Builder note(String n) {
      note = n;
      return this;
    }

    /** {@return the comparison} */
    public Comparison build() {
      return new Comparison(this);
    }
  }
}
