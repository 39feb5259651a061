package dev.voicebridge.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.deepgram.DeepgramEmulator;
import dev.voicebridge.spi.ProviderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The voice catalog (the TTS models of {@code GET /v1/models}) against the Deepgram emulator. */
class DeepgramCatalogTest {
  private DeepgramEmulator emulator;
  private final List<StreamingSynthesizer> synths = new ArrayList<>();

  @BeforeEach
  void start() {
    emulator = DeepgramEmulator.start(EmulatorConfig.builder().build());
  }

  @AfterEach
  void stop() {
    synths.forEach(StreamingSynthesizer::close);
    emulator.close();
  }

  private StreamingSynthesizer synth(String key, String transport) {
    StreamingSynthesizer s =
        new DeepgramProvider()
            .create(
                ProviderContext.of(
                    "deepgram",
                    VoicebridgeConfig.of(
                        Map.of(
                            "voicebridge.deepgram.api-key",
                            key,
                            "voicebridge.deepgram.base-url",
                            emulator.baseUrl().toString(),
                            "voicebridge.deepgram.transport",
                            transport))));
    synths.add(s);
    return s;
  }

  private static VoicePage page(StreamingSynthesizer s, VoiceQuery q) {
    return s.voices(q).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void everyTtsModelIsAVoiceInOnePage() {
    StreamingSynthesizer s = synth("test-key", "websocket");
    VoicePage all = page(s, VoiceQuery.all());
    assertThat(all.voices()).hasSize(12);
    assertThat(all.nextPageToken()).isEmpty();
    Voice ava = all.voices().get(0);
    assertThat(ava.id()).isEqualTo("aura-2-ava-en");
    assertThat(ava.name()).isEqualTo("Ava");
    assertThat(ava.languages()).containsExactly("en", "en-us");
    assertThat(ava.gender()).contains("female");
    assertThat(ava.models()).containsExactly("aura-2");
    assertThat(ava.wordTimings()).isFalse();
    assertThat(ava.previewUrl()).isPresent();
  }

  @Test
  void filtersAreAppliedHere() {
    StreamingSynthesizer s = synth("test-key", "websocket");
    assertThat(page(s, VoiceQuery.builder().language("es").build()).voices())
        .extracting(Voice::id)
        .containsExactly("aura-2-sofia-es", "aura-2-mateo-es");
    assertThat(page(s, VoiceQuery.builder().model("aura-1").build()).voices()).isEmpty();
  }

  @Test
  void aWrongKeyIsAnAuthenticationErrorThatDoesNotShowTheKey() {
    StreamingSynthesizer s = synth("dg-wrong-key-33", "websocket");
    assertThatThrownBy(() -> page(s, VoiceQuery.all()))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(AuthenticationException.class)
        .message()
        .doesNotContain("dg-wrong-key-33");
  }

  @Test
  void anHttpPrewarmChecksTheKey() {
    StreamingSynthesizer s = synth("dg-wrong-key-33", "http");
    assertThatThrownBy(() -> s.prewarm().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(AuthenticationException.class);
    synth("test-key", "http").prewarm().toCompletableFuture().join();
  }
}
