package dev.voicebridge.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.VoicebridgeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderContextTest {
  static final ConfigKey<Secret> KEY =
      ConfigKey.secret("api-key", "the key").required().withEnvironmentFallback("FISH_API_KEY");
  static final ConfigKey<Integer> CHUNK =
      ConfigKey.integer("chunk-length", "chunk").withRange(100, 300).withDefault(200);
  static final ConfigKey<Duration> TIMEOUT =
      ConfigKey.duration("response-timeout", "timeout").withDefault(Duration.ofSeconds(20));
  static final ConfigKey<String> LATENCY =
      ConfigKey.choice("latency", "latency mode", "normal", "balanced", "low");
  static final List<ConfigKey<?>> KEYS = List.of(KEY, CHUNK, TIMEOUT, LATENCY);

  private static ProviderContext ctx(VoicebridgeConfig c) {
    return ProviderContext.of("fish", c);
  }

  @Test
  void everyProblemIsReportedAtOnceAndNoSecretLeaks() {
    VoicebridgeConfig c =
        VoicebridgeConfig.of(
            Map.of(
                "voicebridge.fish.chunk-length", "999",
                "voicebridge.fish.response-timeout", "soon",
                "voicebridge.fish.latency", "fast",
                "voicebridge.fish.colour", "red"));
    assertThatThrownBy(() -> ctx(c).resolve(KEYS))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.problems()).hasSize(5);
              assertThat(e.getMessage())
                  .contains("voicebridge.fish.api-key is required")
                  .contains("FISH_API_KEY")
                  .contains("voicebridge.fish.chunk-length")
                  .contains("100..300")
                  .contains("voicebridge.fish.response-timeout")
                  .contains("voicebridge.fish.latency")
                  .contains("voicebridge.fish.colour is not a key");
            });
  }

  @Test
  void valuesDefaultsAndTheVendorFallback() {
    VoicebridgeConfig c =
        VoicebridgeConfig.of(Map.of("voicebridge.fish.response-timeout", "1500ms"))
            .withFallback(VoicebridgeConfig.fromEnvironment(Map.of("FISH_API_KEY", "sk-canary")));
    ProviderConfig p = ctx(c).resolve(KEYS);
    assertThat(p.get(KEY).reveal()).isEqualTo("sk-canary");
    assertThat(p.get(CHUNK)).isEqualTo(200);
    assertThat(p.get(TIMEOUT)).isEqualTo(Duration.ofMillis(1500));
    assertThat(p.get(LATENCY)).isNull();
    assertThat(p.toString()).doesNotContain("sk-canary");
    assertThat(p.get(KEY).toString()).isEqualTo("****");
  }

  @Test
  void aBadSecretValueIsNotEchoed() {
    ConfigKey<Secret> checked =
        ConfigKey.secret("api-key", "k")
            .withCheck(s -> s.reveal().contains("\n") ? "has a newline" : null);
    VoicebridgeConfig c = VoicebridgeConfig.of(Map.of("voicebridge.fish.api-key", "sk-canary\nX"));
    assertThatThrownBy(() -> ctx(c).resolve(List.of(checked)))
        .hasMessageContaining("line break")
        .hasMessageNotContaining("sk-canary");
  }

  @Test
  void durationsInSeveralSpellings() {
    assertThat(ConfigKey.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(ConfigKey.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigKey.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ConfigKey.parseDuration("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigKey.parseDuration("750")).isEqualTo(Duration.ofMillis(750));
  }
}
