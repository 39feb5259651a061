package dev.voicebridge.text.shaping.internal;

import static dev.voicebridge.text.shaping.internal.Splits.assertSplitIndependent;
import static dev.voicebridge.text.shaping.internal.Splits.words;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EmojiStageTest {
  static final Supplier<Pipeline> NAME = () -> new Pipeline(List.of(new EmojiStage(true)));
  static final Supplier<Pipeline> REMOVE = () -> new Pipeline(List.of(new EmojiStage(false)));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "plain", "Plain text, 42 and #1.", "Plain text, 42 and #1.", "Plain text, 42 and #1."),
        Arguments.of(
            "pictograph", "Great job \uD83D\uDC4D!", "Great job thumbs up sign!", "Great job !"),
        Arguments.of(
            "touching words", "great\uD83D\uDC4Djob", "great thumbs up sign job", "great job"),
        Arguments.of("selector", "I \u2764\uFE0F you", "I heavy black heart you", "I  you"),
        Arguments.of("skin tone", "\uD83D\uDC4D\uD83C\uDFFD ok", "thumbs up sign ok", " ok"),
        Arguments.of("flag", "From \uD83C\uDDEF\uD83C\uDDF5.", "From flag of Japan.", "From ."),
        Arguments.of(
            "joined",
            "\uD83D\uDC69\u200D\uD83D\uDCBB codes",
            "woman personal computer codes",
            " codes"),
        Arguments.of("keycap", "Press 1\uFE0F\u20E3 now", "Press 1 now", "Press 1 now"),
        Arguments.of(
            "text symbol",
            "\u00A9 2024 and \u00A9\uFE0F",
            "\u00A9 2024 and copyright sign",
            "\u00A9 2024 and "),
        Arguments.of(
            "two in a row", "\uD83D\uDE00\uD83D\uDE00", "grinning face grinning face", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void namesOrRemovesEmojiTheSameHoweverTheTextIsSplit(
      String name, String text, String named, String removed) {
    assertThat(assertSplitIndependent(NAME, text).text()).isEqualTo(named);
    assertThat(assertSplitIndependent(REMOVE, text).text()).isEqualTo(removed);
  }

  @Test
  void aNameStandsForTheWholeEmoji() {
    String text = "Nice \uD83D\uDC4D\uD83C\uDFFD work";
    assertThat(words(assertSplitIndependent(NAME, text), text))
        .containsExactly(
            "Nice=Nice",
            "thumbs=\uD83D\uDC4D\uD83C\uDFFD",
            "up=\uD83D\uDC4D\uD83C\uDFFD",
            "sign=\uD83D\uDC4D\uD83C\uDFFD",
            "work=work");
  }
}
