package dev.voicebridge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happened in one session, measured by the library (never by a provider) with {@code
 * System.nanoTime}, identically for every provider:
 *
 * <ul>
 *   <li>{@link #connectionSetup()}: from the session's start until the provider said its connection
 *       was ready (zero-ish when a pooled connection was reused);
 *   <li>{@link #timeToFirstAudio()}: from the first non-empty text handed to the session until the
 *       first {@link AudioChunk} was delivered to the application;
 *   <li>{@link #firstAudioAfterFlush()}: for each flush that followed new text, the time until the
 *       next chunk was delivered;
 *   <li>{@link #timeToLastAudio()}: from the first text until the last chunk was delivered; {@link
 *       #lastAudioAfterFinish()}: from {@code finish()} until then.
 * </ul>
 */
public final class SynthesisReport {

  /** How the session ended, or that it has not yet. */
  public enum Outcome {
    /** Still running (a snapshot). */
    RUNNING,
    /** Every audio byte was delivered and the vendor signalled completion. */
    COMPLETED,
    /** Ended with an error. */
    FAILED,
    /** Cancelled by the application. */
    CANCELLED
  }

  private final String provider;
  private final AudioFormat format;
  private final Outcome outcome;
  private final Duration connectionSetup;
  private final boolean connectionReused;
  private final Duration timeToFirstAudio;
  private final List<Duration> firstAudioAfterFlush;
  private final Duration timeToLastAudio;
  private final Duration lastAudioAfterFinish;
  private final Duration audioDuration;
  private final long charactersSent;
  private final long bytesReceived;
  private final long chunks;
  private final long wordTimings;
  private final List<String> warnings;
  private final Map<String, String> attributes;

  /** Built by the session; applications read it. */
  public SynthesisReport(
      String provider,
      AudioFormat format,
      Outcome outcome,
      Duration connectionSetup,
      boolean connectionReused,
      Duration timeToFirstAudio,
      List<Duration> firstAudioAfterFlush,
      Duration timeToLastAudio,
      Duration lastAudioAfterFinish,
      Duration audioDuration,
      long charactersSent,
      long bytesReceived,
      long chunks,
      long wordTimings,
      List<String> warnings,
      Map<String, String> attributes) {
    this.provider = provider;
    this.format = format;
    this.outcome = outcome;
    this.connectionSetup = connectionSetup;
    this.connectionReused = connectionReused;
    this.timeToFirstAudio = timeToFirstAudio;
    this.firstAudioAfterFlush = List.copyOf(firstAudioAfterFlush);
    this.timeToLastAudio = timeToLastAudio;
    this.lastAudioAfterFinish = lastAudioAfterFinish;
    this.audioDuration = audioDuration;
    this.charactersSent = charactersSent;
    this.bytesReceived = bytesReceived;
    this.chunks = chunks;
    this.wordTimings = wordTimings;
    this.warnings = List.copyOf(warnings);
    this.attributes = Map.copyOf(attributes);
  }

  /** The provider's name. */
  public String provider() {
    return provider;
  }

  /** The format of the audio. */
  public AudioFormat format() {
    return format;
  }

  /** How the session ended. */
  public Outcome outcome() {
    return outcome;
  }

  /** Connection set-up time, once the provider reported its connection ready. */
  public Optional<Duration> connectionSetup() {
    return Optional.ofNullable(connectionSetup);
  }

  /** Whether the session ran on a pooled connection that an earlier session opened. */
  public boolean connectionReused() {
    return connectionReused;
  }

  /** Time to first audio, once audio was delivered. */
  public Optional<Duration> timeToFirstAudio() {
    return Optional.ofNullable(timeToFirstAudio);
  }

  /** Time to the first audio after each flush that followed new text, in order. */
  public List<Duration> firstAudioAfterFlush() {
    return firstAudioAfterFlush;
  }

  /** Time from the first text to the last audio delivered. */
  public Optional<Duration> timeToLastAudio() {
    return Optional.ofNullable(timeToLastAudio);
  }

  /** Time from {@code finish()} to the last audio delivered. */
  public Optional<Duration> lastAudioAfterFinish() {
    return Optional.ofNullable(lastAudioAfterFinish);
  }

  /** Playing time of the audio delivered (zero for compressed formats). */
  public Duration audioDuration() {
    return audioDuration;
  }

  /** Characters of text handed to the session. */
  public long charactersSent() {
    return charactersSent;
  }

  /** Audio bytes received from the provider. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** Audio chunks received. */
  public long chunks() {
    return chunks;
  }

  /** Word timings received. */
  public long wordTimings() {
    return wordTimings;
  }

  /** Options that were ignored and other things the application should know. */
  public List<String> warnings() {
    return warnings;
  }

  /** Provider facts such as the transport used ({@code transport=websocket}). */
  public Map<String, String> attributes() {
    return attributes;
  }

  private static String ms(Duration d) {
    return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.1fms", d.toNanos() / 1e6);
  }

  @Override
  public String toString() {
    return "SynthesisReport["
        + provider
        + " "
        + outcome
        + ", connect="
        + ms(connectionSetup)
        + (connectionReused ? " (reused)" : "")
        + ", firstAudio="
        + ms(timeToFirstAudio)
        + ", lastAudio="
        + ms(timeToLastAudio)
        + ", audio="
        + ms(audioDuration)
        + ", chars="
        + charactersSent
        + ", bytes="
        + bytesReceived
        + ", chunks="
        + chunks
        + (warnings.isEmpty() ? "" : ", warnings=" + warnings)
        + "]";
  }
}
