package dev.voicebridge.check.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private static final List<ConfigKey<?>> KEYS =
      List.of(
          ConfigKey.secret("api-key", "the key").withEnvironmentFallback("ACME_API_KEY"),
          ConfigKey.string("voice", "the voice"));

  @Test
  void theLastFourCharactersChangeAndStayVisibleAscii() {
    assertThat(Secrets.alter("abcd1234")).isEqualTo("abcd6789");
    assertThat(Secrets.alter("KEY-xyzW")).isEqualTo("KEY-klmJ");
    assertThat(Secrets.alter("test-key")).isEqualTo("testxxrl");
    assertThat(Secrets.alter("ab")).isEqualTo("no");
    // the emulator test's ALTERED_CANARY
    assertThat(Secrets.alter("vbcanary-7f3a9c1e5d2b4a68")).isEqualTo("vbcanary-7f3a9c1e5d2b9n13");
    String odd = "k~!@#$%^&*()_+{}|:<>?";
    String altered = Secrets.alter(odd);
    assertThat(altered).isNotEqualTo(odd).hasSameSizeAs(odd).matches("[\\x21-\\x7e]+");
    for (int i = 0; i < odd.length() - 4; i++) {
      assertThat(altered.charAt(i)).isEqualTo(odd.charAt(i));
    }
  }

  @Test
  void theConfiguredKeyIsFoundAsThePropertyOrItsFallbackAndBothCopiesAreRedacted() {
    Secrets fromProperty =
        Secrets.of(
            "acme",
            KEYS,
            VoicebridgeConfig.of(Map.of("voicebridge.acme.api-key", "sk-live-12345678")));
    assertThat(fromProperty.declared()).isTrue();
    assertThat(fromProperty.configured()).isTrue();
    assertThat(fromProperty.alteredOverrides())
        .containsExactly(Map.entry("voicebridge.acme.api-key", "sk-live-12340123"));
    assertThat(fromProperty.redactor().redact("a sk-live-12345678 b sk-live-12340123 c"))
        .isEqualTo("a **** b **** c");

    Secrets fromEnvironment =
        Secrets.of(
            "acme",
            KEYS,
            VoicebridgeConfig.fromEnvironment(Map.of("ACME_API_KEY", "envkey-abcdefgh")));
    assertThat(fromEnvironment.alteredOverrides())
        .containsExactly(Map.entry("voicebridge.acme.api-key", "envkey-abcdrstu"));

    Secrets none = Secrets.of("acme", KEYS, VoicebridgeConfig.empty());
    assertThat(none.declared()).isTrue();
    assertThat(none.configured()).isFalse();
    assertThat(Secrets.of("acme", List.of(KEYS.get(1)), VoicebridgeConfig.empty()).declared())
        .isFalse();
  }
}
