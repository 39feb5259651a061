package dev.voicebridge.micrometer;

import dev.voicebridge.SynthesisReport;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.observe.SessionInfo;
import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * The observation context of one synthesis session: what the session is, and (once it ended) its
 * report and outcome. Conventions and handlers read it.
 */
public class SynthesisObservationContext extends Observation.Context {
  private final SessionInfo session;
  private volatile SynthesisReport report;
  private volatile String outcome = "running";
  private volatile VoicebridgeException failure;

  /**
   * A context for {@code session}.
   *
   * @param session the session
   */
  public SynthesisObservationContext(SessionInfo session) {
    this.session = Objects.requireNonNull(session, "session");
  }

  /** {@return what the session is (provider, transport, model, voice, format)} */
  public SessionInfo session() {
    return session;
  }

  /** {@return the final report, once the session ended; null before} */
  public SynthesisReport report() {
    return report;
  }

  /**
   * {@return how the session ended: {@code completed}, {@code failed}, {@code cancelled}, or {@code
   * running} before it ended}
   */
  public String outcome() {
    return outcome;
  }

  /** {@return the failure, when the session failed; null otherwise} */
  public VoicebridgeException failure() {
    return failure;
  }

  void ended(String outcome, SynthesisReport report, VoicebridgeException failure) {
    this.outcome = outcome;
    this.report = report;
    this.failure = failure;
  }
}
