package dev.voicebridge.text.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples of docs/text.md run, against the local provider, and do what the page says. */
class TextSamplesTest {
  @TempDir Path dir;

  @Test
  void theWrapSamplePrintsEachWordWithTheTextItCameFrom() throws Exception {
    Path lexicon = dir.resolve("lexicon.txt");
    Files.writeString(lexicon, "nginx = engine x\n", StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream before = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      TextSamples.wrap(lexicon);
    } finally {
      System.setOut(before);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains(" Deploy <- Deploy\n")
        .contains(" engine <- nginx\n")
        .contains(" x <- nginx\n")
        .contains(" five <- $5\n")
        .contains(" dollars <- $5\n")
        .contains(" up <- \uD83D\uDC4D\n")
        .doesNotContain("**");
  }

  @Test
  void aSessionCanGoVerbatimAndSpeakablePreviews() {
    try (StreamingSynthesizer tts =
        TextShaping.builder()
            .markdown()
            .build()
            .wrap(StreamingSynthesizers.create("local", VoicebridgeConfig.empty()))) {
      assertThat(TextSamples.perSession(tts)).isEqualTo("Hi ls -l");
    }
  }
}
