package dev.voicebridge;

import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionListeners;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Finds providers with {@link ServiceLoader} and creates the one configuration selects.
 *
 * <p>Selection by {@code voicebridge.provider} (or {@code VOICEBRIDGE_PROVIDER}): the named
 * provider; if none is named and exactly one is on the class path, that one; several and none
 * named, an error listing them; none at all, an error naming the artifacts to add. Never "the first
 * found". Discovery is deterministic and side-effect free: a provider that fails to load is
 * reported and the others are still found. Only the selected provider's {@code create} runs.
 *
 * <p>Every synthesizer created here is observed by the session listeners that configuration names
 * ({@code voicebridge.listeners}) and those registered with {@link ServiceLoader} (see {@link
 * SessionListeners#fromConfig}).
 */
public final class StreamingSynthesizers {
  /** The configuration key that selects a provider. */
  public static final String PROVIDER_KEY = "voicebridge.provider";

  private static final Map<String, String> KNOWN_ARTIFACTS =
      Map.of(
          "local", "dev.voicebridge:voicebridge-provider-local",
          "fish", "dev.voicebridge:voicebridge-provider-fish",
          "elevenlabs", "dev.voicebridge:voicebridge-provider-elevenlabs",
          "smallest", "dev.voicebridge:voicebridge-provider-smallest");

  private StreamingSynthesizers() {}

  /**
   * What discovery found: providers by name, and the problems of those that failed to load.
   *
   * @param providers the providers that loaded, by name
   * @param problems why the others failed to load, one sentence each
   */
  public record Discovery(
      Map<String, StreamingSynthesizerProvider> providers, List<String> problems) {
    /**
     * Compact constructor: copies.
     *
     * @param providers the providers that loaded, by name
     * @param problems why the others failed to load, one sentence each
     */
    public Discovery {
      providers = java.util.Collections.unmodifiableMap(new TreeMap<>(providers));
      problems = List.copyOf(problems);
    }
  }

  /**
   * Discovers providers with the context class loader (or this class's loader).
   *
   * @return the providers found and the problems of those that failed to load
   */
  public static Discovery discover() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return discover(cl != null ? cl : StreamingSynthesizers.class.getClassLoader());
  }

  /**
   * Discovers providers visible to {@code loader}.
   *
   * @param loader the class loader to search
   * @return the providers found and the problems of those that failed to load
   */
  public static Discovery discover(ClassLoader loader) {
    return discover(ServiceLoader.load(StreamingSynthesizerProvider.class, loader).iterator());
  }

  static Discovery discover(Iterator<StreamingSynthesizerProvider> it) {
    Map<String, StreamingSynthesizerProvider> found = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (int guard = 0; guard < 10_000; guard++) {
      StreamingSynthesizerProvider p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add("a provider failed to load: " + e.getMessage());
        continue;
      }
      String name;
      try {
        name = p.name();
      } catch (RuntimeException e) {
        problems.add(p.getClass().getName() + ".name() failed: " + e);
        continue;
      }
      StreamingSynthesizerProvider previous = found.putIfAbsent(name, p);
      if (previous != null && previous.getClass() != p.getClass()) {
        problems.add(
            "two providers are named '"
                + name
                + "': "
                + previous.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
    }
    return new Discovery(found, problems);
  }

  /** {@return the providers on the class path, by name} */
  public static Map<String, StreamingSynthesizerProvider> providers() {
    return discover().providers();
  }

  /**
   * Creates the provider selected by {@link VoicebridgeConfig#standard()}.
   *
   * @return the synthesizer; the caller closes it
   * @throws ConfigurationException if no provider is selected or its configuration is invalid
   */
  public static StreamingSynthesizer fromConfig() {
    return fromConfig(VoicebridgeConfig.standard());
  }

  /**
   * Creates the provider selected by {@code config} among those on the class path.
   *
   * @param config the configuration
   * @return the synthesizer; the caller closes it
   * @throws ConfigurationException if no provider is selected or its configuration is invalid
   */
  public static StreamingSynthesizer fromConfig(VoicebridgeConfig config) {
    return fromConfig(config, discover(), UnaryOperator.identity());
  }

  /**
   * Creates the provider selected by {@code config} among {@code extra} (which win over discovered
   * ones of the same name) and those on the class path.
   *
   * @param config the configuration
   * @param extra providers added in code
   * @return the synthesizer; the caller closes it
   * @throws ConfigurationException if no provider is selected or its configuration is invalid
   */
  public static StreamingSynthesizer fromConfig(
      VoicebridgeConfig config, Collection<? extends StreamingSynthesizerProvider> extra) {
    Discovery d = discover();
    Map<String, StreamingSynthesizerProvider> all = new LinkedHashMap<>(d.providers());
    extra.forEach(p -> all.put(p.name(), p));
    return fromConfig(config, new Discovery(all, d.problems()), UnaryOperator.identity());
  }

  /**
   * Creates the provider selected by {@code config} among those of {@code discovery}, letting
   * {@code contextCustomizer} add a clock or a shared HTTP client.
   *
   * @param config the configuration
   * @param discovery the providers to choose from
   * @param contextCustomizer adapts the provider's context (for example {@code c ->
   *     c.withHttpClient(client)})
   * @return the synthesizer; the caller closes it
   * @throws ConfigurationException if no provider is selected or its configuration is invalid
   */
  public static StreamingSynthesizer fromConfig(
      VoicebridgeConfig config,
      Discovery discovery,
      UnaryOperator<ProviderContext> contextCustomizer) {
    return create(select(config, discovery), config, discovery, contextCustomizer);
  }

  /**
   * {@return the name of the provider {@code config} selects among {@code discovery}'s, or an
   * error}
   *
   * @param config the configuration
   * @param discovery the providers to choose from
   */
  public static String select(VoicebridgeConfig config, Discovery discovery) {
    Objects.requireNonNull(config, "config");
    Map<String, StreamingSynthesizerProvider> providers = discovery.providers();
    String named = config.get(PROVIDER_KEY).orElse(null);
    if (named != null) {
      return named.trim();
    }
    if (providers.size() == 1) {
      return providers.keySet().iterator().next();
    }
    if (providers.isEmpty()) {
      throw new ConfigurationException(
          null,
          "no Voicebridge provider is on the class path; add one of "
              + new TreeMap<>(KNOWN_ARTIFACTS).values()
              + problemsSuffix(discovery));
    }
    throw new ConfigurationException(
        null,
        "several providers are on the class path "
            + providers.keySet()
            + "; choose one with "
            + PROVIDER_KEY
            + "=<name> (or VOICEBRIDGE_PROVIDER)");
  }

  /**
   * Creates the provider named {@code name}, configured by {@code config}.
   *
   * @param name the provider's name
   * @param config the configuration
   * @return the synthesizer; the caller closes it
   * @throws ConfigurationException if there is no such provider or its configuration is invalid
   */
  public static StreamingSynthesizer create(String name, VoicebridgeConfig config) {
    return create(name, config, discover(), UnaryOperator.identity());
  }

  /**
   * Creates the provider named {@code name} among those of {@code discovery}.
   *
   * @param name the provider's name
   * @param config the configuration
   * @param discovery the providers to choose from
   * @param contextCustomizer adapts the provider's context (for example {@code c ->
   *     c.withHttpClient(client)})
   * @return the synthesizer; the caller closes it
   * @throws ConfigurationException if there is no such provider or its configuration is invalid
   */
  public static StreamingSynthesizer create(
      String name,
      VoicebridgeConfig config,
      Discovery discovery,
      UnaryOperator<ProviderContext> contextCustomizer) {
    Objects.requireNonNull(name, "name");
    StreamingSynthesizerProvider p = discovery.providers().get(name);
    if (p == null) {
      String hint = KNOWN_ARTIFACTS.get(name);
      throw new ConfigurationException(
          null,
          "unknown provider '"
              + name
              + "'; known providers: "
              + discovery.providers().keySet()
              + (hint != null ? "; to use '" + name + "', add " + hint : "")
              + problemsSuffix(discovery));
    }
    List<SessionListener> listeners = SessionListeners.fromConfig(config, loader(p));
    return SessionListeners.observe(
        p.create(contextCustomizer.apply(ProviderContext.of(name, config))), listeners);
  }

  private static ClassLoader loader(StreamingSynthesizerProvider p) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl != null) {
      return cl;
    }
    cl = p.getClass().getClassLoader();
    return cl != null ? cl : StreamingSynthesizers.class.getClassLoader();
  }

  private static String problemsSuffix(Discovery d) {
    return d.problems().isEmpty() ? "" : " (discovery problems: " + d.problems() + ")";
  }
}
