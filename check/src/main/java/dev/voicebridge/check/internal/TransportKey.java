package dev.voicebridge.check.internal;

import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A provider's transports, read from its {@code transport} configuration key: the values a {@link
 * ConfigKey#choice} key declares ({@code one of websocket|http}), the configured one and the
 * default. A provider without such a key has one transport, called {@value #DEFAULT} here.
 */
public final class TransportKey {
  /** The name of the only transport of a provider without a {@code transport} key. */
  public static final String DEFAULT = "default";

  /** The key's name. */
  public static final String NAME = "transport";

  private static final String CHOICE_PREFIX = "one of ";

  private final String fullName;
  private final ConfigKey<?> key;

  private TransportKey(String provider, ConfigKey<?> key) {
    this.fullName = "voicebridge." + provider + "." + NAME;
    this.key = key;
  }

  /** The transport key among {@code keys} of {@code provider}. */
  public static TransportKey of(String provider, List<ConfigKey<?>> keys) {
    ConfigKey<?> k = keys.stream().filter(c -> c.name().equals(NAME)).findFirst().orElse(null);
    return new TransportKey(provider, k);
  }

  /** Whether the provider has a {@code transport} key. */
  public boolean exists() {
    return key != null;
  }

  /** The key's full name, {@code voicebridge.<provider>.transport}. */
  public String fullName() {
    return fullName;
  }

  /** Every transport, in the key's order; {@link #DEFAULT} alone without a key or a choice. */
  public List<String> choices() {
    if (key == null || !key.typeName().startsWith(CHOICE_PREFIX)) {
      return List.of(configured(VoicebridgeConfig.empty()));
    }
    return Arrays.stream(key.typeName().substring(CHOICE_PREFIX.length()).split("\\|"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** The transport {@code config} selects: the configured one, else the key's default. */
  public String configured(VoicebridgeConfig config) {
    if (key == null) {
      return DEFAULT;
    }
    Optional<String> v = config.get(fullName);
    if (v.isPresent()) {
      return v.get();
    }
    return key.defaultValue() != null ? key.defaultValue().toString() : DEFAULT;
  }

  /**
   * The configuration that selects {@code transport}: {@code config} with the key set, or as it is
   * for {@link #DEFAULT}.
   */
  public VoicebridgeConfig select(VoicebridgeConfig config, String transport) {
    if (key == null || transport.equals(DEFAULT)) {
      return config;
    }
    return config.withOverrides(java.util.Map.of(fullName, transport));
  }
}
