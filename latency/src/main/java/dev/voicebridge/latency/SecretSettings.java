package dev.voicebridge.latency;

import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Masks the values of secret settings before they reach a report. A setting is secret when a
 * provider on the class path declares a secret {@link ConfigKey} of that name (relative, {@code
 * api-key}, or full, {@code voicebridge.fish.api-key}), or when its name looks secret ({@link
 * VoicebridgeConfig#looksSecret(String)}).
 */
final class SecretSettings {
  /** What a secret value is shown as. */
  static final String MASK = "****";

  private SecretSettings() {}

  /** A copy of {@code settings} (in its order) with every secret value masked. */
  static Map<String, String> mask(Map<String, String> settings) {
    Set<String> secret = secretNames();
    Map<String, String> out = new LinkedHashMap<>();
    settings.forEach((k, v) -> out.put(k, isSecret(k, secret) ? MASK : v));
    return Collections.unmodifiableMap(out);
  }

  private static boolean isSecret(String key, Set<String> secret) {
    return VoicebridgeConfig.looksSecret(key)
        || secret.contains(key.trim().toLowerCase(Locale.ROOT));
  }

  /** The names, relative and full, of every secret key the providers on the class path declare. */
  private static Set<String> secretNames() {
    Set<String> names = new HashSet<>();
    for (StreamingSynthesizerProvider p : StreamingSynthesizers.discover().providers().values()) {
      for (ConfigKey<?> k : p.configKeys()) {
        if (k.isSecret()) {
          String name = k.name().toLowerCase(Locale.ROOT);
          names.add(name);
          names.add("voicebridge." + p.name().toLowerCase(Locale.ROOT) + "." + name);
        }
      }
    }
    return names;
  }
}
