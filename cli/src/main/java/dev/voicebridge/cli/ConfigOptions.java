package dev.voicebridge.cli;

import dev.voicebridge.VoicebridgeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: where configuration comes from. */
final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A properties file with voicebridge.* keys.")
  Path configFile;

  @Option(
      names = {"-D", "--set"},
      paramLabel = "KEY=VALUE",
      description =
          "Sets a configuration key, e.g. -D voicebridge.fish.base-url=http://127.0.0.1:8080")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  /** --set values, then --config, then system properties, then the environment. */
  VoicebridgeConfig config() {
    VoicebridgeConfig base = VoicebridgeConfig.standard();
    if (configFile != null) {
      if (!Files.isReadable(configFile)) {
        throw new Errors.UsageException("cannot read configuration file " + configFile);
      }
      base = VoicebridgeConfig.fromProperties(configFile).withFallback(base);
    }
    return overrides.isEmpty() ? base : base.withOverrides(overrides);
  }
}
