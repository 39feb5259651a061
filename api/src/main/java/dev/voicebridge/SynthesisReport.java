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

  /**
   * Built by the session; applications read it.
   *
   * @param provider the provider's name
   * @param format the format of the audio
   * @param outcome how the session ended
   * @param connectionSetup connection set-up time, or null
   * @param connectionReused whether the session ran on a pooled connection
   * @param timeToFirstAudio time to first audio, or null
   * @param firstAudioAfterFlush time to the first audio after each flush that followed new text
   * @param timeToLastAudio time from the first text to the last audio, or null
   * @param lastAudioAfterFinish time from {@code finish()} to the last audio, or null
   * @param audioDuration playing time of the audio delivered
   * @param charactersSent characters of text handed to the session
   * @param bytesReceived audio bytes received
   * @param chunks audio chunks received
   * @param wordTimings word timings received
   * @param warnings options that were ignored and other things the application should know
   * @param attributes provider facts such as the transport used
   */
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

  /** {@return the provider's name} */
  public String provider() {
    return provider;
  }

  /** {@return the format of the audio} */
  public AudioFormat format() {
    return format;
  }

  /** {@return how the session ended} */
  public Outcome outcome() {
    return outcome;
  }

  /** {@return the connection set-up time, once the provider reported its connection ready} */
  public Optional<Duration> connectionSetup() {
    return Optional.ofNullable(connectionSetup);
  }

  /** {@return whether the session ran on a pooled connection that an earlier session opened} */
  public boolean connectionReused() {
    return connectionReused;
  }

  /** {@return the time to first audio, once audio was delivered} */
  public Optional<Duration> timeToFirstAudio() {
    return Optional.ofNullable(timeToFirstAudio);
  }

  /** {@return the time to the first audio after each flush that followed new text, in order} */
  public List<Duration> firstAudioAfterFlush() {
    return firstAudioAfterFlush;
  }

  /** {@return the time from the first text to the last audio delivered} */
  public Optional<Duration> timeToLastAudio() {
    return Optional.ofNullable(timeToLastAudio);
  }

  /** {@return the time from {@code finish()} to the last audio delivered} */
  public Optional<Duration> lastAudioAfterFinish() {
    return Optional.ofNullable(lastAudioAfterFinish);
  }

  /** {@return the playing time of the audio delivered (zero for compressed formats)} */
  public Duration audioDuration() {
    return audioDuration;
  }

  /** {@return the number of characters of text handed to the session} */
  public long charactersSent() {
    return charactersSent;
  }

  /** {@return the number of audio bytes received from the provider} */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** {@return the number of audio chunks received} */
  public long chunks() {
    return chunks;
  }

  /** {@return the number of word timings received} */
  public long wordTimings() {
    return wordTimings;
  }

  /** {@return the options that were ignored and other things the application should know} */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * {@return facts the provider reported, such as the transport used ({@code transport=websocket})}
   */
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
