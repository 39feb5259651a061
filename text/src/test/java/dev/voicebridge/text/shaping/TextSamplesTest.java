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

  /** The examples of the transforms table in docs/text.md. */
  @Test
  void theTableOfTransformsSaysWhatTheyDo() {
    assertThat(
            TextShaping.builder()
                .markdown()
                .build()
                .speakable("## Deploy\n- **Run** [the guide](https://x.y)\n", null))
        .isEqualTo("Deploy.\nRun the guide.\n");
    assertThat(TextShaping.builder().nameEmoji().build().speakable("Great job \uD83D\uDC4D!", null))
        .isEqualTo("Great job thumbs up sign!");
    TextShaping urls = TextShaping.builder().urls().build();
    assertThat(urls.speakable("see https://www.example.com/docs/getting-started?x=1", null))
        .isEqualTo("see example dot com slash docs slash getting started");
    assertThat(urls.speakable("jane.doe@example.org", null))
        .isEqualTo("jane dot doe at example dot org");
    TextShaping numbers = TextShaping.builder().englishNumbers().build();
    assertThat(numbers.speakable("$1,234.50", "en-US"))
        .isEqualTo("one thousand two hundred thirty-four dollars and fifty cents");
    assertThat(numbers.speakable("March 15, 2024", null))
        .isEqualTo("March fifteenth, twenty twenty-four");
    assertThat(numbers.speakable("in 1999", null)).isEqualTo("in nineteen ninety-nine");
    assertThat(numbers.speakable("50%", null)).isEqualTo("fifty percent");
    assertThat(numbers.speakable("v2.0.1, 24/7 and 192.168.0.1", null))
        .isEqualTo("v2.0.1, 24/7 and 192.168.0.1");
    assertThat(numbers.speakable("5 Euro", "de")).as("other languages").isEqualTo("5 Euro");
  }
}
