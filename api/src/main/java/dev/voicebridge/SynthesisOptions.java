package dev.voicebridge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to synthesize with: the voice, the model, the output format, speed and language, plus typed
 * vendor options ({@code FishOptions.LATENCY}, {@code ElevenLabsOptions.AUTO_MODE}, ...).
 *
 * <p>Immutable; build with {@link #builder()}. A field left unset means "the provider's default".
 * Options that the chosen provider does not understand are never silently dropped: a provider
 * refuses what it cannot honour, and options of other providers are listed in {@link
 * SynthesisReport#warnings()}.
 */
public final class SynthesisOptions {
  private static final SynthesisOptions DEFAULTS = builder().build();

  private final String voice;
  private final String model;
  private final AudioFormat format;
  private final Double speed;
  private final String language;
  private final Map<SynthesisOption<?>, Object> vendorOptions;

  private SynthesisOptions(Builder b) {
    this.voice = b.voice;
    this.model = b.model;
    this.format = b.format;
    this.speed = b.speed;
    this.language = b.language;
    this.vendorOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.vendorOptions));
  }

  /** {@return every field at its provider default} */
  public static SynthesisOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder that starts from these options} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.voice = voice;
    b.model = model;
    b.format = format;
    b.speed = speed;
    b.language = language;
    b.vendorOptions.putAll(vendorOptions);
    return b;
  }

  /** {@return the vendor's voice id, if set} */
  public Optional<String> voice() {
    return Optional.ofNullable(voice);
  }

  /** {@return the vendor's model id, if set} */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** {@return the output format, if set} */
  public Optional<AudioFormat> format() {
    return Optional.ofNullable(format);
  }

  /** {@return the speaking rate (1.0 = normal), if set} */
  public Optional<Double> speed() {
    return Optional.ofNullable(speed);
  }

  /** {@return the language (ISO 639-1), if set} */
  public Optional<String> language() {
    return Optional.ofNullable(language);
  }

  /**
   * {@return a vendor option, if set}
   *
   * @param <T> the value type
   * @param key the option
   */
  public <T> Optional<T> get(SynthesisOption<T> key) {
    return Optional.ofNullable(key.type().cast(vendorOptions.get(key)));
  }

  /**
   * {@return a vendor option, or {@code fallback} when unset}
   *
   * @param <T> the value type
   * @param key the option
   * @param fallback the value when the option is not set
   */
  public <T> T get(SynthesisOption<T> key, T fallback) {
    return get(key).orElse(fallback);
  }

  /** {@return every vendor option that is set, in the order they were set} */
  public Map<SynthesisOption<?>, Object> vendorOptions() {
    return vendorOptions;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SynthesisOptions[");
    if (voice != null) {
      sb.append("voice=").append(voice).append(", ");
    }
    if (model != null) {
      sb.append("model=").append(model).append(", ");
    }
    if (format != null) {
      sb.append("format=").append(format).append(", ");
    }
    if (speed != null) {
      sb.append("speed=").append(speed).append(", ");
    }
    if (language != null) {
      sb.append("language=").append(language).append(", ");
    }
    vendorOptions.forEach((k, v) -> sb.append(k).append('=').append(v).append(", "));
    if (sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 2);
    }
    return sb.append(']').toString();
  }

  /** Builds {@link SynthesisOptions}. Setters validate what they can without a provider. */
  public static final class Builder {
    private String voice;
    private String model;
    private AudioFormat format;
    private Double speed;
    private String language;
    private final Map<SynthesisOption<?>, Object> vendorOptions = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The vendor's voice id (null = provider default).
     *
     * @param voice the voice id, or null
     * @return this builder
     */
    public Builder voice(String voice) {
      this.voice = voice;
      return this;
    }

    /**
     * The vendor's model id (null = provider default).
     *
     * @param model the model id, or null
     * @return this builder
     */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /**
     * The output format (null = provider default).
     *
     * @param format the format, or null
     * @return this builder
     */
    public Builder format(AudioFormat format) {
      this.format = format;
      return this;
    }

    /**
     * The speaking rate, 1.0 = normal (null = provider default). Must be positive.
     *
     * @param speed the speaking rate, or null
     * @return this builder
     */
    public Builder speed(Double speed) {
      if (speed != null && !(speed > 0)) {
        throw new IllegalArgumentException("speed must be positive, was " + speed);
      }
      this.speed = speed;
      return this;
    }

    /**
     * The language as ISO 639-1 (null = provider default).
     *
     * @param language the language code, or null
     * @return this builder
     */
    public Builder language(String language) {
      this.language = language;
      return this;
    }

    /**
     * Sets a vendor option; the value is checked against the key's range now.
     *
     * @param <T> the value type
     * @param key the option
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException naming the key and the range when the value is out of range
     */
    public <T> Builder set(SynthesisOption<T> key, T value) {
      Objects.requireNonNull(key, "key");
      String problem = key.problem(value);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      vendorOptions.put(key, value);
      return this;
    }

    /**
     * Removes a vendor option.
     *
     * @param key the option
     * @return this builder
     */
    public Builder unset(SynthesisOption<?> key) {
      vendorOptions.remove(key);
      return this;
    }

    /** {@return the options} */
    public SynthesisOptions build() {
      return new SynthesisOptions(this);
    }
  }
}
