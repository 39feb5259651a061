package dev.voicebridge.emulator.smallest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Smallest emulator: the server-side text buffer")
class TextBufferTest {

  @Test
  @DisplayName("text is held until a sentence end followed by whitespace")
  void sentenceEnd() {
    TextBuffer b = new TextBuffer();
    assertThat(b.append("Hello")).isEmpty();
    assertThat(b.append(" world.")).isEmpty();
    assertThat(b.hasText()).isTrue();
    assertThat(b.append(" Next")).isEqualTo("Hello world.");
    assertThat(b.drain()).isEqualTo(" Next");
    assertThat(b.hasText()).isFalse();
  }

  @Test
  @DisplayName("decimals stay together; CJK and Devanagari terminators release at once")
  void decimalsAndCjk() {
    TextBuffer b = new TextBuffer();
    assertThat(b.append("Pi is 3.")).isEmpty();
    assertThat(b.append("14 ok")).isEmpty();
    assertThat(b.drain()).isEqualTo("Pi is 3.14 ok");
    assertThat(b.append("你好。再")).isEqualTo("你好。");
    assertThat(b.append("नमस्ते।")).isEqualTo("再नमस्ते।");
  }

  @Test
  @DisplayName("a long text without a sentence end is cut at whitespace near 250 characters")
  void longText() {
    TextBuffer b = new TextBuffer();
    String released = b.append("word ".repeat(60));
    assertThat(released).hasSizeLessThanOrEqualTo(TextBuffer.MAX_CHARS).endsWith(" ");
    assertThat(released + b.drain()).isEqualTo("word ".repeat(60));
  }

  @Test
  @DisplayName("a long release is cut into requests of at most 250 characters that add up to it")
  void pieces() {
    assertThat(TextBuffer.pieces("Short. Text.")).containsExactly("Short. Text.");
    String sentence = "A sentence of exactly forty characters. ";
    String text = sentence.repeat(20).strip();
    List<String> pieces = TextBuffer.pieces(text);
    assertThat(String.join("", pieces)).isEqualTo(text);
    assertThat(pieces.get(0)).isEqualTo(sentence.repeat(6));
    assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(250));
    String words = "word ".repeat(100).strip();
    assertThat(String.join("", TextBuffer.pieces(words))).isEqualTo(words);
    assertThat(TextBuffer.pieces(words).get(0)).endsWith("word ");
    String emoji = "x" + "😀".repeat(200); // no whitespace, and char 250 starts a pair
    List<String> hard = TextBuffer.pieces(emoji);
    assertThat(String.join("", hard)).isEqualTo(emoji);
    assertThat(hard.get(0)).hasSize(249);
  }
}
