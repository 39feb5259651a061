package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordChunkerTest {

  @Test
  void tokensThatEndMidWordAreHeldUntilTheWordCompletes() {
    WordChunker c = new WordChunker();
    assertThat(c.push("Hel")).isNull();
    assertThat(c.holding()).isTrue();
    assertThat(c.push("lo")).isNull();
    assertThat(c.push(" wor")).isEqualTo("Hello ");
    assertThat(c.push("ld")).isNull();
    assertThat(c.drain()).isEqualTo("world ");
    assertThat(c.drain()).isNull();
    assertThat(c.holding()).isFalse();
  }

  @Test
  void everyMessageEndsInExactlyOneSpace() {
    WordChunker c = new WordChunker();
    assertThat(c.push("Hello world. ")).isEqualTo("Hello world. ");
    assertThat(c.push(" How")).isNull();
    assertThat(c.push(" are you?\n")).isEqualTo("How are you? ");
    assertThat(c.push("   ")).isNull();
    assertThat(c.push("Fine\tthanks")).isEqualTo("Fine ");
    assertThat(c.drain()).isEqualTo("thanks ");
  }

  @Test
  void innerWhitespaceIsKept() {
    WordChunker c = new WordChunker();
    assertThat(c.push("a  b\nc d")).isEqualTo("a  b\nc ");
  }
}
