package dev.voicebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoicebridgeConfigTest {

  @Test
  void environmentAndPropertySpellingsAreTheSameKey() {
    assertThat(VoicebridgeConfig.environmentName("voicebridge.fish.api-key"))
        .isEqualTo("VOICEBRIDGE_FISH_API_KEY");
    VoicebridgeConfig env =
        VoicebridgeConfig.fromEnvironment(Map.of("VOICEBRIDGE_FISH_API_KEY", "k1"));
    assertThat(env.get("voicebridge.fish.api-key")).contains("k1");
  }

  @Test
  void earlierLayersWin() {
    VoicebridgeConfig c =
        VoicebridgeConfig.of(Map.of("voicebridge.provider", "fish"))
            .withFallback(
                VoicebridgeConfig.fromEnvironment(
                    Map.of("VOICEBRIDGE_PROVIDER", "local", "VOICEBRIDGE_LOCAL_VOICE", "kevin16")));
    assertThat(c.get("voicebridge.provider")).contains("fish");
    assertThat(c.get("voicebridge.local.voice")).contains("kevin16");
    assertThat(c.get("voicebridge.nothing")).isEmpty();
  }

  @Test
  void blankValuesCountAsUnset() {
    VoicebridgeConfig c =
        VoicebridgeConfig.of(Map.of("voicebridge.provider", "  "))
            .withFallback(VoicebridgeConfig.of(Map.of("voicebridge.provider", "local")));
    assertThat(c.get("voicebridge.provider")).contains("local");
  }

  @Test
  void vendorVariablesAreReadOnlyFromTheEnvironment() {
    VoicebridgeConfig c =
        VoicebridgeConfig.of(Map.of("FISH_API_KEY", "not-env"))
            .withFallback(VoicebridgeConfig.fromEnvironment(Map.of("FISH_API_KEY", "env")));
    assertThat(c.environmentVariable("FISH_API_KEY")).contains("env");
  }

  @Test
  void propertiesFilesAreRead(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("voicebridge.properties");
    Files.writeString(
        f, "voicebridge.provider = local\n# comment\nvoicebridge.local.voice=kevin16\n");
    VoicebridgeConfig c = VoicebridgeConfig.fromProperties(f);
    assertThat(c.get("voicebridge.provider")).contains("local");
    assertThat(c.sourceOf("voicebridge.provider"))
        .get()
        .asString()
        .contains("voicebridge.properties");
  }

  @Test
  void toStringMasksSecrets() {
    VoicebridgeConfig c =
        VoicebridgeConfig.of(
            Map.of("voicebridge.fish.api-key", "sk-canary-123", "voicebridge.provider", "fish"));
    assertThat(c.toString()).doesNotContain("sk-canary-123").contains("****").contains("fish");
  }
}
