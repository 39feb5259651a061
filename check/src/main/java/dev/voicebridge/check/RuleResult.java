package dev.voicebridge.check;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one rule saw on one transport. Every text in it has passed the redaction of the check's
 * secrets: no key, no part of one.
 *
 * @param transport the transport
 * @param rule the rule
 * @param status passed, failed or skipped
 * @param detail what was seen, in one sentence (why it failed, or the figures that passed)
 * @param plannedChars the characters the plan gave the rule
 * @param spentChars the characters it sent (never more than planned)
 * @param elapsed how long the rule took
 * @param sessions the sessions it ran, in order
 */
public record RuleResult(
    String transport,
    LiveRule rule,
    Status status,
    String detail,
    int plannedChars,
    int spentChars,
    Duration elapsed,
    List<SessionSummary> sessions) {

  /** How a rule ended. */
  public enum Status {
    /** The provider did what the rule asks. */
    PASS,
    /** It did not; {@link RuleResult#detail()} says what was seen. */
    FAIL,
    /** The rule does not apply (a capability the provider does not declare); never a pass. */
    SKIP
  }

  /**
   * Compact constructor: checks and copies.
   *
   * @param transport the transport
   * @param rule the rule
   * @param status the HTTP status
   * @param detail the detail
   * @param plannedChars the planned chars
   * @param spentChars the spent chars
   * @param elapsed how long it took
   * @param sessions the sessions
   */
  public RuleResult {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(elapsed, "elapsed");
    sessions = List.copyOf(sessions);
  }

  /** {@return whether the rule failed} */
  public boolean failed() {
    return status == Status.FAIL;
  }
}
