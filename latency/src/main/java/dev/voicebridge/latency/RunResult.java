package dev.voicebridge.latency;

import java.util.List;

/**
 * The figures of one run of a script on one provider. Times are milliseconds; connection, first
 * audio, flush and last-audio figures come from the api's {@link dev.voicebridge.SynthesisReport};
 * the chunk timeline, gaps and underruns from the chunks' own arrival times.
 *
 * @param label the contender
 * @param round the round number, from 0
 * @param warm whether the connection was warm (the synthesizer had run before)
 * @param outcome COMPLETED, FAILED or CANCELLED
 * @param error the error message, or null
 * @param connectMs connection set-up, or null
 * @param reused whether a pooled connection was reused
 * @param firstAudioMs time to first audio from the first text, or null
 * @param flushMs time to first audio after each flush
 * @param lastAudioAfterEndMs time to last audio after the end of input, or null
 * @param totalMs time from the first text to the last audio, or null
 * @param completionMs time from the first text to the session's completion, or null (beside {@code
 *     totalMs}: how long the vendor took to confirm the end after its last audio)
 * @param audioMs playing time of the audio
 * @param realTimeFactor totalMs / audioMs (below 1: faster than real time), or null
 * @param maxGapMs the longest wait between two chunks
 * @param underruns how often playback would have run dry while the text had already been given
 * @param underrunMs total time playback would have waited
 * @param chunks the timeline
 */
public record RunResult(
    String label,
    int round,
    boolean warm,
    String outcome,
    String error,
    Double connectMs,
    boolean reused,
    Double firstAudioMs,
    List<Double> flushMs,
    Double lastAudioAfterEndMs,
    Double totalMs,
    Double completionMs,
    double audioMs,
    Double realTimeFactor,
    double maxGapMs,
    int underruns,
    double underrunMs,
    List<Chunk> chunks) {

  /** Compact constructor: copies. */
  public RunResult {
    flushMs = List.copyOf(flushMs);
    chunks = List.copyOf(chunks);
  }

  /**
   * One chunk on the timeline.
   *
   * @param arrivalMs when it arrived, from the first text
   * @param audioMs how much audio it holds
   */
  public record Chunk(double arrivalMs, double audioMs) {}

  /** Whether the run completed. */
  public boolean ok() {
    return "COMPLETED".equals(outcome);
  }

  /** The series this run belongs to: {@code label/warm} or {@code label/cold}. */
  public String series() {
    return label + (warm ? "/warm" : "/cold");
  }
}
