package dev.voicebridge.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.observe.SessionListeners;
import dev.voicebridge.observe.SessionObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a fallback chain (and an observed synthesizer) does with the catalog and prewarm. */
class FallbackCatalogTest {
  static final AudioFormat PCM = AudioFormat.pcm(16_000);

  /** A synthesizer that records prewarms and answers them with {@link #prewarmError}. */
  static final class Warmable implements StreamingSynthesizer {
    final String name;
    final boolean catalog;
    final List<SynthesisOptions> prewarmed = new CopyOnWriteArrayList<>();
    volatile VoicebridgeException prewarmError;

    Warmable(String name, boolean catalog) {
      this.name = name;
      this.catalog = catalog;
    }

    @Override
    public String provider() {
      return name;
    }

    @Override
    public Capabilities capabilities() {
      return Capabilities.builder()
          .formats(PCM)
          .defaultFormat(PCM)
          .voiceCatalog(catalog)
          .transports("memory")
          .build();
    }

    @Override
    public SynthesisSession open(SynthesisOptions options) {
      throw new UnsupportedOperationException("not used");
    }

    @Override
    public CompletionStage<VoicePage> voices(VoiceQuery query) {
      if (!catalog) {
        return StreamingSynthesizer.super.voices(query);
      }
      return CompletableFuture.completedFuture(
          VoicePage.last(List.of(Voice.builder(name + "-voice", name).build())));
    }

    @Override
    public CompletionStage<Void> prewarm(SynthesisOptions options) {
      prewarmed.add(options);
      return prewarmError == null
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(prewarmError);
    }

    @Override
    public void close() {}
  }

  private final Warmable primary = new Warmable("primary", true);
  private final Warmable backup = new Warmable("backup", false);
  private final FallbackSynthesizer chain =
      FallbackSynthesizer.builder()
          .add(primary)
          .add(backup, o -> o.toBuilder().voice("backup-voice").build())
          .build();

  @Test
  void theCatalogIsTheFirstSynthesizersWhoseIdsSessionsName() {
    assertThat(chain.capabilities().voiceCatalog()).isTrue();
    VoicePage page = chain.voices(VoiceQuery.all()).toCompletableFuture().join();
    assertThat(page.voices()).extracting(Voice::id).containsExactly("primary-voice");

    FallbackSynthesizer reversed = FallbackSynthesizer.builder().add(backup).add(primary).build();
    assertThat(reversed.capabilities().voiceCatalog()).isFalse();
    assertThatThrownBy(() -> reversed.voices(VoiceQuery.all()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("[backup]");
  }

  @Test
  void prewarmWarmsTheSynthesizerTheNextSessionStartsOn() {
    chain.prewarm(SynthesisOptions.builder().voice("v1").build()).toCompletableFuture().join();
    assertThat(primary.prewarmed).hasSize(1);
    assertThat(primary.prewarmed.get(0).voice()).contains("v1");
    assertThat(primary.prewarmed.get(0).format()).as("the chain's format is fixed").contains(PCM);
    assertThat(backup.prewarmed).isEmpty();
  }

  @Test
  void aPrewarmThatFailsAsASessionWouldSwitchWarmsTheNextWithItsOptions() {
    primary.prewarmError = new TransportException("primary", "connection refused");
    chain.prewarm(SynthesisOptions.builder().voice("v1").build()).toCompletableFuture().join();
    assertThat(backup.prewarmed).hasSize(1);
    assertThat(backup.prewarmed.get(0).voice()).contains("backup-voice");
  }

  @Test
  void aPrewarmErrorThatWouldEndASessionEndsThePrewarm() {
    InvalidRequestException bad = new InvalidRequestException("primary", 400, null, "bad voice");
    primary.prewarmError = bad;
    CompletableFuture<Void> f = chain.prewarm().toCompletableFuture();
    assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).hasCause(bad);
    assertThat(backup.prewarmed).isEmpty();
  }

  @Test
  void whenEveryPrewarmFailsTheLastErrorCarriesTheOthers() {
    TransportException first = new TransportException("primary", "refused");
    ProviderUnavailableException last =
        new ProviderUnavailableException("backup", 503, null, "HTTP 503");
    primary.prewarmError = first;
    backup.prewarmError = last;
    CompletableFuture<Void> f = chain.prewarm().toCompletableFuture();
    assertThatThrownBy(f::join).hasCause(last);
    assertThat(last.getSuppressed()).containsExactly(first);
  }

  @Test
  void aClosedChainRefusesAtOnce() {
    chain.close();
    assertThatThrownBy(chain::prewarm)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> chain.voices(VoiceQuery.all()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFormatAMemberCannotMakeIsRefusedBeforeAnyPrewarm() {
    assertThatThrownBy(
            () -> chain.prewarm(SynthesisOptions.builder().format(AudioFormat.mp3(44_100)).build()))
        .isInstanceOf(UnsupportedCapabilityException.class);
    assertThat(primary.prewarmed).isEmpty();
  }

  @Test
  void anObservedSynthesizerHandsCatalogAndPrewarmToItsProvider() {
    StreamingSynthesizer observed =
        SessionListeners.observe(primary, List.of(info -> SessionObserver.NONE));
    assertThat(observed).isNotSameAs(primary);
    assertThat(observed.voices(VoiceQuery.all()).toCompletableFuture().join().voices())
        .extracting(Voice::id)
        .containsExactly("primary-voice");
    observed.prewarm().toCompletableFuture().join();
    assertThat(primary.prewarmed).hasSize(1);
  }
}
