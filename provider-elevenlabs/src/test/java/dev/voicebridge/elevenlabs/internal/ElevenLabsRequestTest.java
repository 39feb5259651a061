package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.elevenlabs.ElevenLabsOptions;
import dev.voicebridge.elevenlabs.ElevenLabsProvider;
import dev.voicebridge.spi.ProviderContext;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElevenLabsRequestTest {
  private ElevenLabsSynthesizer synth;

  ElevenLabsSynthesizer synth(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("voicebridge.elevenlabs.api-key", "sk-secret-123");
    m.put("voicebridge.elevenlabs.base-url", "https://api.example.test/base/");
    m.putAll(extra);
    synth =
        (ElevenLabsSynthesizer)
            new ElevenLabsProvider()
                .create(ProviderContext.of("elevenlabs", VoicebridgeConfig.of(m)));
    return synth;
  }

  @AfterEach
  void close() {
    if (synth != null) {
      synth.close();
    }
  }

  @Test
  void defaultsGiveStreamInputWithFlashAndPcm24k() {
    ElevenLabsRequest p = synth(Map.of()).plan(SynthesisOptions.defaults());
    assertThat(p.transport()).isEqualTo("websocket");
    assertThat(p.model()).isEqualTo("eleven_flash_v2_5");
    assertThat(p.outputFormat()).isEqualTo("pcm_24000");
    assertThat(p.webSocketUri(URI.create("https://api.example.test/base/")))
        .hasToString(
            "wss://api.example.test/base/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream-input"
                + "?model_id=eleven_flash_v2_5&output_format=pcm_24000&sync_alignment=true");
  }

  @Test
  void everyQueryOptionGoesIntoTheUrlAndTheKeyNever() {
    ElevenLabsRequest p =
        synth(Map.of())
            .plan(
                SynthesisOptions.builder()
                    .voice("v1")
                    .model("eleven_turbo_v2_5")
                    .format(AudioFormat.mulaw(8000))
                    .language("ja-JP")
                    .set(ElevenLabsOptions.AUTO_MODE, true)
                    .set(ElevenLabsOptions.INACTIVITY_TIMEOUT, 180)
                    .set(ElevenLabsOptions.APPLY_TEXT_NORMALIZATION, "off")
                    .set(ElevenLabsOptions.SEED, 4_294_967_295L)
                    .set(ElevenLabsOptions.ENABLE_LOGGING, false)
                    .set(ElevenLabsOptions.ENABLE_SSML_PARSING, true)
                    .set(ElevenLabsOptions.TRANSPORT, "multi-context")
                    .build());
    URI u = p.webSocketUri(URI.create("http://127.0.0.1:1234"));
    assertThat(u)
        .hasToString(
            "ws://127.0.0.1:1234/v1/text-to-speech/v1/multi-stream-input?model_id=eleven_turbo_v2_5"
                + "&output_format=ulaw_8000&auto_mode=true&inactivity_timeout=180"
                + "&sync_alignment=true&apply_text_normalization=off&language_code=ja"
                + "&seed=4294967295&enable_logging=false&enable_ssml_parsing=true");
    assertThat(u.toString()).doesNotContain("sk-secret");
  }

  @Test
  void httpUrls() {
    ElevenLabsSynthesizer s = synth(Map.of());
    ElevenLabsRequest p =
        s.plan(
            SynthesisOptions.builder()
                .voice("v1")
                .set(ElevenLabsOptions.TRANSPORT, "http-timestamps")
                .set(ElevenLabsOptions.ENABLE_LOGGING, true)
                .build());
    assertThat(p.httpUri(URI.create("https://h.test")))
        .hasToString(
            "https://h.test/v1/text-to-speech/v1/stream/with-timestamps?output_format=pcm_24000"
                + "&enable_logging=true");
    ElevenLabsRequest q =
        s.plan(SynthesisOptions.builder().set(ElevenLabsOptions.TRANSPORT, "http").build());
    assertThat(q.httpUri(URI.create("https://h.test")).getPath())
        .isEqualTo("/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../v1/user", "a/b", "x?y", "%2e%2e", "a\u0000", "a b", "..", ""})
  void aHostileVoiceIdFailsBeforeAnyIo(String voice) {
    ElevenLabsSynthesizer s = synth(Map.of());
    SynthesisOptions o = SynthesisOptions.builder().voice(voice).build();
    assertThatThrownBy(() -> s.open(o))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voice");
  }

  @Test
  void anEncodedVoiceIdNeverChangesThePath() {
    ElevenLabsRequest p =
        synth(Map.of()).plan(SynthesisOptions.builder().voice("v:\u00e9@x").build());
    URI u = p.webSocketUri(URI.create("https://h.test"));
    assertThat(u.getRawPath()).isEqualTo("/v1/text-to-speech/v%3A%C3%A9%40x/stream-input");
    assertThat(u.getPath()).startsWith("/v1/text-to-speech/").endsWith("/stream-input");
  }

  @Test
  void elevenV3IsRefusedOnTheWebSocketsOnly() {
    ElevenLabsSynthesizer s = synth(Map.of());
    for (String t : List.of("websocket", "multi-context")) {
      assertThatThrownBy(
              () ->
                  s.open(
                      SynthesisOptions.builder()
                          .model("eleven_v3")
                          .set(ElevenLabsOptions.TRANSPORT, t)
                          .build()))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("eleven_v3")
          .hasMessageContaining("WebSockets");
    }
    assertThat(
            s.plan(
                    SynthesisOptions.builder()
                        .model("eleven_v3")
                        .set(ElevenLabsOptions.TRANSPORT, "http")
                        .build())
                .model())
        .isEqualTo("eleven_v3");
  }

  @Test
  void unsupportedFormatsAndSpeedsAreRefusedUpFront() {
    ElevenLabsSynthesizer s = synth(Map.of());
    assertThatThrownBy(
            () -> s.open(SynthesisOptions.builder().format(AudioFormat.wav(24000)).build()))
        .isInstanceOf(UnsupportedCapabilityException.class);
    assertThatThrownBy(() -> s.open(SynthesisOptions.builder().speed(2.0).build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("0.7..1.2");
    assertThat(s.plan(SynthesisOptions.builder().speed(0.8).build()).voiceSettings().speed())
        .isEqualTo(0.8);
    assertThat(
            s.plan(SynthesisOptions.builder().speed(3.0).set(ElevenLabsOptions.SPEED, 1.2).build())
                .voiceSettings()
                .speed())
        .isEqualTo(1.2);
  }

  @Test
  void badLanguageIsRefused() {
    ElevenLabsSynthesizer s = synth(Map.of());
    assertThatThrownBy(() -> s.open(SynthesisOptions.builder().language("english!").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("language");
    assertThat(
            s.plan(
                    SynthesisOptions.builder()
                        .language("en")
                        .set(ElevenLabsOptions.LANGUAGE_CODE, "DE")
                        .build())
                .languageCode())
        .isEqualTo("de");
  }

  @Test
  void optionValuesAreCheckedWhenSet() {
    SynthesisOptions.Builder b = SynthesisOptions.builder();
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.SPEED, 1.3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("elevenlabs.speed");
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.STABILITY, -0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.CHUNK_LENGTH_SCHEDULE, List.of(120, 40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("50..500");
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.CHUNK_LENGTH_SCHEDULE, List.of(501)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.CHUNK_LENGTH_SCHEDULE, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.INACTIVITY_TIMEOUT, 181))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.INACTIVITY_TIMEOUT, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.APPLY_TEXT_NORMALIZATION, "maybe"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.SEED, -1L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.SEED, 4_294_967_296L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.set(ElevenLabsOptions.TRANSPORT, "carrier-pigeon"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                b.set(
                    ElevenLabsOptions.PRONUNCIATION_DICTIONARIES,
                    List.of(
                        new ElevenLabsOptions.PronunciationDictionary("a", "1"),
                        new ElevenLabsOptions.PronunciationDictionary("b", "1"),
                        new ElevenLabsOptions.PronunciationDictionary("c", "1"),
                        new ElevenLabsOptions.PronunciationDictionary("d", "1"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ElevenLabsOptions.PronunciationDictionary(" ", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    b.set(ElevenLabsOptions.CHUNK_LENGTH_SCHEDULE, List.of(50, 500));
  }

  @Test
  void optionsOfOtherProvidersAndOfOtherTransportsAreWarnings() {
    SynthesisOption<Integer> fish = SynthesisOption.intRange("fish", "chunk-length", 1, 300, "x");
    ElevenLabsRequest p =
        synth(Map.of())
            .plan(
                SynthesisOptions.builder()
                    .set(fish, 100)
                    .set(ElevenLabsOptions.TRANSPORT, "http")
                    .set(ElevenLabsOptions.AUTO_MODE, true)
                    .set(ElevenLabsOptions.NORMALIZED_ALIGNMENT, true)
                    .build());
    assertThat(p.warnings())
        .hasSize(3)
        .anyMatch(w -> w.contains("fish.chunk-length"))
        .anyMatch(w -> w.contains("auto-mode"))
        .anyMatch(w -> w.contains("normalized-alignment"));
    assertThat(p.autoMode()).isNull();
  }

  @Test
  void initMessageReflectsTheOptions() {
    ElevenLabsRequest p =
        synth(Map.of())
            .plan(
                SynthesisOptions.builder()
                    .set(ElevenLabsOptions.STABILITY, 0.4)
                    .set(ElevenLabsOptions.SIMILARITY_BOOST, 0.9)
                    .set(ElevenLabsOptions.STYLE, 0.1)
                    .set(ElevenLabsOptions.USE_SPEAKER_BOOST, true)
                    .set(ElevenLabsOptions.SPEED, 0.7)
                    .set(ElevenLabsOptions.CHUNK_LENGTH_SCHEDULE, List.of(50, 120))
                    .build());
    assertThat(ElevenLabsCodec.init(p))
        .isEqualTo(
            "{\"text\":\" \",\"voice_settings\":{\"stability\":0.4,\"similarity_boost\":0.9,"
                + "\"style\":0.1,\"use_speaker_boost\":true,\"speed\":0.7},"
                + "\"generation_config\":{\"chunk_length_schedule\":[50,120]}}");
  }

  @Test
  void capabilitiesFollowTheConfiguredTransport() {
    assertThat(synth(Map.of()).capabilities().multiplexing()).isFalse();
    synth.close();
    var multi = synth(Map.of("voicebridge.elevenlabs.transport", "multi-context")).capabilities();
    assertThat(multi.multiplexing()).isTrue();
    assertThat(multi.wordTimings()).isTrue();
    assertThat(multi.supports(AudioFormat.mp3(24000))).isFalse();
    synth.close();
    var http = synth(Map.of("voicebridge.elevenlabs.transport", "http")).capabilities();
    assertThat(http.wordTimings()).isFalse();
    assertThat(http.supports(AudioFormat.mp3(24000))).isTrue();
    assertThat(http.supports(http.defaultFormat())).isTrue();
    assertThat(http.supports(AudioFormat.wav(24000))).isFalse();
  }

  @Test
  void keepAlivesComeWellBeforeTheInactivityTimeout() {
    ElevenLabsSynthesizer s = synth(Map.of());
    java.util.function.IntFunction<Long> keepAliveMs =
        t ->
            s.plan(SynthesisOptions.builder().set(ElevenLabsOptions.INACTIVITY_TIMEOUT, t).build())
                    .keepAliveNanos()
                / 1_000_000;
    assertThat(s.plan(SynthesisOptions.defaults()).keepAliveNanos() / 1_000_000).isEqualTo(15_000);
    assertThat(keepAliveMs.apply(1)).isEqualTo(500);
    assertThat(keepAliveMs.apply(10)).isEqualTo(5_000);
    assertThat(keepAliveMs.apply(180)).isEqualTo(135_000);
  }

  @Test
  void openAfterCloseIsRefused() {
    ElevenLabsSynthesizer s = synth(Map.of());
    s.close();
    s.close();
    assertThatThrownBy(() -> s.open(SynthesisOptions.defaults()))
        .isInstanceOf(IllegalStateException.class);
  }
}
