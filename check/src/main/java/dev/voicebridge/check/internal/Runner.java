package dev.voicebridge.check.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.Capabilities;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.check.CheckListener;
import dev.voicebridge.check.CheckPlan;
import dev.voicebridge.check.LiveRule;
import dev.voicebridge.check.RuleResult;
import dev.voicebridge.check.RuleResult.Status;
import dev.voicebridge.check.SessionSummary;
import dev.voicebridge.check.internal.AudioCheck.Decoded;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.Redactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs the rules of one transport on one synthesizer, in the order of its plan, one session at a
 * time on the calling thread. Every session a rule opens is cancelled when the rule ends (a no-op
 * for one that completed), so none outlives its rule.
 */
public final class Runner {
  /** How far the last word may end after the audio (vendors' alignment rounds). */
  static final Duration TIMING_SLACK = Duration.ofMillis(250);

  /** Formats tried, in order, for the unsupported-option rule: the first one not supported. */
  private static final List<AudioFormat> UNSUPPORTED_CANDIDATES =
      List.of(
          new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 24_000, 2),
          AudioFormat.pcm(11_025),
          AudioFormat.pcm(96_000),
          AudioFormat.mulaw(16_000),
          AudioFormat.alaw(16_000),
          AudioFormat.mp3(8_000));

  /**
   * What a transport's run needs.
   *
   * @param provider the provider's name
   * @param transport the transport's name
   * @param synthesizer the synthesizer, configured for the transport
   * @param wrongKey makes a synthesizer configured with an altered key, or null
   * @param wrongKeySkip why the wrong-key rule is skipped when {@code wrongKey} is null
   * @param keys the provider's configuration keys
   * @param secretDeclared whether the provider declares a secret key
   * @param options the options of every session (voice, model, vendor options)
   * @param format the format to check, or null for the synthesizer's default
   * @param budget the characters the check may still send
   * @param redactor masks the check's secrets in everything reported
   * @param ruleTimeout how long a rule waits for an event before it fails
   * @param listener follows the run
   */
  public record Setup(
      String provider,
      String transport,
      StreamingSynthesizer synthesizer,
      Supplier<StreamingSynthesizer> wrongKey,
      String wrongKeySkip,
      List<ConfigKey<?>> keys,
      boolean secretDeclared,
      SynthesisOptions options,
      AudioFormat format,
      Budget budget,
      Redactor redactor,
      Duration ruleTimeout,
      CheckListener listener) {
    /** Compact constructor: checks nulls. */
    public Setup {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(synthesizer, "synthesizer");
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(options, "options");
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(redactor, "redactor");
      Objects.requireNonNull(ruleTimeout, "ruleTimeout");
      Objects.requireNonNull(listener, "listener");
    }
  }

  private record Outcome(Status status, String detail, List<SessionSummary> sessions) {}

  private final Setup setup;
  private final StreamingSynthesizer synth;
  private final Capabilities caps;
  private final AudioFormat format;
  private final SynthesisOptions options;
  private final Redactor redactor;
  private final Duration timeout;
  private volatile boolean stopped;
  private volatile SynthesisSession current;
  private Recorder oneShot;
  private Duration oneShotAudio;

  /** A runner for one transport. */
  public Runner(Setup setup) {
    this.setup = setup;
    this.synth = setup.synthesizer();
    this.caps = synth.capabilities();
    this.format = setup.format() != null ? setup.format() : caps.defaultFormat();
    this.options = setup.options().toBuilder().format(format).build();
    this.redactor = setup.redactor();
    this.timeout = setup.ruleTimeout();
  }

  /** The format the rules ask for. */
  public AudioFormat format() {
    return format;
  }

  /** Stops the run: cancels the session in progress; the rules not yet started do not run. */
  public void stop() {
    stopped = true;
    SynthesisSession s = current;
    if (s != null) {
      s.cancel();
    }
  }

  /** Whether {@link #stop()} was called. */
  public boolean stopped() {
    return stopped;
  }

  /** Runs {@code steps} (this transport's), in order, until the end or {@link #stop()}. */
  public List<RuleResult> run(List<CheckPlan.Step> steps) {
    List<RuleResult> out = new ArrayList<>();
    for (CheckPlan.Step step : steps) {
      if (stopped || Thread.currentThread().isInterrupted()) {
        break;
      }
      RuleResult r = runOne(step);
      if (stopped) {
        break; // a rule cut short by stop() says nothing about the vendor
      }
      out.add(r);
      try {
        setup.listener().ruleFinished(r);
      } catch (RuntimeException ignored) {
        // a listener cannot stop the check
      }
    }
    return out;
  }

  private RuleResult runOne(CheckPlan.Step step) {
    try {
      setup.listener().ruleStarting(setup.transport(), step.rule());
    } catch (RuntimeException ignored) {
      // a listener cannot stop the check
    }
    long t0 = System.nanoTime();
    int spent0 = setup.budget().spent();
    Outcome o;
    try {
      o =
          switch (step.rule()) {
            case LC1 -> discovery();
            case LC2 -> oneShot();
            case LC3 -> streaming();
            case LC4 -> wordTimings();
            case LC5 -> cancel();
            case LC6 -> wrongKey();
            case LC7 -> unsupported();
            case LC8 -> completion();
          };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
      o = fail("interrupted", List.of());
    } catch (RuntimeException e) {
      o = fail("the rule stopped with " + Summaries.describe(e, redactor), List.of());
    } finally {
      SynthesisSession s = current;
      current = null;
      if (s != null) {
        s.cancel();
      }
    }
    return new RuleResult(
        setup.transport(),
        step.rule(),
        o.status(),
        redactor.redact(o.detail()),
        step.chars(),
        setup.budget().spent() - spent0,
        Duration.ofNanos(System.nanoTime() - t0),
        o.sessions());
  }

  // --- LC1 ---

  private Outcome discovery() {
    List<String> problems = new ArrayList<>();
    List<String> facts = new ArrayList<>();
    if (!synth.provider().equals(setup.provider())) {
      problems.add(
          "the synthesizer calls its provider '"
              + synth.provider()
              + "', not '"
              + setup.provider()
              + "'");
    }
    long undescribed =
        setup.keys().stream()
            .filter(k -> k.description() == null || k.description().isBlank())
            .count();
    if (undescribed > 0) {
      problems.add(undescribed + " configuration key(s) without a description");
    }
    facts.add(setup.keys().size() + " configuration keys, each described");
    List<String> secret =
        setup.keys().stream().filter(ConfigKey::isSecret).map(ConfigKey::name).toList();
    if (caps.network() && secret.isEmpty()) {
      problems.add("a network provider that declares no secret key (its API key would be shown)");
    }
    facts.add(secret.isEmpty() ? "no secret key" : "secret: " + String.join(", ", secret));
    if (!caps.supports(caps.defaultFormat())) {
      problems.add(
          "its default format "
              + AudioCheck.name(caps.defaultFormat())
              + " is not one it supports");
    }
    if (!caps.supports(format)) {
      problems.add(
          "the format under check, " + AudioCheck.name(format) + ", is not one it supports");
    }
    facts.add("format " + AudioCheck.name(format));
    facts.add(
        (caps.streamingInput() ? "streaming input" : "no streaming input")
            + ", "
            + (caps.wordTimings() ? "word timings" : "no word timings")
            + (caps.network() ? ", network" : ", in process")
            + ", transports "
            + caps.transports());
    return problems.isEmpty()
        ? pass("found by ServiceLoader; " + String.join("; ", facts), List.of())
        : fail(String.join("; ", problems), List.of());
  }

  // --- LC2 ---

  private Outcome oneShot() throws InterruptedException {
    String text = LiveRule.LC2.texts().get(0);
    SynthesisSession s = openForText(synth);
    Recorder rec = Recorder.recording();
    s.events().subscribe(rec);
    setup.budget().send(s, text);
    s.finish();
    if (!rec.awaitTerminal(timeout)) {
      s.cancel();
      return fail(noEnd(rec), List.of(summary("one-shot", s, rec, null)));
    }
    List<String> problems = completionProblems(rec, s);
    Decoded d = AudioCheck.decode(format, rec.audio());
    if (rec.completed()) {
      oneShot = rec;
      oneShotAudio = d.duration();
      problems.addAll(audioProblems(d, Budget.count(text)));
    }
    List<SessionSummary> sessions = List.of(summary("one-shot", s, rec, d.duration()));
    if (!problems.isEmpty()) {
      return fail(String.join("; ", problems), sessions);
    }
    return pass(
        d.description()
            + " for "
            + Budget.count(text)
            + " characters"
            + perChar(d.duration(), Budget.count(text))
            + ", "
            + rec.chunks()
            + " chunk(s), first audio "
            + ms(s.report().timeToFirstAudio().orElse(null))
            + ", one completion",
        sessions);
  }

  // --- LC3 ---

  private Outcome streaming() throws InterruptedException {
    List<String> texts = LiveRule.LC3.texts();
    SynthesisSession s = openForText(synth);
    Recorder rec = Recorder.recording();
    s.events().subscribe(rec);
    setup.budget().send(s, texts.get(0));
    setup.budget().send(s, texts.get(1));
    s.flush();
    rec.awaitFirstAudio(timeout);
    int beforeFinish = rec.chunks();
    if (beforeFinish == 0) {
      SessionSummary sum = summary("streaming", s, rec, null);
      if (rec.error() != null) {
        return fail(
            "ended before any audio with " + Summaries.describe(rec.error(), redactor),
            List.of(sum));
      }
      s.cancel();
      return fail(
          rec.terminals() > 0
              ? "completed after the flush without audio"
              : "no audio within " + seconds(timeout) + " of the flush (before finish())",
          List.of(sum));
    }
    setup.budget().send(s, texts.get(2));
    s.finish();
    if (!rec.awaitTerminal(timeout)) {
      s.cancel();
      return fail(noEnd(rec), List.of(summary("streaming", s, rec, null)));
    }
    List<String> problems = completionProblems(rec, s);
    Decoded d = AudioCheck.decode(format, rec.audio());
    int chars = LiveRule.LC3.textChars();
    if (rec.completed()) {
      problems.addAll(audioProblems(d, chars));
      if (s.report().firstAudioAfterFlush().isEmpty()) {
        problems.add("the report has no time to first audio after the flush");
      }
    }
    List<SessionSummary> sessions = List.of(summary("streaming", s, rec, d.duration()));
    if (!problems.isEmpty()) {
      return fail(String.join("; ", problems), sessions);
    }
    return pass(
        beforeFinish
            + " chunk(s) after the flush before finish() (first "
            + ms(s.report().firstAudioAfterFlush().get(0))
            + " after it), "
            + rec.chunks()
            + " in all; "
            + d.description()
            + " for "
            + chars
            + " characters"
            + perChar(d.duration(), chars)
            + ", one completion",
        sessions);
  }

  // --- LC4 ---

  private Outcome wordTimings() {
    if (!caps.wordTimings()) {
      return skip(
          setup.provider() + " declares no word timings on transport " + setup.transport(),
          List.of());
    }
    if (oneShot == null) {
      return fail("LC2's session did not complete, so there are no timings to check", List.of());
    }
    List<WordTiming> all = oneShot.timings();
    List<WordTiming> vendor = all.stream().filter(t -> !t.estimated()).toList();
    if (vendor.isEmpty()) {
      return fail(
          all.isEmpty()
              ? "the provider declares word timings, but none came with LC2's audio"
              : all.size() + " timing(s) estimated by the library came, none from the vendor",
          List.of());
    }
    List<String> problems = new ArrayList<>();
    Duration prev = Duration.ZERO;
    for (WordTiming t : vendor) {
      if (t.start().compareTo(prev) < 0) {
        problems.add(
            "'" + t.word() + "' starts at " + seconds(t.start()) + ", before the word before it");
      }
      prev = t.start();
    }
    Duration lastEnd = vendor.get(vendor.size() - 1).end();
    if (oneShotAudio != null && lastEnd.compareTo(oneShotAudio.plus(TIMING_SLACK)) > 0) {
      problems.add(
          "the last word ends at "
              + seconds(lastEnd)
              + ", after the audio ("
              + seconds(oneShotAudio)
              + ")");
    }
    Set<String> words = new HashSet<>();
    for (String w : LiveRule.LC2.texts().get(0).split("\\s+")) {
      words.add(normalize(w));
    }
    for (WordTiming t : vendor) {
      if (!t.normalized()
          && !normalize(t.word()).isEmpty()
          && !words.contains(normalize(t.word()))) {
        problems.add("'" + t.word() + "' is not a word of the text");
      }
    }
    if (!problems.isEmpty()) {
      return fail(String.join("; ", problems), List.of());
    }
    return pass(
        vendor.size()
            + " timing(s) from the vendor, in order, the last ending at "
            + seconds(lastEnd)
            + (oneShotAudio != null ? " of " + seconds(oneShotAudio) + " of audio" : "")
            + ", each a word of the text",
        List.of());
  }

  private static String normalize(String word) {
    return word.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
  }

  // --- LC5 ---

  private Outcome cancel() throws InterruptedException {
    String text = LiveRule.LC5.texts().get(0);
    SynthesisSession s = openForText(synth);
    Recorder rec = Recorder.cancellingAtFirstChunk(s);
    s.events().subscribe(rec);
    setup.budget().send(s, text);
    s.flush();
    if (!rec.awaitTerminal(timeout)) {
      s.cancel();
      return fail(noEnd(rec), List.of(summary("cancel", s, rec, null)));
    }
    List<SessionSummary> sessions = List.of(summary("cancel", s, rec, null));
    if (!rec.cancelled()) {
      return fail(
          rec.error() != null
              ? "ended before any audio with " + Summaries.describe(rec.error(), redactor)
              : "completed without audio, so there was nothing to cancel",
          sessions);
    }
    List<String> problems = new ArrayList<>();
    if (!(rec.error() instanceof SynthesisCancelledException)) {
      problems.add(
          "the terminal signal after cancel() was "
              + (rec.error() == null ? "a completion" : Summaries.describe(rec.error(), redactor))
              + ", not SynthesisCancelledException");
    }
    if (rec.terminals() != 1) {
      problems.add(rec.terminals() + " terminal signals");
    }
    if (rec.chunksAfterCancel() > 0 || rec.eventsAfterTerminal() > 0) {
      problems.add(
          (rec.chunksAfterCancel() + rec.eventsAfterTerminal()) + " event(s) after cancel()");
    }
    SynthesisReport r = s.report();
    if (r.outcome() != SynthesisReport.Outcome.CANCELLED) {
      problems.add("the report says " + r.outcome() + ", not CANCELLED");
    }
    if (!(settle(s) instanceof SynthesisCancelledException)) {
      problems.add("completion() did not end with the cancellation");
    }
    if (!problems.isEmpty()) {
      return fail(String.join("; ", problems), sessions);
    }
    return pass(
        "cancelled while its first chunk ("
            + rec.audio().length
            + " bytes) was delivered, "
            + ms(r.timeToFirstAudio().orElse(null))
            + " after the text; nothing after cancel() returned; one terminal signal,"
            + " SynthesisCancelledException",
        sessions);
  }

  // --- LC6 ---

  private Outcome wrongKey() throws InterruptedException {
    if (setup.wrongKey() == null) {
      return skip(setup.wrongKeySkip(), List.of());
    }
    StreamingSynthesizer bad;
    try {
      bad = setup.wrongKey().get();
    } catch (ConfigurationException e) {
      return fail(
          "the configuration refused the altered key: " + Summaries.describe(e, redactor),
          List.of());
    }
    try (bad) {
      String text = LiveRule.LC6.texts().get(0);
      SynthesisSession s = openForText(bad);
      Recorder rec = Recorder.recording();
      s.events().subscribe(rec);
      setup.budget().send(s, text);
      s.finish();
      if (!rec.awaitTerminal(timeout)) {
        s.cancel();
        return fail(noEnd(rec), List.of(summary("wrong-key", s, rec, null)));
      }
      List<SessionSummary> sessions = List.of(summary("wrong-key", s, rec, null));
      Throwable e = rec.error();
      if (e == null) {
        return fail(
            "the vendor accepted the altered key: "
                + rec.audio().length
                + " bytes of audio and a completion came",
            sessions);
      }
      List<String> problems = new ArrayList<>();
      if (!(e instanceof AuthenticationException)) {
        problems.add(
            "refused with " + Summaries.describe(e, redactor) + ", not an AuthenticationException");
      } else if (((VoicebridgeException) e).isRetryable()) {
        problems.add("the AuthenticationException says it is retryable");
      }
      if (rec.chunks() > 0) {
        problems.add(rec.chunks() + " chunk(s) of audio came with the altered key");
      }
      if (redactor.isIn(e.getMessage()) || redactor.isIn(String.valueOf(e))) {
        problems.add("the exception's message holds the key (masked here)");
      }
      if (!problems.isEmpty()) {
        return fail(String.join("; ", problems), sessions);
      }
      int status = e instanceof ProviderException p ? p.status() : 0;
      return pass(
          "refused"
              + (status > 0 ? " with status " + status : "")
              + ": "
              + Summaries.describe(e, redactor)
              + "; no key in the message",
          sessions);
    }
  }

  // --- LC7 ---

  private Outcome unsupported() {
    AudioFormat f = null;
    for (AudioFormat candidate : UNSUPPORTED_CANDIDATES) {
      if (!caps.supports(candidate)) {
        f = candidate;
        break;
      }
    }
    if (f == null) {
      return skip(
          "the capabilities support every format tried ("
              + UNSUPPORTED_CANDIDATES.stream().map(AudioCheck::name).toList()
              + ")",
          List.of());
    }
    SynthesisOptions o = options.toBuilder().format(f).build();
    try {
      SynthesisSession s = synth.open(o);
      current = s;
      s.cancel();
      return fail(
          "open() accepted "
              + AudioCheck.name(f)
              + ", which capabilities().supports() refuses (cancelled before any text)",
          List.of());
    } catch (UnsupportedCapabilityException e) {
      return pass(
          "open() refused "
              + AudioCheck.name(f)
              + " at once, before a session existed: "
              + Summaries.describe(e, redactor),
          List.of());
    } catch (RuntimeException e) {
      return fail(
          "open() refused "
              + AudioCheck.name(f)
              + " with "
              + Summaries.describe(e, redactor)
              + ", not an UnsupportedCapabilityException",
          List.of());
    }
  }

  // --- LC8 ---

  private Outcome completion() throws InterruptedException {
    String text = LiveRule.LC8.texts().get(0);
    SynthesisSession s = openForText(synth);
    Recorder rec = Recorder.recording();
    s.events().subscribe(rec);
    setup.budget().send(s, text);
    s.finish();
    if (!rec.awaitTerminal(timeout)) {
      s.cancel();
      return fail(noEnd(rec), List.of(summary("completion", s, rec, null)));
    }
    List<String> problems = completionProblems(rec, s);
    Decoded d = AudioCheck.decode(format, rec.audio());
    if (rec.completed()) {
      problems.addAll(audioProblems(d, Budget.count(text)));
    }
    List<SessionSummary> sessions = List.of(summary("completion", s, rec, d.duration()));
    if (!problems.isEmpty()) {
      return fail(String.join("; ", problems), sessions);
    }
    return pass(
        "one completion after the last of "
            + rec.chunks()
            + " chunk(s) ("
            + d.description()
            + "), last audio "
            + ms(s.report().lastAudioAfterFinish().orElse(null))
            + " after finish(), nothing after it; completion() gave the report",
        sessions);
  }

  // --- shared ---

  /**
   * Opens a session that will send text, counting {@link LiveRule#SESSION_ALLOWANCE} against the
   * budget first.
   */
  private SynthesisSession openForText(StreamingSynthesizer on) {
    setup.budget().take(LiveRule.SESSION_ALLOWANCE);
    SynthesisSession s = on.open(options);
    current = s;
    if (stopped) {
      s.cancel();
    }
    return s;
  }

  /** What is wrong with how a session that should complete ended. */
  private List<String> completionProblems(Recorder rec, SynthesisSession s)
      throws InterruptedException {
    List<String> problems = new ArrayList<>();
    if (rec.error() != null) {
      problems.add(
          "ended with "
              + Summaries.describe(rec.error(), redactor)
              + " after "
              + rec.chunks()
              + " chunk(s)");
    } else if (rec.chunks() == 0) {
      problems.add("completed without audio");
    }
    if (rec.terminals() != 1) {
      problems.add(rec.terminals() + " terminal signals");
    }
    if (rec.eventsAfterTerminal() > 0) {
      problems.add(rec.eventsAfterTerminal() + " event(s) after the terminal signal");
    }
    if (rec.error() == null) {
      SynthesisReport r = s.report();
      if (r.outcome() != SynthesisReport.Outcome.COMPLETED) {
        problems.add("the report says " + r.outcome() + ", not COMPLETED");
      }
      int delivered = rec.audio().length;
      if (r.bytesReceived() != delivered) {
        problems.add(
            "the report counts " + r.bytesReceived() + " bytes, " + delivered + " were delivered");
      }
      if (settle(s) != null) {
        problems.add("completion() did not complete with the report");
      }
    }
    return problems;
  }

  /**
   * Waits for the session's completion stage, which completes just after the subscriber's terminal
   * signal; returns its exception, null for a report, or an {@link IllegalStateException} when it
   * did not complete within the rule's timeout.
   */
  private Throwable settle(SynthesisSession s) throws InterruptedException {
    try {
      s.completion().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return new IllegalStateException("completion() did not complete");
    }
  }

  private static List<String> audioProblems(Decoded d, int chars) {
    List<String> problems = new ArrayList<>(d.problems());
    if (d.duration() != null) {
      String p = AudioCheck.implausible(d.duration(), chars);
      if (p != null) {
        problems.add(p);
      }
    }
    return problems;
  }

  private String noEnd(Recorder rec) {
    return "no terminal signal within "
        + seconds(timeout)
        + " ("
        + rec.chunks()
        + " chunk(s) came); cancelled";
  }

  private SessionSummary summary(String label, SynthesisSession s, Recorder rec, Duration decoded) {
    return Summaries.of(label, s, rec, decoded, redactor);
  }

  private static Outcome pass(String detail, List<SessionSummary> sessions) {
    return new Outcome(Status.PASS, detail, sessions);
  }

  private static Outcome fail(String detail, List<SessionSummary> sessions) {
    return new Outcome(Status.FAIL, detail, sessions);
  }

  private static Outcome skip(String detail, List<SessionSummary> sessions) {
    return new Outcome(Status.SKIP, detail, sessions);
  }

  private static String perChar(Duration d, int chars) {
    if (d == null || chars == 0) {
      return "";
    }
    return String.format(Locale.ROOT, " (%.3f s per character)", d.toNanos() / 1e9 / chars);
  }

  static String ms(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.0f ms", d.toNanos() / 1e6);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }
}
