package dev.voicebridge.conformance;

/**
 * The contract every provider passes. A provider's test extends this class (naming it {@code
 * XConformanceTest}) and implements {@link #createFixture()}; the nested groups hold the rules,
 * each with a rule id in its display name. Optional capabilities turn into skips, never passes.
 */
public abstract class StreamingSynthesizerContract {

  /** A fresh fixture for one test. */
  protected abstract ConformanceFixture createFixture() throws Exception;
}
