package dev.voicebridge.cli;

import dev.voicebridge.VoicebridgeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: where configuration comes from. */
final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A properties file (UTF-8) with voicebridge.KEY=VALUE lines, e.g."
              + " voicebridge.fish.api-key=...")
  Path configFile;

  @Option(
      names = {"-D", "--set"},
      paramLabel = "KEY=VALUE",
      description =
          "Sets a configuration key, e.g. -D voicebridge.fish.base-url=http://127.0.0.1:8080"
              + " (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--verbose",
      description = "Print stack traces of errors and the library's debug log.")
  boolean verbose;

  /**
   * -D values, then --config, then system properties, then the environment. The redactor learns
   * every secret value the result holds.
   */
  VoicebridgeConfig config(Redactor redactor) {
    VoicebridgeConfig base = VoicebridgeConfig.standard();
    if (configFile != null) {
      PropertiesFile.check(configFile);
      base = VoicebridgeConfig.fromProperties(configFile).withFallback(base);
    }
    VoicebridgeConfig c = overrides.isEmpty() ? base : base.withOverrides(overrides);
    redactor.learnConfig(c);
    return c;
  }
}
