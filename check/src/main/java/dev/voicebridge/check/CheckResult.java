package dev.voicebridge.check;

import dev.voicebridge.check.internal.JsonReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a live check saw: one {@link RuleResult} per rule and transport, in the order they ran, and
 * the facts a bug report needs (provider, library version, base URL, the plan and what was spent).
 * {@link #toJson()} is the file {@code voicebridge check --json} writes. Nothing in it holds a key.
 */
public final class CheckResult {
  private final CheckPlan plan;
  private final String libraryVersion;
  private final String baseUrl;
  private final String format;
  private final Instant startedAt;
  private final Duration elapsed;
  private final List<RuleResult> results;
  private final boolean interrupted;

  CheckResult(
      CheckPlan plan,
      String libraryVersion,
      String baseUrl,
      String format,
      Instant startedAt,
      Duration elapsed,
      List<RuleResult> results,
      boolean interrupted) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.libraryVersion = Objects.requireNonNull(libraryVersion, "libraryVersion");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.format = Objects.requireNonNull(format, "format");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    this.results = List.copyOf(results);
    this.interrupted = interrupted;
  }

  /** {@return the provider's name} */
  public String provider() {
    return plan.provider();
  }

  /** {@return the plan the check ran} */
  public CheckPlan plan() {
    return plan;
  }

  /** {@return the version of Voicebridge that ran the check} */
  public String libraryVersion() {
    return libraryVersion;
  }

  /** {@return the base URL the provider talked to (its configured or default {@code base-url})} */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@return the audio format checked, or {@code default} for each transport's default format} */
  public String format() {
    return format;
  }

  /** {@return when the check started} */
  public Instant startedAt() {
    return startedAt;
  }

  /** {@return how long it took} */
  public Duration elapsed() {
    return elapsed;
  }

  /** {@return every rule's result, in the order they ran} */
  public List<RuleResult> results() {
    return results;
  }

  /** {@return the rules that failed} */
  public List<RuleResult> failures() {
    return results.stream().filter(RuleResult::failed).toList();
  }

  /** {@return whether the check was stopped before every rule ran} */
  public boolean interrupted() {
    return interrupted;
  }

  /** {@return the characters sent, counted as they were handed to the sessions} */
  public int spentChars() {
    return results.stream().mapToInt(RuleResult::spentChars).sum();
  }

  /** {@return whether every rule ran and none failed (skipped rules do not fail a check)} */
  public boolean passed() {
    return !interrupted && results.size() == plan.steps().size() && failures().isEmpty();
  }

  /** {@return the result as the JSON document described in docs/check.md} */
  public String toJson() {
    return JsonReport.write(this);
  }

  @Override
  public String toString() {
    return "CheckResult["
        + provider()
        + ", "
        + (passed() ? "passed" : failures().size() + " failed")
        + ", "
        + spentChars()
        + " characters]";
  }
}
