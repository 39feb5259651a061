package dev.voicebridge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *       #lastAudioAfterFinish()}: from {@code finish()} until then;
 *   <li>{@link #timeToCompletion()}: from the first text until the completion was delivered to the
 *       application ({@code onComplete}, {@code completion()}); beside {@link #timeToLastAudio()}
 *       it shows how long a vendor kept the session open after its last audio.
 * </ul>
 *
 * <p>Sessions build reports; applications read them. {@link #builder(String, AudioFormat)} is for
 * tests and for tools that replay recorded sessions.
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
  private final Duration timeToCompletion;
  private final Duration audioDuration;
  private final long charactersSent;
  private final long bytesReceived;
  private final long chunks;
  private final long wordTimings;
  private final List<String> warnings;
  private final Map<String, String> attributes;

  private SynthesisReport(Builder b) {
    this.provider = b.provider;
    this.format = b.format;
    this.outcome = b.outcome;
    this.connectionSetup = b.connectionSetup;
    this.connectionReused = b.connectionReused;
    this.timeToFirstAudio = b.timeToFirstAudio;
    this.firstAudioAfterFlush = List.copyOf(b.firstAudioAfterFlush);
    this.timeToLastAudio = b.timeToLastAudio;
    this.lastAudioAfterFinish = b.lastAudioAfterFinish;
    this.timeToCompletion = b.timeToCompletion;
    this.audioDuration = b.audioDuration;
    this.charactersSent = b.charactersSent;
    this.bytesReceived = b.bytesReceived;
    this.chunks = b.chunks;
    this.wordTimings = b.wordTimings;
    this.warnings = List.copyOf(b.warnings);
    this.attributes = Map.copyOf(b.attributes);
  }

  /**
   * A builder of a report of a session of {@code provider} in {@code format}: outcome {@link
   * Outcome#RUNNING}, no timings, zero counts, until set.
   */
  public static Builder builder(String provider, AudioFormat format) {
    return new Builder(provider, format);
  }

  /** A builder holding this report's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(provider, format);
    b.outcome = outcome;
    b.connectionSetup = connectionSetup;
    b.connectionReused = connectionReused;
    b.timeToFirstAudio = timeToFirstAudio;
    b.firstAudioAfterFlush = firstAudioAfterFlush;
    b.timeToLastAudio = timeToLastAudio;
    b.lastAudioAfterFinish = lastAudioAfterFinish;
    b.timeToCompletion = timeToCompletion;
    b.audioDuration = audioDuration;
    b.charactersSent = charactersSent;
    b.bytesReceived = bytesReceived;
    b.chunks = chunks;
    b.wordTimings = wordTimings;
    b.warnings = warnings;
    b.attributes = attributes;
    return b;
  }

  /** Builds a {@link SynthesisReport}; a duration left unset (or set to null) reads as absent. */
  public static final class Builder {
    private final String provider;
    private final AudioFormat format;
    private Outcome outcome = Outcome.RUNNING;
    private Duration connectionSetup;
    private boolean connectionReused;
    private Duration timeToFirstAudio;
    private List<Duration> firstAudioAfterFlush = List.of();
    private Duration timeToLastAudio;
    private Duration lastAudioAfterFinish;
    private Duration timeToCompletion;
    private Duration audioDuration = Duration.ZERO;
    private long charactersSent;
    private long bytesReceived;
    private long chunks;
    private long wordTimings;
    private List<String> warnings = List.of();
    private Map<String, String> attributes = Map.of();

    private Builder(String provider, AudioFormat format) {
      this.provider = Objects.requireNonNull(provider, "provider");
      this.format = Objects.requireNonNull(format, "format");
    }

    /** How the session ended. */
    public Builder outcome(Outcome outcome) {
      this.outcome = Objects.requireNonNull(outcome, "outcome");
      return this;
    }

    /** Connection set-up time and whether a pooled connection was reused. */
    public Builder connection(Duration setup, boolean reused) {
      this.connectionSetup = nonNegative(setup, "connection set-up");
      this.connectionReused = reused;
      return this;
    }

    /** Time to first audio. */
    public Builder timeToFirstAudio(Duration d) {
      this.timeToFirstAudio = nonNegative(d, "time to first audio");
      return this;
    }

    /** Time to the first audio after each answered flush, in order. */
    public Builder firstAudioAfterFlush(List<Duration> latencies) {
      this.firstAudioAfterFlush = List.copyOf(latencies);
      return this;
    }

    /** Time from the first text to the last audio. */
    public Builder timeToLastAudio(Duration d) {
      this.timeToLastAudio = nonNegative(d, "time to last audio");
      return this;
    }

    /** Time from {@code finish()} to the last audio. */
    public Builder lastAudioAfterFinish(Duration d) {
      this.lastAudioAfterFinish = nonNegative(d, "last audio after finish");
      return this;
    }

    /** Time from the first text to the completion's delivery. */
    public Builder timeToCompletion(Duration d) {
      this.timeToCompletion = nonNegative(d, "time to completion");
      return this;
    }

    /** Playing time of the audio delivered. */
    public Builder audioDuration(Duration d) {
      this.audioDuration =
          Objects.requireNonNull(nonNegative(d, "audio duration"), "audio duration");
      return this;
    }

    /** Characters sent, audio bytes received, chunks received, word timings received. */
    public Builder counts(long charactersSent, long bytesReceived, long chunks, long wordTimings) {
      if (charactersSent < 0 || bytesReceived < 0 || chunks < 0 || wordTimings < 0) {
        throw new IllegalArgumentException("counts cannot be negative");
      }
      this.charactersSent = charactersSent;
      this.bytesReceived = bytesReceived;
      this.chunks = chunks;
      this.wordTimings = wordTimings;
      return this;
    }

    /** Options ignored and other things the application should know. */
    public Builder warnings(List<String> warnings) {
      this.warnings = List.copyOf(warnings);
      return this;
    }

    /** Provider facts such as {@code transport=websocket}. */
    public Builder attributes(Map<String, String> attributes) {
      this.attributes = Map.copyOf(attributes);
      return this;
    }

    /** The report. */
    public SynthesisReport build() {
      return new SynthesisReport(this);
    }

    private static Duration nonNegative(Duration d, String what) {
      if (d != null && d.isNegative()) {
        throw new IllegalArgumentException(what + " cannot be negative: " + d);
      }
      return d;
    }
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

  /**
   * Time from the first text until the session's completion was delivered to the application, for a
   * {@link Outcome#COMPLETED} session. The gap to {@link #timeToLastAudio()} is time the vendor
   * took to confirm the end after its last audio.
   */
  public Optional<Duration> timeToCompletion() {
    return Optional.ofNullable(timeToCompletion);
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
        + (timeToCompletion == null ? "" : ", completed=" + ms(timeToCompletion))
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
