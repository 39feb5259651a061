package dev.voicebridge.text.shaping.internal;

import static dev.voicebridge.text.shaping.internal.Splits.assertSplitIndependent;
import static dev.voicebridge.text.shaping.internal.Splits.words;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.text.shaping.Lexicon;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every transform at once, in the order a session applies them. */
class ChainTest {
  static final Lexicon LEXICON =
      Lexicon.builder().add("nginx", "engine x").add("SQL", "sequel").build();
  static final Supplier<Pipeline> ALL =
      () ->
          new Pipeline(
              List.of(
                  new MarkdownStage(true),
                  new EmojiStage(true),
                  new UrlStage(),
                  new LexiconStage(LEXICON, "en"),
                  new NumberStage("en")));

  static final String REPLY =
      "## Deploy in 3 steps \uD83D\uDE80\n"
          + "1. Install **nginx** (see [the guide](https://nginx.org/en/docs/)).\n"
          + "2. Run `sudo systemctl start nginx` at 9:30 am.\n"
          + "three. Mail ops@example.com if it costs more than $1,200.\n"
          + "\n"
          + "| step | time |\n"
          + "|------|-----:|\n"
          + "| SQL  | 5%   |\n"
          + "\n"
          + "```sh\n"
          + "curl https://example.com/health\n"
          + "```\n"
          + "Done on March 3, 2025 \uD83D\uDC4D\uD83C\uDFFD!";

  @Test
  void aWholeReplyReadsTheSameHoweverItIsSplit() {
    Annotated out = assertSplitIndependent(ALL, REPLY);
    assertThat(out.text())
        .isEqualTo(
            "Deploy in three steps rocket.\n"
                + "one. Install engine x (see the guide).\n"
                + "two. Run sudo systemctl start engine x at nine thirty am.\n"
                + "three. Mail ops at example dot com if it costs more than one thousand two hundred"
                + " dollars.\n"
                + "\n"
                + "step, time.\n"
                + "\n"
                + "sequel, five percent.\n"
                + "\n"
                + "\n"
                + "curl example dot com slash health\n"
                + "\n"
                + "Done on March third, twenty twenty-five thumbs up sign!");
    assertThat(words(out, REPLY))
        .contains(
            "three=3",
            "rocket=\uD83D\uDE80",
            "engine=nginx",
            "guide=guide",
            "nine=9:30",
            "ops=ops",
            "at=@",
            "thousand=$1,200",
            "sequel=SQL",
            "five=5%",
            "health=health",
            "third=3",
            "twenty=2025");
  }

  /**
   * Tokens as a model streams them (a space starts a word): each push releases everything but the
   * last word, which may continue, and the marks and white space touching it.
   */
  @Test
  void theChainHoldsOnlyTheWordThatMayContinue() {
    Pipeline p = ALL.get();
    assertThat(p.push("Install **nginx**").text()).isEqualTo("Install ");
    assertThat(p.push(" at").text()).isEqualTo("engine x ");
    assertThat(p.push(" 9:30").text()).isEqualTo("at ");
    assertThat(p.push(" \uD83D\uDE80").text()).isEqualTo("nine thirty ");
    assertThat(p.flush().text()).isEqualTo("rocket");
  }
}
