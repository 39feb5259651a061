package dev.voicebridge.cartesia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Configuration: discovery, every problem at once, secrets never shown, no I/O in create(). */
class CartesiaProviderTest {
  private static final String SECRET = "sk-very-secret-cartesia-key-77";

  private static ProviderContext context(Map<String, String> values) {
    return ProviderContext.of("cartesia", VoicebridgeConfig.of(values));
  }

  @Test
  void discoverableAndSelectable() {
    assertThat(StreamingSynthesizers.providers()).containsKey("cartesia");
    try (StreamingSynthesizer s =
        StreamingSynthesizers.fromConfig(
            VoicebridgeConfig.of(
                Map.of(
                    "voicebridge.provider", "cartesia", "voicebridge.cartesia.api-key", SECRET)))) {
      assertThat(s.provider()).isEqualTo("cartesia");
      assertThat(s.toString()).doesNotContain(SECRET);
    }
  }

  @Test
  void keysAreSelfDescribing() {
    Map<String, ConfigKey<?>> keys =
        new CartesiaProvider()
            .configKeys().stream().collect(Collectors.toMap(ConfigKey::name, k -> k));
    assertThat(keys)
        .containsKeys(
            "api-key",
            "base-url",
            "version",
            "model",
            "voice",
            "transport",
            "response-timeout",
            "connect-timeout",
            "max-contexts-per-socket",
            "idle-timeout",
            "http-pipeline",
            "voices-cache-ttl",
            "allow-insecure",
            "max-frame-bytes");
    assertThat(keys.get("api-key").isSecret()).isTrue();
    assertThat(keys.get("api-key").environmentFallbacks()).containsExactly("CARTESIA_API_KEY");
    assertThat(keys.get("base-url").defaultValue().toString()).isEqualTo("https://api.cartesia.ai");
    assertThat(keys.get("model").defaultValue()).isEqualTo("sonic-3");
    assertThat(keys.get("version").defaultValue()).isEqualTo(CartesiaProvider.DEFAULT_VERSION);
    assertThat(keys.get("transport").defaultValue()).isEqualTo("websocket");
    assertThat(CartesiaProvider.VERSIONS).last().isEqualTo(CartesiaProvider.DEFAULT_VERSION);
  }

  @Test
  void everyProblemIsReportedAtOnceAndTheSecretNever() {
    ConfigurationException e =
        (ConfigurationException)
            catchThrowable(
                () ->
                    new CartesiaProvider()
                        .create(
                            context(
                                Map.of(
                                    "voicebridge.cartesia.api-key", SECRET,
                                    "voicebridge.cartesia.base-url", "http://example.com",
                                    "voicebridge.cartesia.transport", "pigeon",
                                    "voicebridge.cartesia.version", "2023-01-01",
                                    "voicebridge.cartesia.max-contexts-per-socket", "0",
                                    "voicebridge.cartesia.colour", "blue"))));
    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(5);
    assertThat(e.getMessage())
        .contains("voicebridge.cartesia.base-url")
        .contains("voicebridge.cartesia.transport")
        .contains("voicebridge.cartesia.version")
        .contains("voicebridge.cartesia.max-contexts-per-socket")
        .contains("colour")
        .doesNotContain(SECRET);
    assertThatThrownBy(() -> new CartesiaProvider().create(context(Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("CARTESIA_API_KEY");
  }

  @Test
  void createDoesNoIoAndOpenRefusesUnsupportedFormatsFirst() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (StreamingSynthesizer s =
        new CartesiaProvider()
            .create(
                context(
                    Map.of(
                        "voicebridge.cartesia.api-key",
                        SECRET,
                        "voicebridge.cartesia.base-url",
                        "http://127.0.0.1:9")))) {
      assertThat(s.capabilities().multiplexing()).isTrue();
      assertThat(s.capabilities().wordTimings()).isTrue();
      assertThat(s.capabilities().supports(AudioFormat.pcm(22050))).isTrue();
      assertThat(s.capabilities().supports(AudioFormat.mp3(44100))).isFalse();
      assertThatThrownBy(
              () -> s.open(SynthesisOptions.builder().format(AudioFormat.opus()).build()))
          .isInstanceOf(UnsupportedCapabilityException.class);
    }
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t))
                .filter(t -> t.getName().startsWith("voicebridge-cartesia"))
                .collect(Collectors.toList()))
        .isEmpty();
  }

  @Test
  void capabilitiesFollowTheConfiguredTransport() {
    for (String t : new String[] {"sse", "bytes"}) {
      try (StreamingSynthesizer s =
          new CartesiaProvider()
              .create(
                  context(
                      Map.of(
                          "voicebridge.cartesia.api-key", SECRET,
                          "voicebridge.cartesia.transport", t,
                          "voicebridge.cartesia.idle-timeout", "30s")))) {
        assertThat(s.capabilities().multiplexing()).isFalse();
        assertThat(s.capabilities().wordTimings()).isEqualTo(t.equals("sse"));
        assertThat(s.capabilities().transports()).containsExactly(t);
      }
    }
  }
}
