package dev.voicebridge;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration as data: layers of key/value sources, looked up in order. Keys are spelled as
 * properties ({@code voicebridge.fish.api-key}); in an environment layer the same key is read from
 * its environment spelling ({@code VOICEBRIDGE_FISH_API_KEY}): upper case, with {@code .} and
 * {@code -} turned into {@code _}. The two spellings are the same key.
 *
 * <p>{@link #standard()} is what most applications want: system properties, then the environment.
 * Immutable. {@link #toString()} masks the values of secret-looking keys.
 */
public final class VoicebridgeConfig {
  private final List<Layer> layers;

  private record Layer(String description, Map<String, String> values, boolean environment) {}

  private VoicebridgeConfig(List<Layer> layers) {
    this.layers = List.copyOf(layers);
  }

  /** {@return a configuration with no values at all} */
  public static VoicebridgeConfig empty() {
    return new VoicebridgeConfig(List.of());
  }

  /**
   * {@return a configuration of the values of a map keyed by property names}
   *
   * @param values the values, by property name
   */
  public static VoicebridgeConfig of(Map<String, String> values) {
    return new VoicebridgeConfig(List.of(new Layer("map", Map.copyOf(values), false)));
  }

  /**
   * {@return a configuration of the values in a properties file}
   *
   * @param file the properties file
   */
  public static VoicebridgeConfig fromProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigurationException(
          null, "cannot read configuration file " + file + ": " + e.getMessage());
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
    return new VoicebridgeConfig(List.of(new Layer("file " + file, m, false)));
  }

  /** {@return a configuration of the JVM's system properties, as they are now} */
  public static VoicebridgeConfig fromSystemProperties() {
    Map<String, String> m = new TreeMap<>();
    Properties p = System.getProperties();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return new VoicebridgeConfig(List.of(new Layer("system properties", m, false)));
  }

  /** {@return a configuration read from the process environment} */
  public static VoicebridgeConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * {@return a configuration of an environment given as a map (for tests and embedding)}
   *
   * @param env the variables, by name
   */
  public static VoicebridgeConfig fromEnvironment(Map<String, String> env) {
    return new VoicebridgeConfig(List.of(new Layer("environment", Map.copyOf(env), true)));
  }

  /** {@return a configuration of the system properties, then the environment} */
  public static VoicebridgeConfig standard() {
    return fromSystemProperties().withFallback(fromEnvironment());
  }

  /**
   * {@return this configuration, then {@code other} for keys this one lacks}
   *
   * @param other the configuration to fall back to
   */
  public VoicebridgeConfig withFallback(VoicebridgeConfig other) {
    List<Layer> all = new ArrayList<>(layers);
    all.addAll(other.layers);
    return new VoicebridgeConfig(all);
  }

  /**
   * {@code overrides} first, then this configuration.
   *
   * @param overrides the values that win, by property name
   * @return the combined configuration
   */
  public VoicebridgeConfig withOverrides(Map<String, String> overrides) {
    return of(overrides).withFallback(this);
  }

  /**
   * {@return the environment spelling of a property key: {@code voicebridge.fish.api-key} -> {@code
   * VOICEBRIDGE_FISH_API_KEY}}
   *
   * @param key a property key
   */
  public static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * {@return the value of {@code key}, from the first layer that has it; blank values count as
   * unset}
   *
   * @param key a property key
   */
  public Optional<String> get(String key) {
    Objects.requireNonNull(key, "key");
    String envName = environmentName(key);
    for (Layer l : layers) {
      String v = l.values.get(l.environment ? envName : key);
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return Optional.empty();
  }

  /**
   * {@return where the value of {@code key} comes from, for error messages (never the value
   * itself)}
   *
   * @param key a property key
   */
  public Optional<String> sourceOf(String key) {
    String envName = environmentName(key);
    for (Layer l : layers) {
      String v = l.values.get(l.environment ? envName : key);
      if (v != null && !v.isBlank()) {
        return Optional.of(l.environment ? "environment variable " + envName : l.description);
      }
    }
    return Optional.empty();
  }

  /**
   * {@return a variable read only from environment layers, by its exact name (e.g. {@code
   * FISH_API_KEY})}
   *
   * @param name the variable's name
   */
  public Optional<String> environmentVariable(String name) {
    for (Layer l : layers) {
      if (l.environment) {
        String v = l.values.get(name);
        if (v != null && !v.isBlank()) {
          return Optional.of(v.trim());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * {@return every key set under {@code prefix} (for example {@code voicebridge.fish.}), spelled as
   * its layer spells it: property keys as properties, environment keys as variable names} Used to
   * report unknown keys, which are usually typos.
   *
   * @param prefix the prefix
   */
  public java.util.Set<String> keysUnder(String prefix) {
    String envPrefix = environmentName(prefix);
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Layer l : layers) {
      for (String k : l.values.keySet()) {
        if (l.environment ? k.startsWith(envPrefix) : k.startsWith(prefix)) {
          out.add(k);
        }
      }
    }
    return out;
  }

  /**
   * {@return whether a key name looks secret, so that its value must never be shown}
   *
   * @param key a property key
   */
  public static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("key")
        || k.contains("secret")
        || k.contains("token")
        || k.contains("password")
        || k.contains("authorization");
  }

  /** The voicebridge keys that are set, values of secret-looking keys masked. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      Layer l = layers.get(i);
      l.values.forEach(
          (k, v) -> {
            String name = l.environment ? k.toLowerCase(Locale.ROOT) : k;
            if (name.startsWith("voicebridge")) {
              shown.put(k, looksSecret(k) ? "****" : v);
            }
          });
    }
    return "VoicebridgeConfig" + shown;
  }
}
