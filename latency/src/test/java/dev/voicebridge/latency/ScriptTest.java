package dev.voicebridge.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.FlushEvent;
import dev.voicebridge.TextEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptTest {
  @TempDir Path dir;

  @Test
  void textIsCutIntoWordTokensAtTheRate() {
    Script s = Script.fromText("t", "Hello there, world.", 20);
    assertThat(s.steps()).hasSize(3);
    assertThat(s.steps().get(0).event()).isEqualTo(new TextEvent("Hello"));
    assertThat(s.steps().get(1).event()).isEqualTo(new TextEvent(" there,"));
    assertThat(s.steps().get(0).delay()).isEqualTo(Duration.ZERO);
    assertThat(s.steps().get(2).delay()).isEqualTo(Duration.ofMillis(50));
    assertThat(s.text()).isEqualTo("Hello there, world.");
  }

  @Test
  void builtInsHaveTextAndTheDialogueFlushesEachTurn() {
    assertThat(Script.builtIn()).containsKeys("reply", "paragraph", "dialogue");
    assertThat(Script.dialogue().flushes()).isEqualTo(3);
    assertThat(Script.paragraph().text().length()).isGreaterThan(200);
  }

  @Test
  void jsonLinesFiles() throws Exception {
    Path f = dir.resolve("llm.jsonl");
    Files.writeString(
        f,
        "# a comment\n{\"token\": \"Hi\", \"delay_ms\": 0}\n{\"token\": \" there\\n\", \"delay_ms\": 33.5}\n\n{\"flush\": true}\n");
    Script s = Script.fromFile(f, 10);
    assertThat(s.name()).isEqualTo("llm");
    assertThat(s.steps()).hasSize(3);
    assertThat(s.steps().get(1).delay()).isEqualTo(Duration.ofNanos(33_500_000));
    assertThat(s.steps().get(1).event()).isEqualTo(new TextEvent(" there\n"));
    assertThat(s.steps().get(2).event()).isEqualTo(FlushEvent.INSTANCE);
  }

  @Test
  void plainTextFilesUseTheRate() throws Exception {
    Path f = dir.resolve("story.txt");
    Files.writeString(f, "One two three.");
    Script s = Script.fromFile(f, 4);
    assertThat(s.steps()).hasSize(3);
    assertThat(s.duration()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void badLinesNameTheLine() throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"token\": \"ok\"}\n{\"token\": 5}\n");
    assertThatThrownBy(() -> Script.fromFile(f, 10)).hasMessageContaining("bad.jsonl:2");
    Files.writeString(f, "{\"token\": \"ok\", \"delay_ms\": -1}\n");
    assertThatThrownBy(() -> Script.fromFile(f, 10)).hasMessageContaining("delay_ms");
    Files.writeString(f, "{\"token\": \"unterminated}\n");
    assertThatThrownBy(() -> Script.fromFile(f, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aScriptNeedsText() {
    assertThatThrownBy(() -> Script.fromText("e", "   ", 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
