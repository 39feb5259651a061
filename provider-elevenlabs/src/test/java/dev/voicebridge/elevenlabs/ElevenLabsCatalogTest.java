package dev.voicebridge.elevenlabs;

import static dev.voicebridge.elevenlabs.SessionTestSupport.assertCompleted;
import static dev.voicebridge.elevenlabs.SessionTestSupport.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.elevenlabs.internal.ElevenLabsSynthesizer;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The voice catalog ({@code GET /v2/voices}) and prewarm against the emulator. */
class ElevenLabsCatalogTest {
  private EmulatorFixture fixture;

  private EmulatorFixture start(Map<String, String> config) {
    fixture =
        new EmulatorFixture(
            ElevenLabsEmulator.Options.builder().maxConcurrentRequests(64).build(),
            config,
            SynthesisOptions.builder().format(AudioFormat.PCM_16K).build());
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static VoicePage page(EmulatorFixture f, VoiceQuery q) {
    return f.synthesizer().voices(q).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void pagesFollowTheVendorsTokenToTheLastPage() {
    EmulatorFixture f = start(Map.of());
    VoicePage first = page(f, VoiceQuery.all());
    assertThat(first.voices()).as("the vendor's default page size").hasSize(10);
    assertThat(first.nextPageToken()).isPresent();
    VoicePage second = page(f, VoiceQuery.all().withPageToken(first.nextPageToken().get()));
    assertThat(second.voices()).hasSize(2);
    assertThat(second.nextPageToken()).isEmpty();
    List<String> ids = new ArrayList<>();
    first.voices().forEach(v -> ids.add(v.id()));
    second.voices().forEach(v -> ids.add(v.id()));
    assertThat(ids).doesNotHaveDuplicates().hasSize(12);

    Voice ava = first.voices().get(0);
    assertThat(ava.name()).isEqualTo("Ava");
    assertThat(ava.languages()).containsExactly("en");
    assertThat(ava.gender()).contains("female");
    assertThat(ava.accent()).contains("american");
    assertThat(ava.wordTimings()).isTrue();
    assertThat(ava.models()).contains("eleven_flash_v2_5");
    assertThat(ava.previewUrl()).isPresent();
    assertThat(ava.attributes()).containsEntry("category", "premade");
  }

  @Test
  void searchGoesToTheServerAndLanguageIsFilteredOnEachPage() {
    EmulatorFixture f = start(Map.of());
    VoicePage an = page(f, VoiceQuery.builder().search("an").pageSize(100).build());
    assertThat(an.voices()).extracting(Voice::name).containsExactly("Ananya", "Hana");
    VoicePage english = page(f, VoiceQuery.builder().language("en-GB").pageSize(500).build());
    assertThat(english.voices())
        .extracting(Voice::name)
        .as("a page size above the vendor's cap is capped, not refused")
        .containsExactly("Ava", "Noah", "Olivia", "Liam", "Sofia", "Ananya");
  }

  @Test
  void aWrongKeyIsAnAuthenticationErrorThatDoesNotShowTheKey() {
    Map<String, String> m = new HashMap<>();
    m.put("voicebridge.elevenlabs.api-key", "sk-wrong-key-7f3a9c");
    EmulatorFixture f = start(m);
    assertThatThrownBy(() -> page(f, VoiceQuery.all()))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(AuthenticationException.class)
        .message()
        .doesNotContain("sk-wrong-key-7f3a9c");
  }

  @Test
  void aPageIsKeptForTheTtlSoTheServerIsNotAskedAgain() {
    EmulatorFixture f = start(Map.of());
    VoicePage first = page(f, VoiceQuery.all());
    f.emulator.close();
    assertThat(page(f, VoiceQuery.all())).isEqualTo(first);
    assertThatThrownBy(() -> page(f, VoiceQuery.builder().language("fr").build()))
        .as("another query asks the (now stopped) server")
        .cause()
        .isInstanceOf(TransportException.class);
  }

  @Test
  void aZeroTtlAsksEveryTime() {
    EmulatorFixture f = start(Map.of("voicebridge.elevenlabs.voices-cache-ttl", "0s"));
    page(f, VoiceQuery.all());
    f.emulator.close();
    assertThatThrownBy(() -> page(f, VoiceQuery.all()))
        .cause()
        .isInstanceOf(TransportException.class);
  }

  @Test
  void aPrewarmedMultiContextSocketCarriesTheNextSession() throws Exception {
    EmulatorFixture f = start(Map.of("voicebridge.elevenlabs.transport", "multi-context"));
    ElevenLabsSynthesizer s = (ElevenLabsSynthesizer) f.synthesizer();
    s.prewarm(f.options()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(s.multiContextSockets()).isEqualTo(1);
    SynthesisSession session = s.open(f.options());
    RecordingSubscriber rec = subscribe(session);
    session.sendText("Hello there.");
    session.finish();
    assertCompleted(rec);
    assertThat(session.report().connectionReused()).isTrue();
    assertThat(s.multiContextSockets()).isEqualTo(1);
  }

  @Test
  void aPrewarmThatCannotConnectFailsAndLeavesNothing() {
    // the vendor checks the key after the upgrade, so a refused connection is what fails here
    EmulatorFixture f = start(Map.of("voicebridge.elevenlabs.transport", "multi-context"));
    f.emulator.close();
    ElevenLabsSynthesizer s = (ElevenLabsSynthesizer) f.synthesizer();
    assertThatThrownBy(() -> s.prewarm(f.options()).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TransportException.class);
    assertThat(s.multiContextSockets()).isZero();
  }

  @Test
  void anHttpPrewarmChecksTheKey() {
    Map<String, String> m = new HashMap<>();
    m.put("voicebridge.elevenlabs.transport", "http");
    m.put("voicebridge.elevenlabs.api-key", "sk-wrong-key-7f3a9c");
    EmulatorFixture f = start(m);
    assertThatThrownBy(
            () ->
                f.synthesizer()
                    .prewarm(f.options())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(AuthenticationException.class);
  }

  @Test
  void listingAfterCloseThrows() {
    EmulatorFixture f = start(Map.of());
    f.synthesizer().close();
    assertThatThrownBy(() -> f.synthesizer().voices(VoiceQuery.all()))
        .isInstanceOf(IllegalStateException.class);
  }
}
