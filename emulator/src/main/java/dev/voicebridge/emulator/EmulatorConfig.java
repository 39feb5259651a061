package dev.voicebridge.emulator;

import java.util.Objects;

/**
 * How an emulator runs: the API key it accepts, its latency profile, its voice, the seed of its
 * randomness, the audio per frame and the port. Immutable; build with {@link #builder()}.
 */
public final class EmulatorConfig {
  /** The host every emulator binds to: loopback only. */
  public static final String HOST = "127.0.0.1";

  private final String apiKey;
  private final LatencyProfile profile;
  private final Voice voice;
  private final long seed;
  private final int frameMillis;
  private final int port;
  private final AudioTap audioTap;

  private EmulatorConfig(Builder b) {
    this.apiKey = b.apiKey;
    this.profile = b.profile;
    this.voice = b.voice;
    this.seed = b.seed;
    this.frameMillis = b.frameMillis;
    this.port = b.port;
    this.audioTap = b.audioTap;
  }

  /**
   * {@return a builder with the defaults: key {@code test-key}, profile ZERO, tone voice, seed 42}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the defaults} */
  public static EmulatorConfig defaults() {
    return builder().build();
  }

  /** {@return a builder holding this configuration's values} */
  public Builder toBuilder() {
    return new Builder()
        .apiKey(apiKey)
        .profile(profile)
        .voice(voice)
        .seed(seed)
        .frameMillis(frameMillis)
        .port(port)
        .audioTap(audioTap);
  }

  /** {@return the API key the emulator accepts (others get the vendor's authentication error)} */
  public String apiKey() {
    return apiKey;
  }

  /** {@return the latency profile} */
  public LatencyProfile profile() {
    return profile;
  }

  /** {@return the voice} */
  public Voice voice() {
    return voice;
  }

  /** {@return the seed of the emulator's random numbers (jitter)} */
  public long seed() {
    return seed;
  }

  /** {@return the milliseconds of audio per audio frame the emulator sends (PCM-like formats)} */
  public int frameMillis() {
    return frameMillis;
  }

  /**
   * Always {@value #HOST}.
   *
   * @return the address every emulator binds to
   */
  public String host() {
    return HOST;
  }

  /** {@return the port to bind, 0 to let the OS choose} */
  public int port() {
    return port;
  }

  /**
   * {@return what observes the audio frames as they are written ({@link AudioTap#NONE} by default)}
   */
  public AudioTap audioTap() {
    return audioTap;
  }

  @Override
  public String toString() {
    return "EmulatorConfig[apiKey=***, profile="
        + profile
        + ", voice="
        + voice
        + ", seed="
        + seed
        + ", frameMillis="
        + frameMillis
        + ", port="
        + port
        + "]";
  }

  /** Builder of {@link EmulatorConfig}. */
  public static final class Builder {
    private String apiKey = "test-key";
    private LatencyProfile profile = LatencyProfile.ZERO;
    private Voice voice = Voice.tone();
    private long seed = 42;
    private int frameMillis = 100;
    private int port = 0;
    private AudioTap audioTap = AudioTap.NONE;

    private Builder() {}

    /**
     * The accepted API key.
     *
     * @param apiKey the key clients must send
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /**
     * The latency profile.
     *
     * @param profile the latency profile
     * @return this builder
     */
    public Builder profile(LatencyProfile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /**
     * The voice.
     *
     * @param voice the voice that produces the audio
     * @return this builder
     */
    public Builder voice(Voice voice) {
      this.voice = Objects.requireNonNull(voice, "voice");
      return this;
    }

    /**
     * The random seed.
     *
     * @param seed the seed of the emulator's random numbers (jitter)
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Milliseconds of audio per frame, 10..2000.
     *
     * @param frameMillis milliseconds of audio per frame
     * @return this builder
     */
    public Builder frameMillis(int frameMillis) {
      if (frameMillis < 10 || frameMillis > 2000) {
        throw new IllegalArgumentException("frameMillis must be in 10..2000: " + frameMillis);
      }
      this.frameMillis = frameMillis;
      return this;
    }

    /**
     * The port, 0..65535 (0: the OS chooses).
     *
     * @param port the port, or 0
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * What observes the audio frames as they are written (an instrument; see {@link AudioTap}).
     *
     * @param audioTap the observer, {@link AudioTap#NONE} for none
     * @return this builder
     */
    public Builder audioTap(AudioTap audioTap) {
      this.audioTap = Objects.requireNonNull(audioTap, "audioTap");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     */
    public EmulatorConfig build() {
      return new EmulatorConfig(this);
    }
  }
}
