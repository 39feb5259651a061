package dev.voicebridge.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code voicebridge.*} properties that are not a provider's own keys. A provider's keys
 * ({@code voicebridge.fish.api-key}, {@code voicebridge.smallest.voice}, ...) are the ones its
 * {@code ConfigKey}s declare, the same as without Spring; they are read through Spring's relaxed
 * binding ({@code application.yml}, {@code VOICEBRIDGE_FISH_APIKEY}, ...) and validated by the
 * provider.
 */
@ConfigurationProperties("voicebridge")
public class VoicebridgeProperties {
  /** Properties with their defaults, before Spring Boot binds {@code voicebridge.*} onto them. */
  public VoicebridgeProperties() {}

  /** Whether Voicebridge is auto-configured. */
  private boolean enabled = true;

  /**
   * The provider of the default synthesizer (fish, elevenlabs, smallest, local...); may be left out
   * when exactly one provider is on the class path.
   */
  private String provider;

  /** Class names of session listeners to create (comma separated). */
  private String listeners;

  /** Whether session listeners registered with ServiceLoader are used. */
  private boolean discoverListeners = true;

  /**
   * Named synthesizers, each its own bean (qualifier: its name), in addition to the default one.
   */
  private Map<String, Synthesizer> synthesizers = new LinkedHashMap<>();

  /** A fallback chain: when set, the default synthesizer is a FallbackSynthesizer over it. */
  private Fallback fallback = new Fallback();

  /** The health indicator of each synthesizer. */
  private Health health = new Health();

  /** The Micrometer instrumentation. */
  private Observation observation = new Observation();

  /** The phrase cache in front of every synthesizer (needs voicebridge-cache). */
  private Cache cache = new Cache();

  /** {@return whether Voicebridge is auto-configured} */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets whether Voicebridge is auto-configured.
   *
   * @param enabled whether enabled
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** {@return the provider of the default synthesizer} */
  public String getProvider() {
    return provider;
  }

  /**
   * Sets the provider of the default synthesizer.
   *
   * @param provider the provider's name
   */
  public void setProvider(String provider) {
    this.provider = provider;
  }

  /**
   * Class names of session listeners.
   *
   * @return the class names, comma-separated
   */
  public String getListeners() {
    return listeners;
  }

  /**
   * Sets the class names of session listeners.
   *
   * @param listeners the listeners
   */
  public void setListeners(String listeners) {
    this.listeners = listeners;
  }

  /** {@return whether ServiceLoader listeners are used} */
  public boolean isDiscoverListeners() {
    return discoverListeners;
  }

  /**
   * Sets whether ServiceLoader listeners are used.
   *
   * @param discoverListeners whether discover listeners
   */
  public void setDiscoverListeners(boolean discoverListeners) {
    this.discoverListeners = discoverListeners;
  }

  /**
   * Named synthesizers.
   *
   * @return the synthesizers, by bean name
   */
  public Map<String, Synthesizer> getSynthesizers() {
    return synthesizers;
  }

  /**
   * Sets the named synthesizers.
   *
   * @param synthesizers the synthesizers
   */
  public void setSynthesizers(Map<String, Synthesizer> synthesizers) {
    this.synthesizers = synthesizers;
  }

  /** {@return the fallback chain} */
  public Fallback getFallback() {
    return fallback;
  }

  /**
   * Sets the fallback chain.
   *
   * @param fallback the fallback
   */
  public void setFallback(Fallback fallback) {
    this.fallback = fallback;
  }

  /** {@return health settings} */
  public Health getHealth() {
    return health;
  }

  /**
   * Sets the health settings.
   *
   * @param health the health
   */
  public void setHealth(Health health) {
    this.health = health;
  }

  /** {@return micrometer settings} */
  public Observation getObservation() {
    return observation;
  }

  /**
   * Sets the Micrometer settings.
   *
   * @param observation the observation
   */
  public void setObservation(Observation observation) {
    this.observation = observation;
  }

  /** {@return the phrase cache's settings} */
  public Cache getCache() {
    return cache;
  }

  /**
   * Sets the phrase cache's settings.
   *
   * @param cache the cache settings
   */
  public void setCache(Cache cache) {
    this.cache = cache;
  }

