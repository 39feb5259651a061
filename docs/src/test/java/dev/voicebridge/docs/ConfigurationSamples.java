package dev.voicebridge.docs;

import dev.voicebridge.VoicebridgeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The samples of docs/configuration.md. */
final class ConfigurationSamples {
  private ConfigurationSamples() {}

  /** The three sources of configuration, and layering. */
  static List<VoicebridgeConfig> sources(Path dir) {
    // tag::sources[]
    VoicebridgeConfig standard = VoicebridgeConfig.standard(); // system properties, environment
    VoicebridgeConfig fromMap = VoicebridgeConfig.of(Map.of("voicebridge.provider", "fish"));
    VoicebridgeConfig layered =
        VoicebridgeConfig.fromProperties(dir.resolve("voicebridge.properties")) // a file first,
            .withFallback(VoicebridgeConfig.standard()); // then system properties, environment
    // end::sources[]
    return List.of(standard, fromMap, layered);
  }
}
