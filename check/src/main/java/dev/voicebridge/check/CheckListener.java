package dev.voicebridge.check;

/**
 * Follows a live check as it runs, for progress output ({@code voicebridge check} prints each
 * rule's line as it finishes). Called on the thread that runs the check, in order; a listener that
 * throws stops nothing (the exception is ignored).
 */
public interface CheckListener {

  /** Nothing to follow. */
  CheckListener NONE = new CheckListener() {};

  /**
   * A rule is about to run on {@code transport}.
   *
   * @param transport the transport
   * @param rule the rule
   */
  default void ruleStarting(String transport, LiveRule rule) {}

  /**
   * A rule has finished.
   *
   * @param result the result
   */
  default void ruleFinished(RuleResult result) {}
}
