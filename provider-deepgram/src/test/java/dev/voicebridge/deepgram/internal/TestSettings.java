package dev.voicebridge.deepgram.internal;

import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.deepgram.DeepgramProvider;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings for the internals' tests, resolved from the provider's own keys. */
final class TestSettings {
  static final String KEY = "dg-canary-key-5b1e7";

  private TestSettings() {}

  static DeepgramSettings of(String transport) {
    return of(transport, "http://127.0.0.1:9", Map.of());
  }

  @SuppressWarnings("unchecked")
  static DeepgramSettings of(String transport, String baseUrl, Map<String, String> more) {
    List<ConfigKey<?>> keys = new DeepgramProvider().configKeys();
    ConfigKey<Secret> api = (ConfigKey<Secret>) key(keys, "api-key");
    ConfigKey<URI> base = (ConfigKey<URI>) key(keys, "base-url");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("voicebridge.deepgram.api-key", KEY);
    values.put("voicebridge.deepgram.base-url", baseUrl);
    values.putAll(more);
    NetworkSettings network =
        NetworkSettings.resolve(
            ProviderContext.of("deepgram", VoicebridgeConfig.of(values)), keys, api, base);
    return new DeepgramSettings(network, DeepgramProvider.DEFAULT_MODEL, transport);
  }

  private static ConfigKey<?> key(List<ConfigKey<?>> keys, String name) {
    return keys.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
  }
}
