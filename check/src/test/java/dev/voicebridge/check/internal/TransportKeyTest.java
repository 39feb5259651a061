package dev.voicebridge.check.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportKeyTest {
  @Test
  void theChoicesAreTheKeysDeclaredValuesAndTheConfiguredOneIsSelected() {
    TransportKey k =
        TransportKey.of(
            "acme",
            List.of(ConfigKey.choice("transport", "how", "websocket", "http").withDefault("http")));
    assertThat(k.exists()).isTrue();
    assertThat(k.choices()).containsExactly("websocket", "http");
    assertThat(k.configured(VoicebridgeConfig.empty())).isEqualTo("http");
    VoicebridgeConfig ws = VoicebridgeConfig.of(Map.of("voicebridge.acme.transport", "websocket"));
    assertThat(k.configured(ws)).isEqualTo("websocket");
    assertThat(k.select(VoicebridgeConfig.empty(), "websocket").get("voicebridge.acme.transport"))
        .contains("websocket");
  }

  @Test
  void aProviderWithoutATransportKeyHasOneCalledDefault() {
    TransportKey k = TransportKey.of("acme", List.of(ConfigKey.string("voice", "v")));
    assertThat(k.exists()).isFalse();
    assertThat(k.choices()).containsExactly(TransportKey.DEFAULT);
    VoicebridgeConfig c = VoicebridgeConfig.of(Map.of("voicebridge.acme.voice", "x"));
    assertThat(k.select(c, TransportKey.DEFAULT)).isSameAs(c);
  }
}
