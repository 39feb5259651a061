package dev.voicebridge.fish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Configuration: every problem at once, secrets never shown, no I/O in create(). */
class FishProviderTest {
  private static final String SECRET = "sk-very-secret-fish-key-123";

  private static ProviderContext context(Map<String, String> values) {
    return ProviderContext.of("fish", VoicebridgeConfig.of(values));
  }

  @Test
  void discoverableThroughServiceLoader() {
    assertThat(
            ServiceLoader.load(StreamingSynthesizerProvider.class).stream()
                .map(p -> p.get().name())
                .collect(Collectors.toList()))
        .contains("fish");
  }

  @Test
  void keysAreSelfDescribing() {
    Map<String, ConfigKey<?>> keys =
        new FishProvider().configKeys().stream().collect(Collectors.toMap(ConfigKey::name, k -> k));
    assertThat(keys)
        .containsKeys(
            "api-key",
            "base-url",
            "model",
            "voice",
            "transport",
            "response-timeout",
            "connect-timeout",
            "voices-cache-ttl",
            "allow-insecure");
    assertThat(keys.get("api-key").isSecret()).isTrue();
    assertThat(keys.get("api-key").isRequired()).isTrue();
    assertThat(keys.get("api-key").environmentFallbacks()).containsExactly("FISH_API_KEY");
    assertThat(keys.get("base-url").defaultValue().toString()).isEqualTo("https://api.fish.audio");
    assertThat(keys.get("model").defaultValue()).isEqualTo(FishProvider.DEFAULT_MODEL);
  }

  @Test
  void missingKeyNamesTheEnvironmentFallback() {
    assertThatThrownBy(() -> new FishProvider().create(context(Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.fish.api-key")
        .hasMessageContaining("FISH_API_KEY");
  }

  @Test
  void everyProblemIsReportedAtOnceAndTheSecretNever() {
    ConfigurationException e =
        (ConfigurationException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    new FishProvider()
                        .create(
                            context(
                                Map.of(
                                    "voicebridge.fish.api-key", SECRET,
                                    "voicebridge.fish.base-url", "ftp://example.com",
                                    "voicebridge.fish.transport", "carrier-pigeon",
                                    "voicebridge.fish.response-timeout", "soon",
                                    "voicebridge.fish.max-idle-connections", "1000",
                                    "voicebridge.fish.colour", "blue"))));
    assertThat(e.problems()).hasSize(5);
    assertThat(e.getMessage())
        .contains("base-url")
        .contains("transport")
        .contains("response-timeout")
        .contains("max-idle-connections")
        .contains("0..64")
        .contains("colour")
        .doesNotContain(SECRET);
  }

  @Test
  void environmentFallbackIsHonoured() {
    VoicebridgeConfig config =
        VoicebridgeConfig.of(Map.of("voicebridge.fish.base-url", "http://127.0.0.1:9"))
            .withFallback(VoicebridgeConfig.fromEnvironment(Map.of("FISH_API_KEY", SECRET)));
    try (StreamingSynthesizer s = new FishProvider().create(ProviderContext.of("fish", config))) {
      assertThat(s.provider()).isEqualTo("fish");
      assertThat(s.toString()).doesNotContain(SECRET);
    }
  }

  @Test
  void createDoesNoNetworkIo() {
    // an unroutable address: create() and open()'s validation must not touch it
    try (StreamingSynthesizer s =
        new FishProvider()
            .create(
                context(
                    Map.of(
                        "voicebridge.fish.api-key",
                        SECRET,
                        "voicebridge.fish.base-url",
                        "https://10.255.255.1:1")))) {
      assertThatThrownBy(
              () -> s.open(SynthesisOptions.builder().format(AudioFormat.mulaw(8000)).build()))
          .isInstanceOf(UnsupportedCapabilityException.class);
      assertThat(s.capabilities().supports(AudioFormat.pcm(24000))).isTrue();
      assertThat(s.capabilities().supports(AudioFormat.pcm(22050))).isFalse();
      assertThat(s.capabilities().supports(s.capabilities().defaultFormat())).isTrue();
      assertThat(s.capabilities().transports()).containsExactlyInAnyOrder("websocket", "http");
    }
  }

  @Test
  void plainHttpIsRefusedForNonLoopbackHostsUnlessAllowed() {
    assertThatThrownBy(
            () ->
                new FishProvider()
                    .create(
                        context(
                            Map.of(
                                "voicebridge.fish.api-key",
                                SECRET,
                                "voicebridge.fish.base-url",
                                "http://proxy.example.com"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("allow-insecure")
        .hasMessageNotContaining(SECRET);
    new FishProvider()
        .create(
            context(
                Map.of(
                    "voicebridge.fish.api-key", SECRET,
                    "voicebridge.fish.base-url", "http://proxy.example.com",
                    "voicebridge.fish.allow-insecure", "true")))
        .close();
    new FishProvider()
        .create(
            context(
                Map.of(
                    "voicebridge.fish.api-key",
                    SECRET,
                    "voicebridge.fish.base-url",
                    "http://localhost:8080")))
        .close();
  }

  @Test
  void aKeyWithALineBreakIsRefusedWithoutEchoingIt() {
    String bad = "sk-canary-crlf\r\nX-Injected: yes";
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> new FishProvider().create(context(Map.of("voicebridge.fish.api-key", bad))));
    assertThat(t)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.fish.api-key")
        .hasMessageContaining("control character")
        .hasMessageNotContaining("sk-canary-crlf")
        .hasMessageNotContaining("X-Injected");
    assertThatThrownBy(
            () ->
                new FishProvider()
                    .create(
                        context(
                            Map.of(
                                "voicebridge.fish.api-key",
                                SECRET,
                                "voicebridge.fish.model",
                                "s1\r\nX: y"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.fish.model");
    try (StreamingSynthesizer s =
        new FishProvider().create(context(Map.of("voicebridge.fish.api-key", SECRET)))) {
      assertThatThrownBy(() -> s.open(SynthesisOptions.builder().model("s1\nX: y").build()))
          .isInstanceOf(UnsupportedCapabilityException.class);
    }
  }

  @Test
  void onlyTrueLoopbackNamesCountAsLoopback() {
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("localhost")).isTrue();
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("api.localhost")).isTrue();
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("127.0.0.1")).isTrue();
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("127.1.2.3")).isTrue();
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("[::1]")).isTrue();
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("127.0.0.1.example.com")).isFalse();
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("127.0.0.300")).isFalse();
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("localhost.example.com")).isFalse();
    assertThat(dev.voicebridge.kit.Endpoints.isLoopback("10.0.0.1")).isFalse();
    assertThatThrownBy(
            () ->
                new FishProvider()
                    .create(
                        context(
                            Map.of(
                                "voicebridge.fish.api-key",
                                SECRET,
                                "voicebridge.fish.base-url",
                                "http://127.0.0.1.example.com"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("allow-insecure");
  }

  @Test
  void closeIsIdempotentAndOpenAfterCloseIsRefused() {
    StreamingSynthesizer s =
        new FishProvider().create(context(Map.of("voicebridge.fish.api-key", SECRET)));
    s.close();
    s.close();
    assertThatThrownBy(s::open).isInstanceOf(IllegalStateException.class);
  }
}
