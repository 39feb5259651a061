package dev.voicebridge.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Every character a live check will send, counted before it runs: one {@link Step} per rule and
 * transport. A check whose plan does not fit its budget sends nothing ({@link LiveCheck#run()}
 * refuses it). The count includes the wrong-key attempt (LC6), which a vendor refuses before it
 * synthesizes anything but which still leaves the machine.
 */
public final class CheckPlan {

  /**
   * One rule on one transport.
   *
   * @param transport the transport, as the provider's {@code transport} key spells it
   * @param rule the rule
   * @param chars the characters it sends (code points)
   * @param note what the reader should know about it (for example why it will be skipped), or empty
   */
  public record Step(String transport, LiveRule rule, int chars, String note) {
    /**
     * Compact constructor: checks the values.
     *
     * @param transport the transport
     * @param rule the rule
     * @param chars the chars
     * @param note a note for the report (for example that the figures are emulated), or empty
     */
    public Step {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(note, "note");
      if (chars < 0) {
        throw new IllegalArgumentException("chars must not be negative: " + chars);
      }
    }
  }

  private final String provider;
  private final List<Step> steps;
  private final int budgetChars;

  /**
   * A plan.
   *
   * @param provider the provider's name
   * @param steps the steps, in the order they run
   * @param budgetChars the most characters the check may send
   */
  public CheckPlan(String provider, List<Step> steps, int budgetChars) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.steps = List.copyOf(steps);
    if (budgetChars < 0) {
      throw new IllegalArgumentException("budgetChars must not be negative: " + budgetChars);
    }
    this.budgetChars = budgetChars;
  }

  /** {@return the provider's name} */
  public String provider() {
    return provider;
  }

  /** {@return the transports checked, in order} */
  public List<String> transports() {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    steps.forEach(s -> out.add(s.transport()));
    return List.copyOf(out);
  }

  /** {@return every step, in the order they run} */
  public List<Step> steps() {
    return steps;
  }

  /**
   * {@return the steps of one transport}
   *
   * @param transport the transport
   */
  public List<Step> steps(String transport) {
    List<Step> out = new ArrayList<>();
    for (Step s : steps) {
      if (s.transport().equals(transport)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * {@return the characters planned for one transport}
   *
   * @param transport the transport
   */
  public int chars(String transport) {
    return steps(transport).stream().mapToInt(Step::chars).sum();
  }

  /** {@return the characters planned in all} */
  public int totalChars() {
    return steps.stream().mapToInt(Step::chars).sum();
  }

  /** {@return the most characters the check may send} */
  public int budgetChars() {
    return budgetChars;
  }

  /** {@return whether the plan fits the budget} */
  public boolean fitsBudget() {
    return totalChars() <= budgetChars;
  }

  @Override
  public String toString() {
    return "CheckPlan["
        + provider
        + " "
        + transports()
        + ", "
        + totalChars()
        + " of "
        + budgetChars
        + " characters]";
  }
}
