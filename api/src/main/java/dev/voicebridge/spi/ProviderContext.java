package dev.voicebridge.spi;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.VoicebridgeConfig;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a provider gets when asked to create a synthesizer: its name, the configuration, a clock and
 * optionally a shared {@link HttpClient} owned by the application.
 */
public final class ProviderContext {
  private final String providerName;
  private final VoicebridgeConfig config;
  private final Ticker ticker;
  private final HttpClient httpClient;

  private ProviderContext(
      String providerName, VoicebridgeConfig config, Ticker ticker, HttpClient httpClient) {
    this.providerName = Objects.requireNonNull(providerName, "providerName");
    this.config = Objects.requireNonNull(config, "config");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.httpClient = httpClient;
  }

  /**
   * {@return a context with the system clock and no shared HTTP client}
   *
   * @param providerName the provider's name, the middle of its keys' prefix
   * @param config the configuration
   */
  public static ProviderContext of(String providerName, VoicebridgeConfig config) {
    return new ProviderContext(providerName, config, Ticker.system(), null);
  }

  /**
   * {@return a copy with another clock}
   *
   * @param t the clock
   */
  public ProviderContext withTicker(Ticker t) {
    return new ProviderContext(providerName, config, t, httpClient);
  }

  /**
   * {@return a copy with a shared HTTP client; the application keeps ownership of it}
   *
   * @param client the client the synthesizer uses instead of its own
   */
  public ProviderContext withHttpClient(HttpClient client) {
    return new ProviderContext(providerName, config, ticker, client);
  }

  /** {@return the provider's name, as selected} */
  public String providerName() {
    return providerName;
  }

  /** {@return the whole configuration, not only this provider's keys} */
  public VoicebridgeConfig config() {
    return config;
  }

  /** {@return the clock sessions measure with} */
  public Ticker ticker() {
    return ticker;
  }

  /** {@return a shared HTTP client, when the application supplied one} */
  public Optional<HttpClient> httpClient() {
    return Optional.ofNullable(httpClient);
  }

  /** {@return the prefix of this provider's keys: {@code voicebridge.<name>.}} */
  public String prefix() {
    return "voicebridge." + providerName + ".";
  }

  /**
   * Reads, parses and checks every key at once.
   *
   * @param keys the provider's keys
   * @return the values, by key
   * @throws ConfigurationException listing every problem (missing required keys, unparsable or
   *     out-of-range values, unknown keys under the provider's prefix), never a secret's value
   */
  public ProviderConfig resolve(Collection<? extends ConfigKey<?>> keys) {
    return resolve(keys, c -> List.of());
  }

  /**
   * Reads, parses and checks every key, then runs {@code crossCheck} on the result (for rules that
   * involve several keys, such as a base URL and {@code allow-insecure}), and reports every problem
   * of both at once. {@code crossCheck} sees the defaults of keys that did not parse.
   *
   * @param keys every key of the provider
   * @param crossCheck the problems of keys taken together, or an empty list
   * @return the resolved configuration
   * @throws ConfigurationException listing every problem, never a secret's value
   */
  public ProviderConfig resolve(
      Collection<? extends ConfigKey<?>> keys,
      java.util.function.Function<ProviderConfig, List<String>> crossCheck) {
    String prefix = prefix();
    List<String> problems = new ArrayList<>();
    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    Set<String> known = new HashSet<>();
    for (ConfigKey<?> key : keys) {
      String full = prefix + key.name();
      known.add(full);
      known.add(VoicebridgeConfig.environmentName(full));
      Optional<String> raw = config.get(full);
      String source = full;
      if (raw.isEmpty()) {
        for (String env : key.environmentFallbacks()) {
          raw = config.environmentVariable(env);
          if (raw.isPresent()) {
            source = "environment variable " + env;
            break;
          }
        }
      } else {
        source = full + config.sourceOf(full).map(s -> " (from " + s + ")").orElse("");
      }
      if (raw.isEmpty()) {
        if (key.isRequired() && key.defaultValue() == null) {
          String alt =
              key.environmentFallbacks().isEmpty()
                  ? ""
                  : " or " + String.join(" or ", key.environmentFallbacks());
          problems.add(
              full
                  + " is required: "
                  + key.description()
                  + " (set it, or "
                  + VoicebridgeConfig.environmentName(full)
                  + alt
                  + ")");
        }
        continue;
      }
      try {
        values.put(key, key.parse(raw.get()));
      } catch (IllegalArgumentException e) {
        problems.add(source + " " + e.getMessage() + " (" + key.typeName() + ")");
      }
    }
    for (String k : config.keysUnder(prefix)) {
      if (!known.contains(k)) {
        problems.add(k + " is not a key of provider '" + providerName + "'");
      }
    }
    ProviderConfig resolved = new ProviderConfig(prefix, values);
    problems.addAll(crossCheck.apply(resolved));
    if (!problems.isEmpty()) {
      throw new ConfigurationException(providerName, problems);
    }
    return resolved;
  }
}
