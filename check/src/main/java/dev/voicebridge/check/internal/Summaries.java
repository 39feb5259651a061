package dev.voicebridge.check.internal;

import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.check.SessionSummary;
import dev.voicebridge.spi.Redactor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A session's report as a {@link SessionSummary}, every text redacted. */
final class Summaries {
  /**
   * Attributes that identify a vendor's response: {@code request-id}, {@code x-request-id}, {@code
   * response_id}, {@code generation-id}, {@code trace-id}... (not {@code context_id}, which the
   * client chooses).
   */
  private static final Pattern RESPONSE_ID =
      Pattern.compile("(?i).*(request|response|generation|trace)[-_.]?id");

  private Summaries() {}

  static SessionSummary of(
      String label, SynthesisSession session, Recorder rec, Duration audio, Redactor redactor) {
    SynthesisReport r = session.report();
    Map<String, String> attributes = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    r.attributes()
        .forEach(
            (k, v) -> {
              String value = redactor.redact(v);
              attributes.put(k, value);
              if (RESPONSE_ID.matcher(k).matches()) {
                ids.put(k, value);
              }
            });
    List<String> warnings = r.warnings().stream().map(redactor::redact).toList();
    Throwable e = rec != null ? rec.error() : null;
    return new SessionSummary(
        label,
        r.outcome().name(),
        e == null ? null : describe(e, redactor),
        r.connectionSetup().orElse(null),
        r.timeToFirstAudio().orElse(null),
        r.timeToLastAudio().orElse(null),
        audio,
        r.chunks(),
        r.bytesReceived(),
        r.wordTimings(),
        r.charactersSent(),
        attributes,
        ids,
        warnings);
  }

  /** {@code Type: message (retryable)}, redacted. */
  static String describe(Throwable e, Redactor redactor) {
    String m = e.getMessage();
    String retry =
        e instanceof VoicebridgeException v
            ? (v.isRetryable() ? " (retryable)" : " (not retryable)")
            : "";
    return redactor.redact(e.getClass().getSimpleName() + (m == null ? "" : ": " + m) + retry);
  }
}
