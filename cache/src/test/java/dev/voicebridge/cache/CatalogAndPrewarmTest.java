package dev.voicebridge.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The catalog and prewarm are the wrapped synthesizer's: an application that turns the cache on
 * (the Spring Boot starter wraps every synthesizer) still lists voices and prewarms connections.
 */
class CatalogAndPrewarmTest {
  final FakeVendor fake = new FakeVendor("fake");
  final VoicePage page = VoicePage.last(List.of());
  final CompletableFuture<Void> warmed = new CompletableFuture<>();
  final List<SynthesisOptions> prewarmed = new CopyOnWriteArrayList<>();

  /** The fake vendor with a catalog and a prewarm the test can recognize. */
  final StreamingSynthesizer vendor =
      new StreamingSynthesizer() {
        @Override
        public String provider() {
          return fake.provider();
        }

        @Override
        public Capabilities capabilities() {
          return fake.capabilities();
        }

        @Override
        public SynthesisSession open(SynthesisOptions options) {
          return fake.open(options);
        }

        @Override
        public CompletionStage<VoicePage> voices(VoiceQuery query) {
          return CompletableFuture.completedFuture(page);
        }

        @Override
        public CompletionStage<Void> prewarm(SynthesisOptions options) {
          prewarmed.add(options);
          return warmed;
        }

        @Override
        public void close() {
          fake.close();
        }
      };

  @Test
  void theCatalogAndPrewarmGoToTheWrappedSynthesizer() throws Exception {
    try (PhraseCache phrases = PhraseCache.inMemory(1 << 20);
        CachingSynthesizer tts = CachingSynthesizer.builder(vendor).cache(phrases).build()) {
      assertThat(tts.voices(VoiceQuery.all()).toCompletableFuture().get()).isSameAs(page);
      SynthesisOptions options = SynthesisOptions.builder().voice("v1").build();
      assertThat(tts.prewarm(options)).isSameAs(warmed);
      assertThat(prewarmed).containsExactly(options);

      // a replayer calls no vendor: no catalog, nothing to prewarm
      StreamingSynthesizer replayer = phrases.replayer(tts);
      assertThatThrownBy(() -> replayer.voices(VoiceQuery.all()))
          .isInstanceOf(UnsupportedCapabilityException.class);
      assertThat(replayer.prewarm().toCompletableFuture().isDone()).isTrue();
      assertThat(prewarmed).hasSize(1);
    }
  }
}
