package dev.voicebridge.spring.boot;

import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.observe.SessionListeners;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Reads the same keys as {@link VoicebridgeConfig} does, from Spring's environment with relaxed
 * binding: each provider's {@link ConfigKey}s ({@code voicebridge.<provider>.<key>}, also spelled
 * {@code apiKey} in YAML or {@code VOICEBRIDGE_FISH_APIKEY} in the environment), plus keys under a
 * provider's prefix that are none of its keys (typos), which the provider then reports. The process
 * environment stays a fallback layer, so the vendors' own variables ({@code FISH_API_KEY}) are
 * honoured as without Spring.
 */
final class SpringConfigBridge {
  private SpringConfigBridge() {}

  static VoicebridgeConfig read(
      Environment environment, Map<String, StreamingSynthesizerProvider> providers) {
    Binder binder = Binder.get(environment);
    Map<String, String> values = new LinkedHashMap<>();
    bindScalar(binder, StreamingSynthesizers.PROVIDER_KEY, values);
    bindScalar(binder, SessionListeners.LISTENERS_KEY, values);
    bindScalar(binder, SessionListeners.DISCOVER_KEY, values);
    for (Map.Entry<String, StreamingSynthesizerProvider> p : providers.entrySet()) {
      String prefix = "voicebridge." + p.getKey() + ".";
      Set<String> known = new HashSet<>();
      for (ConfigKey<?> key : p.getValue().configKeys()) {
        known.add(normalize(key.name()));
        bindScalar(binder, prefix + key.name(), values);
      }
      // keys under the prefix that are none of the provider's: kept, so the provider reports them
      binder
          .bind("voicebridge." + p.getKey(), Bindable.mapOf(String.class, Object.class))
          .ifBound(
              m ->
                  flatten("", m)
                      .forEach(
                          (k, v) -> {
                            if (!known.contains(normalize(k))) {
                              values.putIfAbsent(prefix + k, v);
                            }
                          }));
    }
    return VoicebridgeConfig.of(values).withFallback(VoicebridgeConfig.fromEnvironment());
  }

  private static void bindScalar(Binder binder, String name, Map<String, String> into) {
    binder.bind(name, String.class).ifBound(v -> into.put(name, v));
  }

  private static Map<String, String> flatten(String prefix, Map<?, ?> map) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String k = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> m) {
        out.putAll(flatten(k + ".", m));
      } else if (e.getValue() != null) {
        out.put(k, String.valueOf(e.getValue()));
      }
    }
    return out;
  }

  /** A key without separators or case: {@code api-key}, {@code apiKey}, {@code API_KEY} alike. */
  static String normalize(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(Character.toLowerCase(c));
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }
}
