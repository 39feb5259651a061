package dev.voicebridge.text.shaping.internal;

import static dev.voicebridge.text.shaping.internal.Splits.assertSplitIndependent;
import static dev.voicebridge.text.shaping.internal.Splits.words;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.text.shaping.Lexicon;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LexiconStageTest {
  static final Lexicon LEXICON =
      Lexicon.builder()
          .add("nginx", "engine x")
          .add("IT", "information technology")
          .add("C++", "see plus plus")
          .add("Node.js", "node J S")
          .add("en-GB", "route", "root")
          .build();

  static Supplier<Pipeline> lexicon(String language) {
    return () -> new Pipeline(List.of(new LexiconStage(LEXICON, language)));
  }

  @Test
  void replacesWholeWordsWithTheirCaseRules() {
    String text = "nginx, NGINX and Nginx's config; nginxes and IT said it (C++ and Node.js).";
    assertThat(assertSplitIndependent(lexicon(null), text).text())
        .isEqualTo(
            "engine x, engine x and engine x's config; nginxes and information technology said"
                + " it (see plus plus and node J S).");
  }

  @Test
  void entriesOfALanguageApplyToItsSessionsOnly() {
    String text = "Take the route home.";
    assertThat(assertSplitIndependent(lexicon("en-GB"), text).text())
        .isEqualTo("Take the root home.");
    assertThat(assertSplitIndependent(lexicon("en-US"), text).text()).isEqualTo(text);
    assertThat(assertSplitIndependent(lexicon(null), text).text()).isEqualTo(text);
  }

  @Test
  void everyWordOfAReplacementPointsAtTheWordItReplaced() {
    String text = "Restart nginx now";
    assertThat(words(assertSplitIndependent(lexicon(null), text), text))
        .containsExactly("Restart=Restart", "engine=nginx", "x=nginx", "now=now");
  }
}
