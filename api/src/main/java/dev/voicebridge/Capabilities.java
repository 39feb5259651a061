package dev.voicebridge;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a synthesizer can do, declared up front so applications (and the conformance suite) can
 * choose instead of finding out by failure.
 */
public final class Capabilities {
  private final boolean streamingInput;
  private final boolean wordTimings;
  private final boolean multiplexing;
  private final boolean network;
  private final boolean voiceCatalog;
  private final Set<AudioFormat> exampleFormats;
  private final Predicate<AudioFormat> formats;
  private final AudioFormat defaultFormat;
  private final Set<String> transports;

  private Capabilities(Builder b) {
    this.streamingInput = b.streamingInput;
    this.wordTimings = b.wordTimings;
    this.multiplexing = b.multiplexing;
    this.network = b.network;
    this.voiceCatalog = b.voiceCatalog;
    this.exampleFormats = Collections.unmodifiableSet(new LinkedHashSet<>(b.exampleFormats));
    this.formats = b.formats != null ? b.formats : this.exampleFormats::contains;
    this.defaultFormat = Objects.requireNonNull(b.defaultFormat, "defaultFormat");
    this.transports = Collections.unmodifiableSet(new LinkedHashSet<>(b.transports));
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return whether text can be streamed in while audio streams out (the vendor buffers text
   * itself)}
   */
  public boolean streamingInput() {
    return streamingInput;
  }

  /** {@return whether sessions deliver {@link WordTiming} events reported by the vendor} */
  public boolean wordTimings() {
    return wordTimings;
  }

  /** {@return whether several sessions share one connection} */
  public boolean multiplexing() {
    return multiplexing;
  }

  /** {@return whether the provider talks to a server (so network faults apply to it)} */
  public boolean network() {
    return network;
  }

  /**
   * Whether {@link StreamingSynthesizer#voices(VoiceQuery)} lists the vendor's voices (false: it
   * throws {@link UnsupportedCapabilityException}).
   *
   * @return whether {@link StreamingSynthesizer#voices(VoiceQuery)} lists the vendor's voices
   *     (false: it throws {@link UnsupportedCapabilityException})
   */
  public boolean voiceCatalog() {
    return voiceCatalog;
  }

  /**
   * {@return whether {@code format} can be requested}
   *
   * @param format the format
   */
  public boolean supports(AudioFormat format) {
    return formats.test(format);
  }

  /** {@return a representative list of supported formats, for documentation and listings} */
  public Set<AudioFormat> formats() {
    return exampleFormats;
  }

  /** {@return the format used when options do not name one} */
  public AudioFormat defaultFormat() {
    return defaultFormat;
  }

  /** {@return the transports in use, for example {@code websocket} or {@code http}} */
  public Set<String> transports() {
    return transports;
  }

  @Override
  public String toString() {
    return "Capabilities[streamingInput="
        + streamingInput
        + ", wordTimings="
        + wordTimings
        + ", multiplexing="
        + multiplexing
        + ", network="
        + network
        + ", voiceCatalog="
        + voiceCatalog
        + ", formats="
        + exampleFormats
        + ", transports="
        + transports
        + "]";
  }

  /** Builds {@link Capabilities}. */
  public static final class Builder {
    private boolean streamingInput;
    private boolean wordTimings;
    private boolean multiplexing;
    private boolean network;
    private boolean voiceCatalog;
    private final Set<AudioFormat> exampleFormats = new LinkedHashSet<>();
    private Predicate<AudioFormat> formats;
    private AudioFormat defaultFormat;
    private final Set<String> transports = new LinkedHashSet<>();

    private Builder() {}

    /**
     * See {@link Capabilities#streamingInput()}.
     *
     * @param v whether text can be streamed in while audio streams out
     * @return this builder
     */
    public Builder streamingInput(boolean v) {
      streamingInput = v;
      return this;
    }

    /**
     * See {@link Capabilities#wordTimings()}.
     *
     * @param v whether sessions deliver word timings
     * @return this builder
     */
    public Builder wordTimings(boolean v) {
      wordTimings = v;
      return this;
    }

    /**
     * See {@link Capabilities#multiplexing()}.
     *
     * @param v whether several sessions share one connection
     * @return this builder
     */
    public Builder multiplexing(boolean v) {
      multiplexing = v;
      return this;
    }

    /**
     * See {@link Capabilities#network()}.
     *
     * @param v whether the provider talks to a server
     * @return this builder
     */
    public Builder network(boolean v) {
      network = v;
      return this;
    }

    /**
     * See {@link Capabilities#voiceCatalog()}.
     *
     * @param v whether the provider lists the vendor's voices
     * @return this builder
     */
    public Builder voiceCatalog(boolean v) {
      voiceCatalog = v;
      return this;
    }

    /**
     * /** Adds formats to the listed ones (and to the supported ones unless a predicate is set).
     *
     * @param fs the formats
     * @return this builder
     */
    public Builder formats(AudioFormat... fs) {
      exampleFormats.addAll(java.util.Arrays.asList(fs));
      return this;
    }

    /**
     * The full rule for supported formats, when it is larger than the listed ones.
     *
     * @param rule whether a format can be requested
     * @return this builder
     */
    public Builder supports(Predicate<AudioFormat> rule) {
      formats = rule;
      return this;
    }

    /**
     * See {@link Capabilities#defaultFormat()}.
     *
     * @param f the format used when options do not name one
     * @return this builder
     */
    public Builder defaultFormat(AudioFormat f) {
      defaultFormat = f;
      return this;
    }

    /**
     * See {@link Capabilities#transports()}.
     *
     * @param ts the transports, for example {@code websocket} and {@code http}
     * @return this builder
     */
    public Builder transports(String... ts) {
      transports.addAll(java.util.Arrays.asList(ts));
      return this;
    }

    /** {@return the capabilities} */
    public Capabilities build() {
      return new Capabilities(this);
    }
  }
}
