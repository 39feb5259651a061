package dev.voicebridge.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElevenLabsProviderTest {
  private final ElevenLabsProvider provider = new ElevenLabsProvider();

  private StreamingSynthesizer create(VoicebridgeConfig c) {
    return provider.create(ProviderContext.of("elevenlabs", c));
  }

  @Test
  void isDiscoverable() {
    assertThat(StreamingSynthesizers.providers()).containsKey("elevenlabs");
    assertThat(provider.name()).isEqualTo("elevenlabs");
  }

  @Test
  void keysAreSelfDescribing() {
    assertThat(provider.configKeys())
        .extracting(ConfigKey::name)
        .contains("api-key", "base-url", "model", "voice", "response-timeout", "connect-timeout");
    assertThat(ElevenLabsProvider.API_KEY.isSecret()).isTrue();
    assertThat(ElevenLabsProvider.API_KEY.environmentFallbacks())
        .containsExactly("ELEVENLABS_API_KEY");
    assertThat(ElevenLabsProvider.MODEL.defaultValue()).isEqualTo("eleven_flash_v2_5");
    assertThat(ElevenLabsProvider.BASE_URL.defaultValue()).hasToString("https://api.elevenlabs.io");
    provider.configKeys().forEach(k -> assertThat(k.description()).isNotBlank());
  }

  @Test
  void everyProblemIsReportedAtOnceWithoutTheSecret() {
    VoicebridgeConfig c =
        VoicebridgeConfig.of(
            Map.of(
                "voicebridge.elevenlabs.api-key", "sk-very-secret",
                "voicebridge.elevenlabs.base-url", "ftp://x.test",
                "voicebridge.elevenlabs.voice", "../admin",
                "voicebridge.elevenlabs.response-timeout", "soon",
                "voicebridge.elevenlabs.max-contexts-per-socket", "6",
                "voicebridge.elevenlabs.transport", "smoke",
                "voicebridge.elevenlabs.colour", "blue"));
    assertThatThrownBy(() -> create(c))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.problems()).hasSize(6);
              assertThat(e.getMessage())
                  .contains("base-url", "voice", "response-timeout", "max-contexts-per-socket")
                  .contains("transport", "colour")
                  .doesNotContain("sk-very-secret");
            });
  }

  @Test
  void theKeyIsRequiredAndFallsBackToTheVendorVariable() {
    assertThatThrownBy(() -> create(VoicebridgeConfig.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ELEVENLABS_API_KEY");
    try (StreamingSynthesizer s =
        create(VoicebridgeConfig.fromEnvironment(Map.of("ELEVENLABS_API_KEY", "sk-env")))) {
      assertThat(s.provider()).isEqualTo("elevenlabs");
      assertThat(s.toString()).doesNotContain("sk-env");
    }
  }

  @Test
  void plainHttpIsForLoopbackUnlessAllowed() {
    assertThatThrownBy(
            () ->
                create(
                    VoicebridgeConfig.of(
                        Map.of(
                            "voicebridge.elevenlabs.api-key", "k",
                            "voicebridge.elevenlabs.base-url", "http://tts.example.test"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("allow-insecure");
    create(
            VoicebridgeConfig.of(
                Map.of(
                    "voicebridge.elevenlabs.api-key", "k",
                    "voicebridge.elevenlabs.base-url", "http://tts.example.test",
                    "voicebridge.elevenlabs.allow-insecure", "true")))
        .close();
    create(
            VoicebridgeConfig.of(
                Map.of(
                    "voicebridge.elevenlabs.api-key", "k",
                    "voicebridge.elevenlabs.base-url", "http://127.0.0.1:9")))
        .close();
  }

  @Test
  void optionsListEveryKeyOfThisProvider() {
    assertThat(ElevenLabsOptions.all()).allMatch(o -> o.provider().equals("elevenlabs"));
    assertThat(ElevenLabsOptions.all()).doesNotHaveDuplicates();
  }
}
