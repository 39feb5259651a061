package dev.voicebridge.smallest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The voice catalog ({@code get_voices}) and prewarm against the Smallest emulator. */
class SmallestCatalogTest {
  private SmallestFixture fixture;

  private SmallestFixture start(String transport, Map<String, String> extra) {
    fixture = new SmallestFixture(transport, SmallestEmulator.Options.defaults(), extra);
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static VoicePage page(SmallestFixture f, VoiceQuery q) {
    return f.synthesizer.voices(q).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void theModelsCatalogComesInOnePageWithLanguagesAsCodes() {
    SmallestFixture f = start("websocket", Map.of());
    VoicePage all = page(f, VoiceQuery.builder().pageSize(5).build());
    assertThat(all.voices()).as("no paging: every voice at once").hasSize(12);
    assertThat(all.nextPageToken()).isEmpty();
    Voice ananya = all.voices().stream().filter(v -> v.id().equals("ananya")).findFirst().get();
    assertThat(ananya.name()).isEqualTo("Ananya");
    assertThat(ananya.languages()).containsExactly("hi", "en");
    assertThat(ananya.models()).containsExactly("lightning_v3.1");
    Voice liam = all.voices().stream().filter(v -> v.id().equals("liam")).findFirst().get();
    assertThat(liam.wordTimings()).as("liam is known to send word timestamps").isTrue();
    assertThat(ananya.wordTimings()).isFalse();
  }

  @Test
  void filtersAreAppliedHereAndTheModelPicksThePath() {
    SmallestFixture f = start("websocket", Map.of());
    assertThat(page(f, VoiceQuery.builder().language("hi").build()).voices())
        .extracting(Voice::name)
        .containsExactly("Ananya", "Arjun");
    VoicePage pro = page(f, VoiceQuery.builder().model("lightning_v3.1_pro").search("lu").build());
    assertThat(pro.voices()).extracting(Voice::name).containsExactly("Lukas");
    assertThat(pro.voices().get(0).models()).containsExactly("lightning_v3.1_pro");
    assertThatThrownBy(() -> f.synthesizer.voices(VoiceQuery.builder().model("lightning").build()))
        .isInstanceOf(UnsupportedCapabilityException.class);
  }

  @Test
  void aWrongKeyIsAnAuthenticationErrorThatDoesNotShowTheKey() {
    SmallestFixture f = start("websocket", Map.of("voicebridge.smallest.api-key", "sk-bad-91ac"));
    assertThatThrownBy(() -> page(f, VoiceQuery.all()))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(AuthenticationException.class)
        .message()
        .doesNotContain("sk-bad-91ac");
  }

  @Test
  void aPrewarmedConnectionCarriesTheNextSession() throws Exception {
    SmallestFixture f = start("websocket", Map.of());
    f.synthesizer.prewarm(f.options()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    SynthesisSession s = f.synthesizer.open(f.options());
    s.events().subscribe(new RecordingSubscriber());
    s.sendText("Hello there.");
    s.finish();
    SynthesisReport r = s.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(r.connectionReused()).isTrue();
  }

  @Test
  void anSsePrewarmChecksTheKey() {
    SmallestFixture f = start("sse", Map.of("voicebridge.smallest.api-key", "sk-bad-91ac"));
    assertThatThrownBy(
            () ->
                f.synthesizer.prewarm(f.options()).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(AuthenticationException.class);
  }
}
