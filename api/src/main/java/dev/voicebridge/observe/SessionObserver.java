package dev.voicebridge.observe;

import dev.voicebridge.SynthesisReport;
import dev.voicebridge.VoicebridgeException;
import java.time.Duration;

/**
 * The events of one session, after {@link SessionListener#opened}. Every method has an empty
 * default, so an observer overrides what it needs. Durations are measured by the session core with
 * the session's clock, exactly as {@link SynthesisReport} reports them.
 *
 * <p>Order: {@link #connected} (at most once), {@link #firstAudio} (at most once), {@link
 * #flushAnswered} (once per flush that followed new text and was answered with audio), then exactly
 * one of {@link #completed}, {@link #failed} or {@link #cancelled}, as the application receives it.
 * A session whose application never reads its end (never subscribes and never closes it) has no
 * terminal event. Called one at a time, on the reporting thread, never under the session's locks:
 * return quickly (see {@link SessionListener}).
 */
public interface SessionObserver {

  /** An observer that ignores everything. */
  SessionObserver NONE = new SessionObserver() {};

  /**
   * The provider's connection is ready.
   *
   * @param setup from the session's start until the connection was ready
   * @param reused whether a pooled connection of an earlier session was used
   */
  default void connected(Duration setup, boolean reused) {}

  /**
   * The first audio chunk was delivered to the application.
   *
   * @param timeToFirstAudio from the first text handed to the session until then
   */
  default void firstAudio(Duration timeToFirstAudio) {}

  /**
   * The first audio after a flush was delivered.
   *
   * @param flush which flush, counting from 0 (the index in {@link
   *     SynthesisReport#firstAudioAfterFlush()})
   * @param latency from the flush until that audio
   */
  default void flushAnswered(int flush, Duration latency) {}

  /**
   * The session completed: every audio byte was delivered.
   *
   * @param report the final report
   */
  default void completed(SynthesisReport report) {}

  /**
   * The session failed.
   *
   * @param error the error the application receives
   * @param report the final report (what was measured until the failure)
   */
  default void failed(VoicebridgeException error, SynthesisReport report) {}

  /**
   * The application cancelled (or closed) the session before it ended.
   *
   * @param report the final report
   */
  default void cancelled(SynthesisReport report) {}
}
