package dev.voicebridge.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A provider's configuration, resolved and validated by {@link ProviderContext#resolve}. */
public final class ProviderConfig {
  private final String prefix;
  private final Map<ConfigKey<?>, Object> values;

  ProviderConfig(String prefix, Map<ConfigKey<?>, Object> values) {
    this.prefix = prefix;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * {@return the value of {@code key}: what was configured, else its default, else null}
   *
   * @param <T> the value type
   * @param key the key
   */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    Object v = values.get(key);
    return v != null ? (T) v : key.defaultValue();
  }

  /**
   * {@return the values of every secret key that has one (to redact them wherever a server echoes
   * them)}
   */
  public List<Secret> secrets() {
    List<Secret> out = new ArrayList<>();
    values.forEach(
        (k, v) -> {
          if (v instanceof Secret s) {
            out.add(s);
          }
        });
    return List.copyOf(out);
  }

  /**
   * {@return whether {@code key} was configured (not just defaulted)}
   *
   * @param key the key
   */
  public boolean isSet(ConfigKey<?> key) {
    return values.get(key) != null;
  }

  /** The configured values with secrets masked. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ProviderConfig{");
    values.forEach(
        (k, v) -> {
          if (v != null) {
            sb.append(prefix)
                .append(k.name())
                .append('=')
                .append(k.isSecret() ? "****" : v)
                .append(", ");
          }
        });
    if (sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 2);
    }
    return sb.append('}').toString();
  }
}
