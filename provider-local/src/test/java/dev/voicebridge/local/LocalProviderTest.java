package dev.voicebridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.LimitExceededException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalProviderTest {

  private static StreamingSynthesizer create(Map<String, String> config) {
    return new LocalProvider().create(ProviderContext.of("local", VoicebridgeConfig.of(config)));
  }

  @Test
  void describesItself() {
    LocalProvider p = new LocalProvider();
    assertThat(p.name()).isEqualTo("local");
    assertThat(p.configKeys())
        .extracting(ConfigKey::name)
        .containsExactly("voice", "response-timeout", "max-buffered-audio-bytes", "max-text-chars");
    assertThat(p.configKeys()).noneMatch(ConfigKey::isSecret).noneMatch(ConfigKey::isRequired);
    assertThat(p.configKeys().get(0).defaultValue()).isEqualTo("kevin16");
  }

  @Test
  void isFoundByServiceLoaderAndSelectedByConfig() {
    assertThat(StreamingSynthesizers.providers()).containsKey("local");
    try (StreamingSynthesizer s =
        StreamingSynthesizers.fromConfig(
            VoicebridgeConfig.of(Map.of("voicebridge.provider", "local")))) {
      assertThat(s.provider()).isEqualTo("local");
    }
  }

  @Test
  void needsNoConfiguration() {
    try (StreamingSynthesizer s = create(Map.of())) {
      assertThat(s.provider()).isEqualTo("local");
    }
  }

  @Test
  void declaresItsCapabilities() {
    try (StreamingSynthesizer s = create(Map.of())) {
      Capabilities c = s.capabilities();
      assertThat(c.streamingInput()).isTrue();
      assertThat(c.wordTimings()).isFalse();
      assertThat(c.network()).isFalse();
      assertThat(c.transports()).containsExactly("local");
      assertThat(c.defaultFormat()).isEqualTo(AudioFormat.pcm(16_000));
      for (int rate : new int[] {8000, 16000, 22050, 24000, 32000, 44100, 48000}) {
        assertThat(c.supports(AudioFormat.pcm(rate))).as("pcm %d", rate).isTrue();
        assertThat(c.supports(AudioFormat.wav(rate))).as("wav %d", rate).isTrue();
        assertThat(c.formats()).contains(AudioFormat.pcm(rate), AudioFormat.wav(rate));
      }
      assertThat(c.supports(AudioFormat.mulaw(8000))).isTrue();
      assertThat(c.supports(AudioFormat.alaw(8000))).isTrue();
      assertThat(c.supports(AudioFormat.mulaw(16000))).isFalse();
      assertThat(c.supports(AudioFormat.mp3(44100))).isFalse();
      assertThat(c.supports(AudioFormat.opus())).isFalse();
      assertThat(c.supports(AudioFormat.pcm(11025))).isFalse();
      assertThat(c.supports(new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 16000, 2))).isFalse();
    }
  }

  @Test
  void anUnknownVoiceIsRefusedListingTheAvailableOnes() {
    assertThatThrownBy(() -> create(Map.of("voicebridge.local.voice", "alice")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.local.voice")
        .hasMessageContaining("alice")
        .hasMessageContaining("kevin16");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                create(
                    Map.of(
                        "voicebridge.local.voice", "alice",
                        "voicebridge.local.response-timeout", "soon",
                        "voicebridge.local.speed", "2")))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.problems()).hasSize(3);
              assertThat(e.problems())
                  .anyMatch(p -> p.contains("voicebridge.local.voice"))
                  .anyMatch(p -> p.contains("voicebridge.local.response-timeout"))
                  .anyMatch(p -> p.contains("voicebridge.local.speed"));
            });
  }

  @Test
  void theResponseTimeoutMustBePositive() {
    assertThatThrownBy(() -> create(Map.of("voicebridge.local.response-timeout", "0s")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("response-timeout")
        .hasMessageContaining("must be positive");
    try (StreamingSynthesizer s = create(Map.of("voicebridge.local.response-timeout", "3s"))) {
      assertThat(s.provider()).isEqualTo("local");
    }
  }

  @Test
  void theTextLimitIsConfigurable() throws Exception {
    try (StreamingSynthesizer s = create(Map.of("voicebridge.local.max-text-chars", "10"))) {
      var session = s.open(SynthesisOptions.defaults());
      session.sendText("Hello world");
      assertThatThrownBy(() -> session.stream().readAllAudio())
          .isInstanceOfSatisfying(
              LimitExceededException.class, e -> assertThat(e.limit()).isEqualTo(10));
    }
    assertThatThrownBy(() -> create(Map.of("voicebridge.local.max-text-chars", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.local.max-text-chars");
  }
}
