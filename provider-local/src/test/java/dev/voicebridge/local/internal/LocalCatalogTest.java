package dev.voicebridge.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The local provider lists its voices and prewarm loads the voice ahead of the first session. */
class LocalCatalogTest {
  @Test
  void listsItsVoiceWithTheQuerysFilters() {
    LocalSynthesizer s = Tts.create();
    try {
      assertThat(s.capabilities().voiceCatalog()).isTrue();
      VoicePage all = s.voices(VoiceQuery.all()).toCompletableFuture().join();
      assertThat(all.voices()).extracting(Voice::id).containsExactly("kevin16");
      assertThat(all.voices().get(0).languages()).containsExactly("en-us");
      assertThat(all.nextPageToken()).isEmpty();
      assertThat(
              s.voices(VoiceQuery.builder().language("fr").build())
                  .toCompletableFuture()
                  .join()
                  .voices())
          .isEmpty();
      assertThat(s.isStarted()).as("listing starts no thread").isFalse();
    } finally {
      s.close();
    }
    assertThatThrownBy(() -> s.voices(VoiceQuery.all())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void prewarmLoadsTheVoiceOnTheWorker() throws Exception {
    LocalSynthesizer s = Tts.create();
    try {
      assertThat(s.isLoaded()).isFalse();
      s.prewarm().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertThat(s.isLoaded()).isTrue();
      assertThatThrownBy(() -> s.prewarm(SynthesisOptions.builder().voice("alan").build()))
          .isInstanceOf(UnsupportedCapabilityException.class);
    } finally {
      s.close();
    }
  }
}
