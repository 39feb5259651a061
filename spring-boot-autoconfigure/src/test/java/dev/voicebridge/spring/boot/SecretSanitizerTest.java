package dev.voicebridge.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.StreamingSynthesizers;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretSanitizerTest {
  final VoicebridgeSanitizingConfiguration.SecretSanitizer sanitizer =
      new VoicebridgeSanitizingConfiguration.SecretSanitizer(StreamingSynthesizers.providers());

  @Test
  void everySpellingOfASecretKeyIsMasked() {
    assertThat(sanitizer.isSecret("voicebridge.fish.api-key")).isTrue();
    assertThat(sanitizer.isSecret("voicebridge.elevenlabs.apiKey")).isTrue();
    assertThat(sanitizer.isSecret("VOICEBRIDGE_SMALLEST_API_KEY")).isTrue();
    assertThat(sanitizer.isSecret("VOICEBRIDGE_FISH_APIKEY")).isTrue();
    assertThat(sanitizer.isSecret("voicebridge.synthesizers.backup.properties.fish.api-key"))
        .isTrue();
    assertThat(sanitizer.isSecret("FISH_API_KEY")).isTrue();
    assertThat(sanitizer.isSecret("ELEVENLABS_API_KEY")).isTrue();
  }

  @Test
  void secretLookingKeysOfProvidersNotOnTheClassPathAreMaskedToo() {
    VoicebridgeSanitizingConfiguration.SecretSanitizer onlyLocal =
        new VoicebridgeSanitizingConfiguration.SecretSanitizer(
            Map.of("local", StreamingSynthesizers.providers().get("local")));
    assertThat(onlyLocal.isSecret("voicebridge.acme.api-key")).isTrue();
    assertThat(onlyLocal.isSecret("voicebridge.acme.token")).isTrue();
    assertThat(onlyLocal.isSecret("VOICEBRIDGE_ACME_API_KEY")).isTrue();
    assertThat(onlyLocal.isSecret("voicebridge.acme.voice")).isFalse();
  }

  @Test
  void otherKeysAreLeftAlone() {
    assertThat(sanitizer.isSecret("voicebridge.fish.model")).isFalse();
    assertThat(sanitizer.isSecret("voicebridge.fish.base-url")).isFalse();
    assertThat(sanitizer.isSecret("other.api-key")).isFalse();
    assertThat(sanitizer.isSecret("voicebridge.synthesizers.backup.provider")).isFalse();
  }
}
