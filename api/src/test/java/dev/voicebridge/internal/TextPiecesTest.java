package dev.voicebridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextPiecesTest {

  @Test
  void shortTextsPassWhole() {
    assertThat(TextPieces.split("Hello there.", 20)).containsExactly("Hello there.");
  }

  @Test
  void aLongTextIsCutAtSentenceEndsFirstThenAtSpaces() {
    String text = "One two three. Four five six seven. Eight nine ten eleven twelve.";
    List<String> pieces = TextPieces.split(text, 20);
    assertThat(String.join("", pieces)).isEqualTo(text);
    assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(20));
    assertThat(pieces.get(0)).isEqualTo("One two three. ");
    assertThat(pieces).contains("Four five six ");
  }

  @Test
  void aWordLongerThanAPieceIsCutButNeverInsideASurrogatePair() {
    String word = "a".repeat(9) + "\uD83D\uDE00" + "b".repeat(9);
    List<String> pieces = TextPieces.split(word, 10);
    assertThat(String.join("", pieces)).isEqualTo(word);
    for (String p : pieces) {
      assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse();
      assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
    }
  }

  @Test
  void aHundredKilobytesBecomePiecesOfAtMostTheLimit() {
    String text = "Long answers are read aloud one sentence at a time. ".repeat(2_000);
    List<String> pieces = TextPieces.split(text, TextPieces.MAX_PIECE);
    assertThat(String.join("", pieces)).isEqualTo(text);
    assertThat(pieces).allSatisfy(p -> assertThat(p).endsWith(". "));
    assertThat(pieces.get(0).length()).isLessThanOrEqualTo(TextPieces.MAX_PIECE);
  }
}
