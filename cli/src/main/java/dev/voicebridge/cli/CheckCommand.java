package dev.voicebridge.cli;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.check.CheckListener;
import dev.voicebridge.check.CheckPlan;
import dev.voicebridge.check.CheckResult;
import dev.voicebridge.check.LiveCheck;
import dev.voicebridge.check.LiveRule;
import dev.voicebridge.check.RuleResult;
import dev.voicebridge.smallest.SmallestOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code voicebridge check}: a live check of a provider against the vendor its configuration points
 * at, with the user's own key, within a character budget planned and printed before anything is
 * sent. Exit 0 only when every rule passes.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Check a provider against its real vendor with your own key, within a character budget.",
      "The plan (the characters each rule sends) is printed first; --dry-run prints only the plan.",
      "Exit 0 when every rule passes, 1 when one fails, 2 for bad input or configuration."
    })
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Mixin ConfigOptions configOptions;

  @Option(
      names = "--provider",
      required = true,
      description = "The provider to check, e.g. fish, elevenlabs, smallest, cartesia, deepgram.")
  String provider;

  @Option(
      names = "--transport",
      description = "The transport to check (default: the configured one).")
  String transport;

  @Option(names = "--all-transports", description = "Check every transport the provider has.")
  boolean allTransports;

  @Option(
      names = "--budget-chars",
      paramLabel = "N",
      description = "Characters the whole check may send (default: ${DEFAULT-VALUE}).")
  int budgetChars = LiveCheck.DEFAULT_BUDGET_CHARS;

  @Option(
      names = "--format",
      description = "Audio format to check (default: the provider's default format).")
  String format;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write the result as JSON (to attach to a bug report).")
  Path json;

  @Option(names = "--dry-run", description = "Print the plan and send nothing.")
  boolean dryRun;

  private volatile LiveCheck running;

  /** Ctrl-C: stop the check; the rules run so far are reported. */
  void stop() {
    LiveCheck c = running;
    if (c != null) {
      c.stop();
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (transport != null && allTransports) {
      throw new Errors.UsageException("give --transport or --all-transports, not both");
    }
    if (budgetChars < 1) {
      throw new Errors.UsageException("--budget-chars must be at least 1");
    }
    if (json != null) {
      Path dir = json.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
        throw new Errors.UsageException("cannot write " + json + ": no writable directory " + dir);
      }
    }
    if (!StreamingSynthesizers.discover().providers().containsKey(provider)) {
      throw new Errors.UsageException(
          "unknown provider '"
              + provider
              + "'; known: "
              + String.join(", ", StreamingSynthesizers.discover().providers().keySet()));
    }
    VoicebridgeConfig config = configOptions.config(main.redactor());
    LiveCheck.Builder b = LiveCheck.builder(provider, config).budgetChars(budgetChars);
    if (provider.equals(SmallestOptions.PROVIDER)) { // its timings come only when asked for
      b.options(SynthesisOptions.builder().set(SmallestOptions.WORD_TIMESTAMPS, true).build());
    }
    if (transport != null) {
      b.transport(transport);
    }
    if (allTransports) {
      b.allTransports();
    }
    if (format != null) {
      try {
        b.format(AudioFormat.parse(format));
      } catch (IllegalArgumentException e) {
        throw new Errors.UsageException(e.getMessage());
      }
    }
    b.listener(
        new CheckListener() {
          @Override
          public void ruleFinished(RuleResult r) {
            out.println(line(r));
            out.flush();
          }
        });
    LiveCheck check;
    try {
      check = b.build();
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException(e.getMessage());
    }
    CheckPlan plan = check.plan();
    out.println(
        "plan: "
            + provider
            + " on "
            + String.join(", ", plan.transports())
            + ", "
            + plan.totalChars()
            + " of "
            + budgetChars
            + " characters");
    for (CheckPlan.Step step : plan.steps()) {
      out.println(
          String.format(
              Locale.ROOT,
              "  %-4s %-9s %4d chars  %s%s",
              step.rule().name(),
              step.transport(),
              step.chars(),
              step.rule().title(),
              step.note().isEmpty() ? "" : " (" + step.note() + ")"));
    }
    out.flush();
    if (!plan.fitsBudget()) {
      throw new Errors.UsageException(
          "the plan needs "
              + plan.totalChars()
              + " characters, more than --budget-chars "
              + budgetChars
              + ": raise the budget or check one transport");
    }
    if (dryRun) {
      return 0;
    }
    CheckResult result;
    try (StopSignal.Registration stopping = main.stop().register(this::stop)) {
      running = check;
      result = check.run();
    } catch (ConfigurationException | UnsupportedCapabilityException e) {
      throw new Errors.UsageException(e.getMessage());
    } finally {
      running = null;
    }
    if (json != null) {
      AtomicFiles.writeString(json, main.redactor().redact(result.toJson()));
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%s: %d rules, %d failed, %d characters sent of %d planned, %.1f s%s",
            result.passed() ? "PASS" : "FAIL",
            result.results().size(),
            result.failures().size(),
            result.spentChars(),
            plan.totalChars(),
            result.elapsed().toMillis() / 1000.0,
            result.interrupted() ? " (interrupted)" : ""));
    if (json != null) {
      out.println("json: " + json.toAbsolutePath());
    }
    out.flush();
    if (result.interrupted()) {
      return Main.INTERRUPTED;
    }
    return result.passed() ? 0 : Main.FAILED;
  }

  private String line(RuleResult r) {
    LiveRule rule = r.rule();
    return main.redactor()
        .redact(
            String.format(
                Locale.ROOT,
                "%-4s %-4s %-9s %-36s %s",
                r.status(),
                rule.name(),
                r.transport(),
                rule.title(),
                r.detail()));
  }
}