  /** A named synthesizer. */
  public static class Synthesizer {
    /** A synthesizer's properties with their defaults. */
    public Synthesizer() {}

    /** Its provider (fish, elevenlabs, smallest, local...). */
    private String provider;

    /**
     * Keys that differ from the shared ones, spelled as without Spring minus the {@code
     * voicebridge.} prefix: {@code fish.model: s2-pro}.
     */
    private Map<String, String> properties = new LinkedHashMap<>();

    /** {@return its provider} */
    public String getProvider() {
      return provider;
    }

    /**
     * Sets its provider.
     *
     * @param provider the provider's name
     */
    public void setProvider(String provider) {
      this.provider = provider;
    }

    /** {@return its own keys} */
    public Map<String, String> getProperties() {
      return properties;
    }

    /**
     * Sets its own keys.
     *
     * @param properties the properties
     */
    public void setProperties(Map<String, String> properties) {
      this.properties = properties;
    }
  }

  /** A fallback chain over named synthesizers or providers. */
  public static class Fallback {
    /** Fallback properties with their defaults. */
    public Fallback() {}

    /** The chain, in order: names of synthesizers (or of providers). */
    private List<String> chain = new ArrayList<>();

    /** How long a synthesizer that failed is skipped by new sessions. */
    private Duration cooldown = Duration.ofSeconds(30);

    /** How long a session waits for the first audio before it moves on; unset: no limit. */
    private Duration firstAudioTimeout;

    /** Whether a session that failed after audio resumes on the next synthesizer. */
    private boolean resumeAfterAudio;

    /** {@return the chain} */
    public List<String> getChain() {
      return chain;
    }

    /**
     * Sets the chain.
     *
     * @param chain the chain
     */
    public void setChain(List<String> chain) {
      this.chain = chain;
    }

    /** {@return the cool-down} */
    public Duration getCooldown() {
      return cooldown;
    }

    /**
     * Sets the cool-down.
     *
     * @param cooldown the cooldown
     */
    public void setCooldown(Duration cooldown) {
      this.cooldown = cooldown;
    }

    /** {@return the first-audio timeout} */
    public Duration getFirstAudioTimeout() {
      return firstAudioTimeout;
    }

    /**
     * Sets the first-audio timeout.
     *
     * @param firstAudioTimeout the first audio timeout
     */
    public void setFirstAudioTimeout(Duration firstAudioTimeout) {
      this.firstAudioTimeout = firstAudioTimeout;
    }

    /** {@return whether to resume after audio} */
    public boolean isResumeAfterAudio() {
      return resumeAfterAudio;
    }

    /**
     * Sets whether to resume after audio.
     *
     * @param resumeAfterAudio whether resume after audio
     */
    public void setResumeAfterAudio(boolean resumeAfterAudio) {
      this.resumeAfterAudio = resumeAfterAudio;
    }
  }

  /** Health indicator settings. */
  public static class Health {
    /** Health-indicator properties with their defaults. */
    public Health() {}

    /**
     * Whether the health check also synthesizes a short text (a connectivity probe; it costs a
     * request to the vendor, so its result is cached for probe-ttl).
     */
    private boolean probe;

    /** How long a probe's result is reused. */
    private Duration probeTtl = Duration.ofMinutes(5);

    /** How long a probe may take. */
    private Duration probeTimeout = Duration.ofSeconds(10);

    /** The text a probe synthesizes. */
    private String probeText = "OK.";

    /** {@return whether to probe} */
    public boolean isProbe() {
      return probe;
    }

    /**
     * Sets whether to probe.
     *
     * @param probe whether probe
     */
    public void setProbe(boolean probe) {
      this.probe = probe;
    }

    /** {@return the probe's cache time} */
    public Duration getProbeTtl() {
      return probeTtl;
    }

    /**
     * Sets the probe's cache time.
     *
     * @param probeTtl the probe ttl
     */
    public void setProbeTtl(Duration probeTtl) {
      this.probeTtl = probeTtl;
    }

    /** {@return the probe's timeout} */
    public Duration getProbeTimeout() {
      return probeTimeout;
    }

    /**
     * Sets the probe's timeout.
     *
     * @param probeTimeout the probe timeout
     */
    public void setProbeTimeout(Duration probeTimeout) {
      this.probeTimeout = probeTimeout;
    }

