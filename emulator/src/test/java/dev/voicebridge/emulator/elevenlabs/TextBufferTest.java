package dev.voicebridge.emulator.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ElevenLabs emulator: the text buffer rules")
class TextBufferTest {

  @Test
  @DisplayName("the schedule advances after each generation and its last entry repeats")
  void scheduleAdvances() {
    TextBuffer b = new TextBuffer(List.of(60, 80), false, true);
    assertThat(b.offer("a".repeat(59) + " ", false)).hasSize(60);
    assertThat(b.threshold()).isEqualTo(80);
    assertThat(b.offer("b".repeat(69) + " ", false)).isNull();
    assertThat(b.offer("c".repeat(9) + " ", false)).hasSize(80);
    assertThat(b.threshold()).isEqualTo(80);
  }

  @Test
  @DisplayName("the incomplete last word stays buffered; flush takes it")
  void partialWord() {
    TextBuffer b = new TextBuffer(null, false, true);
    assertThat(b.offer("x".repeat(119) + " partial", false)).isEqualTo("x".repeat(119) + " ");
    assertThat(b.buffered()).isEqualTo("partial".length());
    assertThat(b.takeAll()).isEqualTo("partial");
    assertThat(b.takeAll()).isNull();
  }

  @Test
  @DisplayName("auto mode and schedule enforcement off generate at once")
  void autoAndUnenforced() {
    assertThat(new TextBuffer(null, true, true).offer("Hi the", false)).isEqualTo("Hi the");
    assertThat(new TextBuffer(null, false, false).offer("Hi the", false)).isEqualTo("Hi ");
  }

  @Test
  @DisplayName("try_trigger_generation needs 50 buffered characters")
  void tryTrigger() {
    TextBuffer b = new TextBuffer(null, false, true);
    assertThat(b.offer("y".repeat(48) + " ", true)).isNull();
    assertThat(b.offer("z ", true)).hasSize(51);
  }
}
