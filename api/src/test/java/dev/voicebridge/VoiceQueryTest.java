package dev.voicebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoiceQueryTest {
  private static final Voice ARIA =
      Voice.builder("aria-1", "Aria")
          .languages("en", "EN-gb", " ", "en")
          .gender("female")
          .models("m1")
          .previewUrl(URI.create("http://127.0.0.1/aria.mp3"))
          .build();
  private static final Voice KOFI = Voice.builder("kofi", "").languages("fr-FR").build();

  @Test
  void aVoiceKeepsWhatTheVendorSaysAndNothingBlank() {
    assertThat(ARIA.languages()).containsExactly("en", "en-gb");
    assertThat(ARIA.gender()).contains("female");
    assertThat(ARIA.age()).isEmpty();
    assertThat(KOFI.name()).as("a voice without a name is called by its id").isEqualTo("kofi");
    assertThat(KOFI.models()).isEmpty();
    assertThatThrownBy(() -> Voice.builder(" ", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aVoiceSpeaksALanguageByItsPrimarySubtag() {
    assertThat(ARIA.speaks("en")).isTrue();
    assertThat(ARIA.speaks("en-US")).isTrue();
    assertThat(KOFI.speaks("fr")).isTrue();
    assertThat(KOFI.speaks("en")).isFalse();
  }

  @Test
  void matchesAppliesLanguageSearchAndModel() {
    assertThat(VoiceQuery.all().matches(KOFI)).isTrue();
    assertThat(VoiceQuery.builder().language("fr").build().matches(KOFI)).isTrue();
    assertThat(VoiceQuery.builder().language("en").build().matches(KOFI)).isFalse();
    assertThat(VoiceQuery.builder().search("ARI").build().matches(ARIA)).isTrue();
    assertThat(VoiceQuery.builder().search("-1").build().matches(ARIA))
        .as("the id counts too")
        .isTrue();
    assertThat(VoiceQuery.builder().search("zz").build().matches(ARIA)).isFalse();
    assertThat(VoiceQuery.builder().model("m1").build().matches(ARIA)).isTrue();
    assertThat(VoiceQuery.builder().model("m2").build().matches(ARIA)).isFalse();
    assertThat(VoiceQuery.builder().model("m2").build().matches(KOFI))
        .as("a voice whose vendor names no model is not filtered out")
        .isTrue();
    assertThat(VoiceQuery.builder().pageToken("3").pageSize(2).build().matches(KOFI)).isTrue();
  }

  @Test
  void queriesAreValuesAndPagesFollowTokens() {
    VoiceQuery q = VoiceQuery.builder().language("en").pageSize(5).build();
    VoiceQuery next = q.withPageToken("abc");
    assertThat(next.pageToken()).contains("abc");
    assertThat(next.language()).contains("en");
    assertThat(next.pageSize()).hasValue(5);
    assertThat(next).isNotEqualTo(q).isEqualTo(q.withPageToken("abc"));
    assertThat(next.hashCode()).isEqualTo(q.withPageToken("abc").hashCode());
    assertThat(VoiceQuery.builder().language(" ").build()).isEqualTo(VoiceQuery.all());
    assertThat(next.toString()).contains("language=en", "pageSize=5", "pageToken=abc");
  }

  @Test
  void badQueriesAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> VoiceQuery.builder().language("english"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ISO 639");
    assertThatThrownBy(() -> VoiceQuery.builder().pageSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VoiceQuery.builder().pageSize(VoiceQuery.MAX_PAGE_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(VoiceQuery.builder().language("pt-BR").build().language()).contains("pt-BR");
  }

  @Test
  void aPageSaysWhetherAnotherFollows() {
    assertThat(VoicePage.last(List.of(ARIA)).nextPageToken()).isEmpty();
    assertThat(VoicePage.of(List.of(), " ").nextPageToken()).isEmpty();
    assertThat(VoicePage.of(List.of(ARIA, KOFI), "2").nextPageToken()).contains("2");
    assertThat(VoicePage.of(List.of(ARIA), "2")).isEqualTo(VoicePage.of(List.of(ARIA), "2"));
  }

  @Test
  void aSynthesizerWithoutACatalogSaysSoAndPrewarmsNothing() {
    StreamingSynthesizer plain =
        new StreamingSynthesizer() {
          @Override
          public String provider() {
            return "plain";
          }

          @Override
          public Capabilities capabilities() {
            return Capabilities.builder().defaultFormat(AudioFormat.PCM_16K).build();
          }

          @Override
          public SynthesisSession open(SynthesisOptions options) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void close() {}
        };
    assertThat(plain.capabilities().voiceCatalog()).isFalse();
    assertThatThrownBy(() -> plain.voices(VoiceQuery.all()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("[plain]")
        .hasMessageContaining("cannot list its voices");
    assertThat(plain.prewarm().toCompletableFuture()).isCompleted();
  }
}
