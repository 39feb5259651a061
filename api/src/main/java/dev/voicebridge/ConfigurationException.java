package dev.voicebridge;

import java.util.List;

/** Configuration is missing or invalid. Lists every problem at once. Not retryable. */
public class ConfigurationException extends VoicebridgeException {
  private static final long serialVersionUID = 1L;

  /** Every problem, one sentence each. */
  private final List<String> problems;

  /**
   * One exception for all {@code problems}, each naming the key and what is allowed.
   *
   * @param provider the provider's name, or null when no provider is involved
   * @param problems every problem found, one sentence each
   */
  public ConfigurationException(String provider, List<String> problems) {
    super(provider, summary(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * A single problem.
   *
   * @param provider the provider's name, or null when no provider is involved
   * @param problem the problem, one sentence
   */
  public ConfigurationException(String provider, String problem) {
    this(provider, List.of(problem));
  }

  private static String summary(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    return problems.size() + " configuration problems:\n  - " + String.join("\n  - ", problems);
  }

  /** {@return each problem, one sentence each} */
  public List<String> problems() {
    return problems;
  }
}
