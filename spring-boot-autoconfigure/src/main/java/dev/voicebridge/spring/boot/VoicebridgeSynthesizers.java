package dev.voicebridge.spring.boot;

import dev.voicebridge.Capabilities;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.fallback.FallbackSynthesizer;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionListeners;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Every synthesizer the properties describe, by name: {@value #DEFAULT} (selected by {@code
 * voicebridge.provider}, or the fallback chain when {@code voicebridge.fallback.chain} is set), and
 * one per {@code voicebridge.synthesizers.<name>}. Created at start-up, so a configuration error
 * stops the application with every problem listed; closed when the application context closes (each
 * synthesizer exactly once).
 */
public final class VoicebridgeSynthesizers implements AutoCloseable {
  /** The name of the default synthesizer. */
  public static final String DEFAULT = "default";

  private final Map<String, StreamingSynthesizer> byName;
  private final List<StreamingSynthesizer> owned;

  private VoicebridgeSynthesizers(
      Map<String, StreamingSynthesizer> byName, List<StreamingSynthesizer> owned) {
    this.byName = Collections.unmodifiableMap(byName);
    this.owned = List.copyOf(owned);
  }

  /**
   * Creates every synthesizer.
   *
   * @param base the configuration read from the environment
   * @param properties the {@code voicebridge.*} properties
   * @param discovery the providers on the class path
   * @param listeners listeners of every session (Micrometer, application beans), in addition to
   *     those configuration names
   * @param wrapper applied to each provider's synthesizer, with its name, before it is observed
   *     (the phrase cache, so that hits are observed too); {@link SynthesizerWrapper#NONE} for
   *     none. Not applied to a fallback chain, whose members have it.
   * @throws ConfigurationException listing the problems
   */
  static VoicebridgeSynthesizers create(
      VoicebridgeConfig base,
      VoicebridgeProperties properties,
      StreamingSynthesizers.Discovery discovery,
      List<SessionListener> listeners,
      SynthesizerWrapper wrapper) {
    Map<String, StreamingSynthesizer> byName = new LinkedHashMap<>();
    List<StreamingSynthesizer> owned = new ArrayList<>();
    BiFunction<String, StreamingSynthesizer, StreamingSynthesizer> observed =
        (name, vendor) -> SessionListeners.observe(wrapper.wrap(name, vendor), listeners);
    try {
      for (Map.Entry<String, VoicebridgeProperties.Synthesizer> e :
          properties.getSynthesizers().entrySet()) {
        String name = e.getKey();
        VoicebridgeProperties.Synthesizer s = e.getValue();
        if (s.getProvider() == null || s.getProvider().isBlank()) {
          throw new ConfigurationException(
              null,
              "voicebridge.synthesizers." + name + ".provider is required (fish, elevenlabs, ...)");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        s.getProperties().forEach((k, v) -> overrides.put("voicebridge." + k, v));
        StreamingSynthesizer synth =
            observed.apply(
                name,
                StreamingSynthesizers.create(
                    s.getProvider().trim(),
                    base.withOverrides(overrides),
                    discovery,
                    UnaryOperator.identity()));
        owned.add(synth);
        byName.put(name, synth);
      }
      VoicebridgeProperties.Fallback fb = properties.getFallback();
      StreamingSynthesizer primary;
      if (!fb.getChain().isEmpty()) {
        FallbackSynthesizer.Builder chain =
            FallbackSynthesizer.builder().cooldown(fb.getCooldown());
        if (fb.getFirstAudioTimeout() != null) {
          chain.firstAudioTimeout(fb.getFirstAudioTimeout());
        }
        chain.resumeAfterAudio(fb.isResumeAfterAudio());
        for (String member : fb.getChain()) {
          StreamingSynthesizer m = byName.get(member.trim());
          if (m == null) {
            // a provider's name: its own synthesizer, with the shared keys
            m =
                observed.apply(
                    member.trim(),
                    StreamingSynthesizers.create(
                        member.trim(), base, discovery, UnaryOperator.identity()));
            owned.add(m);
          }
          chain.add(new NotOwned(m));
        }
        primary = SessionListeners.observe(chain.build(), listeners);
        owned.add(0, primary); // closed first: cancels its sessions, leaves members to the loop
      } else if (base.get(StreamingSynthesizers.PROVIDER_KEY).isEmpty() && !byName.isEmpty()) {
        primary = byName.values().iterator().next();
      } else {
        primary =
            observed.apply(
                DEFAULT,
                StreamingSynthesizers.fromConfig(base, discovery, UnaryOperator.identity()));
        owned.add(primary);
      }
      Map<String, StreamingSynthesizer> all = new LinkedHashMap<>();
      all.put(DEFAULT, primary);
      all.putAll(byName);
      return new VoicebridgeSynthesizers(all, owned);
    } catch (RuntimeException e) {
      for (StreamingSynthesizer s : owned) {
        try {
          s.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** {@return the default synthesizer} */
  public StreamingSynthesizer primary() {
    return byName.get(DEFAULT);
  }

  /**
   * {@return the synthesizer named {@code name} ({@value #DEFAULT} or a key of {@code
   * voicebridge.synthesizers})}
   *
   * @param name the name
   * @throws NoSuchElementException for an unknown name, listing the known ones
   */
  public StreamingSynthesizer get(String name) {
    StreamingSynthesizer s = byName.get(name);
    if (s == null) {
      throw new NoSuchElementException(
          "no synthesizer named '" + name + "'; known: " + byName.keySet());
    }
    return s;
  }

  /** {@return every synthesizer by name, the default one first} */
  public Map<String, StreamingSynthesizer> all() {
    return byName;
  }

  /** Closes every synthesizer, each once. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (StreamingSynthesizer s : owned) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A member of a fallback chain that the chain must not close: the registry owns it. */
  private static final class NotOwned implements StreamingSynthesizer {
    private final StreamingSynthesizer delegate;

    NotOwned(StreamingSynthesizer delegate) {
      this.delegate = delegate;
    }

    @Override
    public String provider() {
      return delegate.provider();
    }

    @Override
    public Capabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public SynthesisSession open(SynthesisOptions options) {
      return delegate.open(options);
    }

    @Override
    public CompletionStage<VoicePage> voices(VoiceQuery query) {
      return delegate.voices(query);
    }

    @Override
    public CompletionStage<Void> prewarm(SynthesisOptions options) {
      return delegate.prewarm(options);
    }

    @Override
    public void close() {
      // owned by VoicebridgeSynthesizers
    }
  }
}
