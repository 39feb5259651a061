package dev.voicebridge.spi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.VoicebridgeConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A key with anything but visible ASCII is refused at configuration time, never quoted. */
class SecretKeyCheckTest {
  static final ConfigKey<Secret> KEY = ConfigKey.secret("api-key", "the key").required();

  private static void resolve(String value) {
    ProviderContext.of("fish", VoicebridgeConfig.of(Map.of("voicebridge.fish.api-key", value)))
        .resolve(List.of(KEY));
  }

  static Stream<Arguments> badKeys() {
    return Stream.of(
        Arguments.of(
            "sk-canary-8f2e\u200B",
            "an invisible formatting character (U+200B) at position 15 of 15"),
        Arguments.of("sk-canary-8f2e\u00A0", "a non-ASCII space (U+00A0) at position 15 of 15"),
        Arguments.of("sk-canary\n8f2e", "a line break (a control character) at position 10 of 14"),
        Arguments.of("sk-canary 8f2e", "a space at position 10 of 14"),
        Arguments.of("sk-canary\u00e98f2e", "a non-ASCII character at position 10 of 14"),
        Arguments.of("sk-canary-8f2e\uD83D\uDE00", "a non-ASCII character at position 15 of 15"));
  }

  @ParameterizedTest
  @MethodSource("badKeys")
  void refusesWhatAHeaderCannotCarryNamingThePositionNotTheKey(String key, String problem) {
    assertThatThrownBy(() -> resolve(key))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(problem)
        .hasMessageNotContaining("sk-canary")
        .hasMessageNotContaining("8f2e");
  }

  @Test
  void refusesABrokenSurrogateAsWell() {
    assertThatThrownBy(() -> resolve("sk-canary-8f2e\uD83D"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a broken surrogate at position 15")
        .hasMessageNotContaining("sk-canary");
  }
}
