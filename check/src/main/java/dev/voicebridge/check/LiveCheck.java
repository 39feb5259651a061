package dev.voicebridge.check;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.check.internal.AudioCheck;
import dev.voicebridge.check.internal.Budget;
import dev.voicebridge.check.internal.Runner;
import dev.voicebridge.check.internal.Secrets;
import dev.voicebridge.check.internal.TransportKey;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A live check of one provider against the vendor its configuration points at, with the key it
 * configures: the rules of {@link LiveRule} on each transport asked for, within a budget of
 * characters that is planned before anything is sent and never passed.
 *
 * <pre>{@code
 * CheckResult result = LiveCheck.builder("fish", VoicebridgeConfig.standard())
 *     .budgetChars(300)
 *     .build()
 *     .run();
 * if (!result.passed()) { ... result.failures() ... }
 * }</pre>
 *
 * <p>The wrong-key rule builds a second synthesizer through the provider's own configuration, with
 * a deliberately altered copy of each configured secret key; every text the check reports passes
 * the redaction of both the key and its altered copy. A check runs on the calling thread, one
 * session at a time; {@link #stop()} (from another thread) cancels it.
 */
public final class LiveCheck {
  /** The budget when none is given: enough for every rule on four transports. */
  public static final int DEFAULT_BUDGET_CHARS = 300;

  /** How long a rule waits for an event when no other timeout is given. */
  public static final Duration DEFAULT_RULE_TIMEOUT = Duration.ofSeconds(60);

  private final String provider;
  private final StreamingSynthesizers.Discovery discovery;
  private final List<ConfigKey<?>> keys;
  private final VoicebridgeConfig config;
  private final TransportKey transportKey;
  private final List<String> transports;
  private final int budgetChars;
  private final AudioFormat format;
  private final SynthesisOptions options;
  private final Duration ruleTimeout;
  private final CheckListener listener;
  private volatile Runner running;
  private volatile boolean stopped;

  private LiveCheck(Builder b, StreamingSynthesizers.Discovery discovery) {
    this.provider = b.provider;
    this.discovery = discovery;
    this.keys = List.copyOf(discovery.providers().get(b.provider).configKeys());
    this.config = b.config;
    this.transportKey = TransportKey.of(provider, keys);
    this.transports = resolveTransports(b);
    this.budgetChars = b.budgetChars;
    this.format = b.format;
    this.options = b.options;
    this.ruleTimeout = b.ruleTimeout;
    this.listener = b.listener;
  }

  /**
   * {@return a check of provider {@code provider} configured by {@code config} (its base URL, key,
   * model, voice and transport, as for {@link StreamingSynthesizers#create})}
   *
   * @param provider the provider's name
   * @param config the configuration
   */
  public static Builder builder(String provider, VoicebridgeConfig config) {
    return new Builder(provider, config);
  }

  /** {@return the version of Voicebridge, as the check reports it} */
  public static String libraryVersion() {
    Properties p = new Properties();
    try (InputStream in = LiveCheck.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  /** {@return the provider checked} */
  public String provider() {
    return provider;
  }

  /**
   * {@return every character the check will send, rule by rule and transport by transport} No I/O.
   */
  public CheckPlan plan() {
    Secrets secrets = Secrets.of(provider, keys, config);
    List<CheckPlan.Step> steps = new ArrayList<>();
    for (String t : transports) {
      for (LiveRule r : LiveRule.values()) {
        int chars = r.chars();
        String note = "";
        if (r == LiveRule.LC4) {
          note = "uses LC2's audio; skipped where no word timings are declared";
        } else if (r == LiveRule.LC6 && !secrets.declared()) {
          chars = 0;
          note = "skipped: " + provider + " declares no secret key";
        } else if (r == LiveRule.LC6) {
          note = "an altered key: the vendor refuses it before it speaks";
        }
        steps.add(new CheckPlan.Step(t, r, chars, note));
      }
    }
    return new CheckPlan(provider, steps, budgetChars);
  }

  /**
   * Runs the plan: every rule on every transport, in order, each printed to the listener as it
   * finishes.
   *
   * @return every rule's result, with the characters spent
   * @throws IllegalArgumentException if the plan does not fit the budget (nothing is sent)
   * @throws ConfigurationException if the configuration cannot make a synthesizer (a missing key)
   * @throws UnsupportedCapabilityException if a transport cannot produce the format asked for
   */
  public CheckResult run() {
    CheckPlan plan = plan();
    if (!plan.fitsBudget()) {
      throw new IllegalArgumentException(
          "the check of "
              + provider
              + " needs "
              + plan.totalChars()
              + " characters on "
              + plan.transports().size()
              + " transport(s), more than the budget of "
              + budgetChars
              + "; raise the budget or check fewer transports");
    }
    Secrets secrets = Secrets.of(provider, keys, config);
    for (String t : transports) { // every configuration and format problem before any I/O
      try (StreamingSynthesizer s = create(transportKey.select(config, t))) {
        if (format != null && !s.capabilities().supports(format)) {
          throw new UnsupportedCapabilityException(
              provider,
              provider
                  + " cannot produce "
                  + AudioCheck.name(format)
                  + " on transport "
                  + t
                  + "; it lists "
                  + s.capabilities().formats().stream().map(AudioCheck::name).toList());
        }
      }
    }
    Budget budget = new Budget(budgetChars);
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    List<RuleResult> results = new ArrayList<>();
    for (String t : transports) {
      if (stopped) {
        break;
      }
      VoicebridgeConfig c = transportKey.select(config, t);
      Supplier<StreamingSynthesizer> wrongKey =
          secrets.configured() ? () -> create(c.withOverrides(secrets.alteredOverrides())) : null;
      String wrongKeySkip =
          secrets.declared()
              ? "no value is configured for " + provider + "'s secret key"
              : provider + " declares no secret key (it needs none)";
      try (StreamingSynthesizer synth = create(c)) {
        Runner runner =
            new Runner(
                new Runner.Setup(
                    provider,
                    t,
                    synth,
                    wrongKey,
                    wrongKeySkip,
                    keys,
                    secrets.declared(),
                    options,
                    format,
                    budget,
                    secrets.redactor(),
                    ruleTimeout,
                    listener));
        running = runner;
        if (stopped) {
          runner.stop();
        }
        results.addAll(runner.run(plan.steps(t)));
        if (runner.stopped()) {
          stopped = true;
        }
      } finally {
        running = null;
      }
    }
    return new CheckResult(
        plan,
        libraryVersion(),
        baseUrl(),
        format == null ? "default" : AudioCheck.name(format),
        started,
        Duration.ofNanos(System.nanoTime() - t0),
        results,
        stopped);
  }

  /**
   * Stops a running check from another thread: the session in progress is cancelled and no further
   * rule runs; {@link #run()} returns what ran, marked interrupted.
   */
  public void stop() {
    stopped = true;
    Runner r = running;
    if (r != null) {
      r.stop();
    }
  }

  private StreamingSynthesizer create(VoicebridgeConfig c) {
    return StreamingSynthesizers.create(provider, c, discovery, UnaryOperator.identity());
  }

  private String baseUrl() {
    String full = "voicebridge." + provider + ".base-url";
    return config
        .get(full)
        .orElseGet(
            () ->
                keys.stream()
                    .filter(k -> k.name().equals("base-url") && k.defaultValue() != null)
                    .map(k -> k.defaultValue().toString())
                    .findFirst()
                    .orElse("(none)"));
  }

  private List<String> resolveTransports(Builder b) {
    List<String> choices = transportKey.choices();
    if (b.allTransports) {
      return choices;
    }
    if (b.transport == null) {
      return List.of(transportKey.configured(config));
    }
    if (!choices.contains(b.transport)) {
      throw new IllegalArgumentException(
          "unknown transport '"
              + b.transport
              + "' for "
              + provider
              + "; "
              + (transportKey.exists()
                  ? "use one of " + String.join(", ", choices)
                  : provider + " has no transport key (its only transport is called default)"));
    }
    return List.of(b.transport);
  }

  /** Builds a {@link LiveCheck}. */
  public static final class Builder {
    private final String provider;
    private final VoicebridgeConfig config;
    private String transport;
    private boolean allTransports;
    private int budgetChars = DEFAULT_BUDGET_CHARS;
    private AudioFormat format;
    private SynthesisOptions options = SynthesisOptions.defaults();
    private Duration ruleTimeout = DEFAULT_RULE_TIMEOUT;
    private CheckListener listener = CheckListener.NONE;

    private Builder(String provider, VoicebridgeConfig config) {
      this.provider = Objects.requireNonNull(provider, "provider").trim();
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Checks this transport only (a value of the provider's {@code transport} key).
     *
     * @param transport the transport
     * @return this builder
     */
    public Builder transport(String transport) {
      this.transport = Objects.requireNonNull(transport, "transport").trim();
      this.allTransports = false;
      return this;
    }

    /**
     * Checks every transport the provider's {@code transport} key offers.
     *
     * @return this builder
     */
    public Builder allTransports() {
      this.allTransports = true;
      this.transport = null;
      return this;
    }

    /**
     * The most characters the check may send, in all (default {@value #DEFAULT_BUDGET_CHARS}).
     *
     * @param chars the budget, in characters
     * @return this builder
     */
    public Builder budgetChars(int chars) {
      if (chars < 0) {
        throw new IllegalArgumentException("the budget must not be negative: " + chars);
      }
      this.budgetChars = chars;
      return this;
    }

    /**
     * The format to check (default: each transport's default format).
     *
     * @param format the audio format
     * @return this builder
     */
    public Builder format(AudioFormat format) {
      this.format = format;
      return this;
    }

    /**
     * The options of every session: a voice, a model, vendor options (for example the one that asks
     * a vendor for word timings). The format is set by {@link #format}.
     *
     * @param options the options
     * @return this builder
     */
    public Builder options(SynthesisOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * How long a rule waits for an event before it fails (default 60 s).
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder ruleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the rule timeout must be positive: " + timeout);
      }
      this.ruleTimeout = timeout;
      return this;
    }

    /**
     * Follows the run, rule by rule.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(CheckListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * {@return the check} Finds the provider; no I/O.
     *
     * @throws ConfigurationException for an unknown provider
     * @throws IllegalArgumentException for a transport the provider does not offer
     */
    public LiveCheck build() {
      StreamingSynthesizers.Discovery d = StreamingSynthesizers.discover();
      StreamingSynthesizerProvider p = d.providers().get(provider);
      if (p == null) {
        throw new ConfigurationException(
            null,
            "unknown provider '"
                + provider
                + "'; known providers: "
                + d.providers().keySet()
                + (d.problems().isEmpty() ? "" : " (discovery problems: " + d.problems() + ")"));
      }
      return new LiveCheck(this, d);
    }
  }
}