    /** {@return the probe's text} */
    public String getProbeText() {
      return probeText;
    }

    /**
     * Sets the probe's text.
     *
     * @param probeText the probe text
     */
    public void setProbeText(String probeText) {
      this.probeText = probeText;
    }
  }

  /** Micrometer instrumentation settings. */
  public static class Observation {
    /** Observation properties with their defaults. */
    public Observation() {}

    /**
     * Whether sessions, and the phrase cache's statistics, are published to Micrometer (when it is
     * on the class path).
     */
    private boolean enabled = true;

    /** Whether meters and spans carry the voice as a tag (one time series per voice). */
    private boolean tagVoice;

    /** {@return whether sessions are published} */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether sessions are published.
     *
     * @param enabled whether enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** {@return whether to tag the voice} */
    public boolean isTagVoice() {
      return tagVoice;
    }

    /**
     * Sets whether to tag the voice.
     *
     * @param tagVoice whether tag voice
     */
    public void setTagVoice(boolean tagVoice) {
      this.tagVoice = tagVoice;
    }
  }

  /**
   * The phrase cache ({@code voicebridge-cache} on the class path): every synthesizer is wrapped in
   * a {@code CachingSynthesizer}, all sharing one {@code PhraseCache}.
   */
  public static class Cache {
    /** Cache properties with their defaults. */
    public Cache() {}

    /**
     * Whether every synthesizer keeps the phrases it speaks in a phrase cache (needs
     * voicebridge-cache on the class path).
     */
    private boolean enabled;

    /** The bound of the phrases held in memory: audio, text and word timings. */
    private DataSize maximumBytes = DataSize.ofMegabytes(32);

    /**
     * A directory where phrases are also written, so they survive a restart (created if needed);
     * unset: memory only.
     */
    private Path directory;

    /**
     * The bound of the directory's phrase files: past it, the phrases used least recently are
     * deleted.
     */
    private DataSize maximumDiskBytes = DataSize.ofMegabytes(256);

    /**
     * The longest text that is held back and looked up; a longer one goes to the vendor at once,
     * unrecorded.
     */
    private int maxPhraseChars = 1000;

    /**
     * Phrases spoken into the cache at start-up by the default synthesizer with its default
     * options; one that fails is logged (WARN) and does not stop the application.
     */
    private List<String> warm = new ArrayList<>();

    /** {@return whether the phrase cache is on} */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether the phrase cache is on.
     *
     * @param enabled whether enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** {@return the bound of the memory tier} */
    public DataSize getMaximumBytes() {
      return maximumBytes;
    }

    /**
     * Sets the bound of the memory tier.
     *
     * @param maximumBytes the bound
     */
    public void setMaximumBytes(DataSize maximumBytes) {
      this.maximumBytes = maximumBytes;
    }

    /** {@return the directory of the disk tier, or null for none} */
    public Path getDirectory() {
      return directory;
    }

    /**
     * Sets the directory of the disk tier.
     *
     * @param directory the directory, or null for none
     */
    public void setDirectory(Path directory) {
      this.directory = directory;
    }

    /** {@return the bound of the disk tier} */
    public DataSize getMaximumDiskBytes() {
      return maximumDiskBytes;
    }

    /**
     * Sets the bound of the disk tier.
     *
     * @param maximumDiskBytes the bound
     */
    public void setMaximumDiskBytes(DataSize maximumDiskBytes) {
      this.maximumDiskBytes = maximumDiskBytes;
    }

    /** {@return the longest text that is looked up, in characters} */
    public int getMaxPhraseChars() {
      return maxPhraseChars;
    }

    /**
     * Sets the longest text that is looked up.
     *
     * @param maxPhraseChars the characters
     */
    public void setMaxPhraseChars(int maxPhraseChars) {
      this.maxPhraseChars = maxPhraseChars;
    }

    /** {@return the phrases spoken into the cache at start-up} */
    public List<String> getWarm() {
      return warm;
    }

    /**
     * Sets the phrases spoken into the cache at start-up.
     *
     * @param warm the phrases
     */
    public void setWarm(List<String> warm) {
      this.warm = warm;
    }
  }
}
