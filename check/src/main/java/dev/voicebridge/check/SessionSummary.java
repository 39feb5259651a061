package dev.voicebridge.check;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One session of a rule, from its {@link dev.voicebridge.SynthesisReport} and what the check
 * decoded. Redacted like the rest of a result.
 *
 * @param label what the session was for ({@code one-shot}, {@code wrong-key}, ...)
 * @param outcome {@code COMPLETED}, {@code FAILED}, {@code CANCELLED} or {@code RUNNING}
 * @param error the terminal error as {@code Type: message}, or null
 * @param connectionSetup connection set-up time, or null
 * @param timeToFirstAudio time to first audio, or null
 * @param timeToLastAudio time from the first text to the last audio, or null
 * @param audio the playing time of the audio as decoded by the check, or null when unknown
 * @param chunks audio chunks delivered
 * @param bytes audio bytes delivered
 * @param wordTimings word timings delivered
 * @param charactersSent characters the session was given
 * @param attributes the provider's report attributes (transport, model, connection reuse...)
 * @param responseIds the attributes that identify the vendor's response (request ids), for a bug
 *     report; empty when the adapter exposes none
 * @param warnings the report's warnings
 */
public record SessionSummary(
    String label,
    String outcome,
    String error,
    Duration connectionSetup,
    Duration timeToFirstAudio,
    Duration timeToLastAudio,
    Duration audio,
    long chunks,
    long bytes,
    long wordTimings,
    long charactersSent,
    Map<String, String> attributes,
    Map<String, String> responseIds,
    List<String> warnings) {

  /**
   * Compact constructor: checks and copies.
   *
   * @param label a unique short name
   * @param outcome how the session ended
   * @param error the error
   * @param connectionSetup the connection setup
   * @param timeToFirstAudio the time to first audio
   * @param timeToLastAudio the time to last audio
   * @param audio the audio
   * @param chunks audio chunks received
   * @param bytes the bytes
   * @param wordTimings the word timings
   * @param charactersSent the characters sent
   * @param attributes the attributes
   * @param responseIds the response ids
   * @param warnings options ignored, for the report
   */
  public SessionSummary {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(outcome, "outcome");
    attributes = Map.copyOf(attributes);
    responseIds = Map.copyOf(responseIds);
    warnings = List.copyOf(warnings);
  }
}
