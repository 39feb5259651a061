package dev.voicebridge.spring.boot;

import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Masks every Voicebridge secret in {@code /actuator/env} and {@code /actuator/configprops}, even
 * with {@code show-values: always}: the keys the providers declare secret ({@code
 * voicebridge.fish.api-key} in any spelling, also inside {@code voicebridge.synthesizers.*}, so any
 * key ending in {@code fish.api-key}), any {@code voicebridge.*} key whose last segment looks
 * secret ({@code api-key}, {@code secret}, {@code token}, {@code password}, also for providers not
 * on the class path) and the vendors' own variables ({@code FISH_API_KEY}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
class VoicebridgeSanitizingConfiguration {

  @Bean
  SanitizingFunction voicebridgeSanitizingFunction() {
    return new SecretSanitizer(StreamingSynthesizers.discover().providers());
  }

  /** The sanitizing rule, apart from Spring for its test. */
  static final class SecretSanitizer implements SanitizingFunction {
    private final Set<String> secretSuffixes = new HashSet<>();
    private final Set<String> vendorVariables = new HashSet<>();
    // secret-looking last segments under voicebridge., for providers not on this class path
    private final Set<String> secretNames =
        new HashSet<>(Set.of("apikey", "secret", "token", "password", "credentials"));

    SecretSanitizer(Map<String, StreamingSynthesizerProvider> providers) {
      for (Map.Entry<String, StreamingSynthesizerProvider> p : providers.entrySet()) {
        for (ConfigKey<?> k : p.getValue().configKeys()) {
          if (k.isSecret()) {
            secretNames.add(SpringConfigBridge.normalize(k.name()));
            secretSuffixes.add(SpringConfigBridge.normalize(p.getKey() + k.name()));
            for (String env : k.environmentFallbacks()) {
              vendorVariables.add(SpringConfigBridge.normalize(env));
            }
          }
        }
      }
    }

    boolean isSecret(String key) {
      String n = SpringConfigBridge.normalize(key);
      if (vendorVariables.contains(n)) {
        return true;
      }
      // any key ending in <provider><secret key>: voicebridge.fish.api-key, and the same key inside
      // voicebridge.synthesizers.*.properties, however an endpoint qualifies it
      for (String s : secretSuffixes) {
        if (n.endsWith(s)) {
          return true;
        }
      }
      // any voicebridge key whose last segment looks secret, also for providers not on this class
      // path (VOICEBRIDGE_ACME_API_KEY cannot be split into segments: its suffix is checked)
      if (n.startsWith("voicebridge")) {
        int dot = key.lastIndexOf('.');
        String last = SpringConfigBridge.normalize(dot < 0 ? key : key.substring(dot + 1));
        for (String s : secretNames) {
          if (last.equals(s) || (dot < 0 && n.endsWith(s))) {
            return true;
          }
        }
      }
      return false;
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
      return isSecret(data.getKey()) ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }
  }
}
