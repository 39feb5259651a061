package dev.voicebridge.fish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.fish.internal.FishSynthesizer;
import dev.voicebridge.spi.ProviderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The voice catalog ({@code GET /model}) and prewarm against the Fish emulator. */
class FishCatalogTest {
  private FishEmulator emulator;
  private final List<StreamingSynthesizer> synths = new ArrayList<>();

  @BeforeEach
  void start() {
    emulator = FishEmulator.start(EmulatorConfig.builder().build());
  }

  @AfterEach
  void stop() {
    synths.forEach(StreamingSynthesizer::close);
    emulator.close();
  }

  private StreamingSynthesizer synth(String key, String transport) {
    StreamingSynthesizer s =
        new FishProvider()
            .create(
                ProviderContext.of(
                    "fish",
                    VoicebridgeConfig.of(
                        Map.of(
                            "voicebridge.fish.api-key",
                            key,
                            "voicebridge.fish.base-url",
                            emulator.baseUrl().toString(),
                            "voicebridge.fish.transport",
                            transport,
                            "voicebridge.fish.response-timeout",
                            "3s"))));
    synths.add(s);
    return s;
  }

  private static VoicePage page(StreamingSynthesizer s, VoiceQuery q) {
    return s.voices(q).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void pagesByNumberToTheLastPage() {
    StreamingSynthesizer s = synth("test-key", "websocket");
    assertThat(s.capabilities().voiceCatalog()).isTrue();
    VoicePage first = page(s, VoiceQuery.all());
    assertThat(first.voices()).hasSize(10);
    assertThat(first.nextPageToken()).contains("2");
    VoicePage second = page(s, VoiceQuery.all().withPageToken("2"));
    assertThat(second.voices()).extracting(Voice::name).containsExactly("Hana", "Lukas");
    assertThat(second.nextPageToken()).isEmpty();

    Voice sofia = first.voices().get(6);
    assertThat(sofia.name()).isEqualTo("Sofia");
    assertThat(sofia.id()).matches("[0-9a-f]{32}");
    assertThat(sofia.languages()).containsExactly("es", "en");
    assertThat(sofia.wordTimings()).isFalse();
    assertThat(sofia.models()).as("a voice model works with every TTS model").isEmpty();
    assertThat(sofia.previewUrl()).isPresent();
  }

  @Test
  void titleAndLanguageGoToTheServer() {
    StreamingSynthesizer s = synth("test-key", "websocket");
    assertThat(page(s, VoiceQuery.builder().language("fr-FR").build()).voices())
        .extracting(Voice::name)
        .containsExactly("Amelie", "Louis");
    assertThat(page(s, VoiceQuery.builder().search("SO").build()).voices())
        .extracting(Voice::name)
        .containsExactly("Sofia");
  }

  @Test
  void aWrongKeyIsAnAuthenticationErrorThatDoesNotShowTheKey() {
    StreamingSynthesizer s = synth("wrong-key-4d1e", "websocket");
    assertThatThrownBy(() -> page(s, VoiceQuery.all()))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(AuthenticationException.class)
        .message()
        .doesNotContain("wrong-key-4d1e");
  }

  @Test
  void aForeignPageTokenIsThrownAtOnce() {
    StreamingSynthesizer s = synth("test-key", "websocket");
    assertThatThrownBy(() -> s.voices(VoiceQuery.all().withPageToken("abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("abc");
  }

  @Test
  void aPrewarmedConnectionCarriesTheNextSession() throws Exception {
    FishSynthesizer s = (FishSynthesizer) synth("test-key", "websocket");
    s.prewarm().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(s.idleConnections()).isEqualTo(1);
    SynthesisSession session = s.open(SynthesisOptions.defaults());
    session.events().subscribe(new dev.voicebridge.conformance.RecordingSubscriber());
    session.sendText("Hello there.");
    session.finish();
    SynthesisReport r = session.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(r.connectionReused()).isTrue();
  }

  @Test
  void anHttpPrewarmChecksTheKey() {
    StreamingSynthesizer s = synth("wrong-key-4d1e", "http");
    assertThatThrownBy(() -> s.prewarm().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(AuthenticationException.class);
  }
}
