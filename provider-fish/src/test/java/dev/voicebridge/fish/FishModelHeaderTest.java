package dev.voicebridge.fish;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.spi.ProviderContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fish's own policy for its {@code model} header: any control character, a tab included, is refused
 * in {@code create()} and in {@code open()}. The generic part (a line break never reaches a
 * request, the refusal never quotes it) is rule [SEC4] of the conformance suite; a tab is harmless
 * in a header value, so refusing it is Fish's choice, not the contract's.
 */
class FishModelHeaderTest {
  private static final String KEY = "sk-canary-fish-m0d3l";

  @ParameterizedTest
  @ValueSource(strings = {"s1\r\nX-Injected: yes", "s1\nX-Injected: yes", "s1\tx"})
  void aModelWithControlCharactersIsRefused(String model) {
    assertThatThrownBy(() -> create(Map.of("voicebridge.fish.model", model)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.fish.model")
        .hasMessageNotContaining(KEY);
    for (String transport : new String[] {FishOptions.WEBSOCKET, FishOptions.HTTP}) {
      try (StreamingSynthesizer s = create(Map.of("voicebridge.fish.transport", transport))) {
        SynthesisOptions options = SynthesisOptions.builder().model(model).build();
        assertThatThrownBy(() -> s.open(options).close())
            .as(transport)
            .isInstanceOf(VoicebridgeException.class)
            .hasMessageContaining("model")
            .hasMessageNotContaining(KEY);
      }
    }
  }

  private static StreamingSynthesizer create(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("voicebridge.fish.api-key", KEY);
    props.put("voicebridge.fish.base-url", "http://127.0.0.1:9");
    props.putAll(extra);
    return new FishProvider().create(ProviderContext.of("fish", VoicebridgeConfig.of(props)));
  }
}
