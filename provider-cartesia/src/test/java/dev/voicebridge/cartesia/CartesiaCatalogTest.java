package dev.voicebridge.cartesia;

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
import dev.voicebridge.cartesia.internal.CartesiaSynthesizer;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.cartesia.CartesiaEmulator;
import dev.voicebridge.spi.ProviderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The voice catalog ({@code GET /voices}) and prewarm against the Cartesia emulator. */
class CartesiaCatalogTest {
  private CartesiaEmulator emulator;
  private final List<StreamingSynthesizer> synths = new ArrayList<>();

  @BeforeEach
  void start() {
    emulator = CartesiaEmulator.start(EmulatorConfig.builder().build());
  }

  @AfterEach
  void stop() {
    synths.forEach(StreamingSynthesizer::close);
    emulator.close();
  }

  private StreamingSynthesizer synth(String key, String transport) {
    StreamingSynthesizer s =
        new CartesiaProvider()
            .create(
                ProviderContext.of(
                    "cartesia",
                    VoicebridgeConfig.of(
                        Map.of(
                            "voicebridge.cartesia.api-key",
                            key,
                            "voicebridge.cartesia.base-url",
                            emulator.baseUrl().toString(),
                            "voicebridge.cartesia.transport",
                            transport,
                            "voicebridge.cartesia.response-timeout",
                            "3s"))));
    synths.add(s);
    return s;
  }

  private static VoicePage page(StreamingSynthesizer s, VoiceQuery q) {
    return s.voices(q).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void pagesFollowTheCursorToTheLastPage() {
    StreamingSynthesizer s = synth("test-key", "websocket");
    VoicePage first = page(s, VoiceQuery.builder().pageSize(5).build());
    assertThat(first.voices()).extracting(Voice::name).startsWith("Ava", "Noah").hasSize(5);
    VoicePage second =
        page(
            s,
            VoiceQuery.builder()
                .pageSize(5)
                .build()
                .withPageToken(first.nextPageToken().orElseThrow()));
    assertThat(second.voices()).extracting(Voice::name).startsWith("Louis", "Sofia").hasSize(5);
    VoicePage third =
        page(
            s,
            VoiceQuery.builder()
                .pageSize(5)
                .build()
                .withPageToken(second.nextPageToken().orElseThrow()));
    assertThat(third.voices()).extracting(Voice::name).containsExactly("Hana", "Lukas");
    assertThat(third.nextPageToken()).isEmpty();

    Voice ava = first.voices().get(0);
    assertThat(ava.id()).matches("[0-9a-f-]{36}");
    assertThat(ava.languages()).containsExactly("en");
    assertThat(ava.gender()).as("feminine, in common words").contains("female");
    assertThat(ava.wordTimings()).isTrue();
    assertThat(ava.previewUrl()).isPresent();
  }

  @Test
  void theSearchGoesToTheServerAndTheLanguageIsFilteredHere() {
    StreamingSynthesizer s = synth("test-key", "websocket");
    assertThat(page(s, VoiceQuery.builder().search("bilingual").build()).voices())
        .extracting(Voice::name)
        .containsExactly("Sofia", "Ananya");
    assertThat(page(s, VoiceQuery.builder().language("de").pageSize(100).build()).voices())
        .extracting(Voice::name)
        .containsExactly("Lukas");
  }

  @Test
  void aWrongKeyIsAnAuthenticationErrorThatDoesNotShowTheKey() {
    StreamingSynthesizer s = synth("sk-wrong-cart-12", "websocket");
    assertThatThrownBy(() -> page(s, VoiceQuery.all()))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(AuthenticationException.class)
        .message()
        .doesNotContain("sk-wrong-cart-12");
  }

  @Test
  void aPrewarmedSocketCarriesTheNextSession() throws Exception {
    CartesiaSynthesizer s = (CartesiaSynthesizer) synth("test-key", "websocket");
    s.prewarm().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(s.webSockets()).isEqualTo(1);
    SynthesisSession session = s.open(SynthesisOptions.defaults());
    session.events().subscribe(new RecordingSubscriber());
    session.sendText("Hello there.");
    session.finish();
    SynthesisReport r = session.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(r.connectionReused()).isTrue();
    assertThat(s.webSockets()).isEqualTo(1);
  }

  @Test
  void aPrewarmWithAWrongKeyFailsAndLeavesNoSocket() {
    CartesiaSynthesizer s = (CartesiaSynthesizer) synth("sk-wrong-cart-12", "websocket");
    assertThatThrownBy(() -> s.prewarm().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(AuthenticationException.class);
    assertThat(s.webSockets()).isZero();
  }

  @Test
  void anSsePrewarmChecksTheKey() {
    StreamingSynthesizer s = synth("sk-wrong-cart-12", "sse");
    assertThatThrownBy(() -> s.prewarm().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(AuthenticationException.class);
  }
}
