package dev.voicebridge.deepgram;

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
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Configuration: discovery, every problem at once, secrets never shown, no I/O in create(). */
class DeepgramProviderTest {
  private static final String SECRET = "dg-very-secret-key-4711";

  private static ProviderContext context(Map<String, String> values) {
    return ProviderContext.of("deepgram", VoicebridgeConfig.of(values));
  }

  @Test
  void discoverableThroughServiceLoaderAndSelectable() {
    assertThat(
            ServiceLoader.load(StreamingSynthesizerProvider.class).stream()
                .map(p -> p.get().name())
                .collect(Collectors.toList()))
        .contains("deepgram");
    try (StreamingSynthesizer s =
        StreamingSynthesizers.fromConfig(
            VoicebridgeConfig.of(
                Map.of(
                    "voicebridge.provider", "deepgram", "voicebridge.deepgram.api-key", SECRET)))) {
      assertThat(s.provider()).isEqualTo("deepgram");
    }
  }

  @Test
  void keysAreSelfDescribing() {
    Map<String, ConfigKey<?>> keys =
        new DeepgramProvider()
            .configKeys().stream().collect(Collectors.toMap(ConfigKey::name, k -> k));
    assertThat(keys.keySet())
        .containsExactlyInAnyOrder(
            "api-key",
            "base-url",
            "model",
            "transport",
            "response-timeout",
            "connect-timeout",
            "voices-cache-ttl",
            "allow-insecure",
            "max-frame-bytes",
            "max-buffered-audio-bytes",
            "max-text-chars",
            "max-audio-per-char",
            "max-audio-floor");
    assertThat(keys.get("api-key").isSecret()).isTrue();
    assertThat(keys.get("api-key").isRequired()).isTrue();
    assertThat(keys.get("api-key").environmentFallbacks()).containsExactly("DEEPGRAM_API_KEY");
    assertThat(keys.get("api-key").description()).contains("Authorization: Token");
    assertThat(keys.get("base-url").defaultValue().toString())
        .isEqualTo("https://api.deepgram.com");
    assertThat(keys.get("model").defaultValue()).isEqualTo("aura-2-thalia-en");
    assertThat(keys.get("transport").defaultValue()).isEqualTo("websocket");
  }

  @Test
  void missingKeyNamesTheEnvironmentFallback() {
    assertThatThrownBy(() -> new DeepgramProvider().create(context(Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.deepgram.api-key")
        .hasMessageContaining("DEEPGRAM_API_KEY");
  }

  @Test
  void everyProblemIsReportedAtOnceAndTheSecretNever() {
    ConfigurationException e =
        (ConfigurationException)
            catchThrowable(
                () ->
                    new DeepgramProvider()
                        .create(
                            context(
                                Map.of(
                                    "voicebridge.deepgram.api-key", SECRET,
                                    "voicebridge.deepgram.base-url", "ftp://example.com",
                                    "voicebridge.deepgram.transport", "sse",
                                    "voicebridge.deepgram.model", "aura 2?",
                                    "voicebridge.deepgram.response-timeout", "soon",
                                    "voicebridge.deepgram.voice", "aura-2-luna-en"))));
    assertThat(e.problems()).hasSize(5);
    assertThat(e.getMessage())
        .contains("base-url")
        .contains("transport")
        .contains("model")
        .contains("response-timeout")
        .contains("voicebridge.deepgram.voice")
        .doesNotContain(SECRET);
  }

  @Test
  void theEnvironmentFallbackIsHonoured() {
    VoicebridgeConfig config =
        VoicebridgeConfig.of(Map.of("voicebridge.deepgram.base-url", "http://127.0.0.1:9"))
            .withFallback(VoicebridgeConfig.fromEnvironment(Map.of("DEEPGRAM_API_KEY", SECRET)));
    try (StreamingSynthesizer s =
        new DeepgramProvider().create(ProviderContext.of("deepgram", config))) {
      assertThat(s.provider()).isEqualTo("deepgram");
      assertThat(s.toString()).doesNotContain(SECRET);
    }
  }

  @Test
  void createAndOpensValidationDoNoNetworkIo() {
    try (StreamingSynthesizer s =
        new DeepgramProvider()
            .create(
                context(
                    Map.of(
                        "voicebridge.deepgram.api-key",
                        SECRET,
                        "voicebridge.deepgram.base-url",
                        "https://10.255.255.1:1")))) {
      assertThatThrownBy(
              () -> s.open(SynthesisOptions.builder().format(AudioFormat.mp3(22_050)).build()))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("[deepgram]");
      assertThat(s.capabilities().supports(s.capabilities().defaultFormat())).isTrue();
      assertThat(Set.copyOf(s.capabilities().transports()))
          .containsExactlyInAnyOrder("websocket", "http");
    }
  }

  @Test
  void plainHttpOnlyToLoopbackUnlessAllowed() {
    assertThatThrownBy(
            () ->
                new DeepgramProvider()
                    .create(
                        context(
                            Map.of(
                                "voicebridge.deepgram.api-key",
                                SECRET,
                                "voicebridge.deepgram.base-url",
                                "http://proxy.example.com"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("allow-insecure")
        .hasMessageNotContaining(SECRET);
    new DeepgramProvider()
        .create(
            context(
                Map.of(
                    "voicebridge.deepgram.api-key", SECRET,
                    "voicebridge.deepgram.base-url", "http://proxy.example.com",
                    "voicebridge.deepgram.allow-insecure", "true")))
        .close();
  }

  @Test
  void aKeyWithALineBreakIsRefusedWithoutEchoingIt() {
    Throwable t =
        catchThrowable(
            () ->
                new DeepgramProvider()
                    .create(
                        context(
                            Map.of("voicebridge.deepgram.api-key", "dg-canary\r\nX-Injected: y"))));
    assertThat(t)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.deepgram.api-key")
        .hasMessageNotContaining("dg-canary")
        .hasMessageNotContaining("X-Injected");
  }

  @Test
  void everyTypedOptionIsListed() {
    assertThat(DeepgramOptions.all())
        .contains(
            DeepgramOptions.TRANSPORT,
            DeepgramOptions.SPEED,
            DeepgramOptions.MIP_OPT_OUT,
            DeepgramOptions.BIT_RATE,
            DeepgramOptions.TAG,
            DeepgramOptions.HTTP_REQUEST_UNIT);
    assertThat(DeepgramOptions.all()).allMatch(o -> o.provider().equals("deepgram"));
  }
}
