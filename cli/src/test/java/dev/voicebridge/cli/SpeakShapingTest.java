package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code speak --markdown} and {@code --lexicon FILE}: what reaches the vendor's emulator. */
class SpeakShapingTest {
  @TempDir Path dir;

  private VendorEmulator emulator;

  @BeforeEach
  void start() {
    emulator = SmallestEmulator.start(EmulatorConfig.builder().build());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private int run(Cli cli, String... more) {
    List<String> all = new ArrayList<>(List.of(more));
    all.addAll(
        List.of(
            "--provider",
            "smallest",
            "-D",
            "voicebridge.smallest.base-url=" + emulator.baseUrl(),
            "-D",
            "voicebridge.smallest.api-key=test-key"));
    return cli.run(all.toArray(String[]::new));
  }

  /** The text the emulator received, white space squashed. */
  private String received() {
    List<ServerRecord> sessions = emulator.control().sessions();
    assertThat(sessions).hasSize(1);
    return sessions.get(0).text().replaceAll("\\s+", " ").strip();
  }

  @Test
  void markdownIsSpokenWithoutItsMarksAndTimingsPointAtTheInput() {
    String text = "## Hello\n**Bold** claim, see [the docs](https://example.com/docs).";
    Cli cli = new Cli();
    int code =
        run(
            cli,
            "speak",
            text,
            "--markdown",
            "--timings",
            "--out",
            dir.resolve("m.wav").toString());
    assertThat(code).as(cli.err()).isZero();
    assertThat(received()).isEqualTo("Hello. Bold claim, see the docs.");
    int bold = text.indexOf("Bold");
    assertThat(cli.out())
        .containsPattern("(?m) Bold\\t\\[" + bold + "," + (bold + 4) + "\\)$")
        .doesNotContain("**")
        .doesNotContain("example.com");
  }

  @Test
  void withoutMarkdownTheMarksReachTheVendor() {
    Cli cli = new Cli();
    int code = run(cli, "speak", "**Bold** claim.", "--out", dir.resolve("p.wav").toString());
    assertThat(code).as(cli.err()).isZero();
    assertThat(received()).isEqualTo("**Bold** claim.");
  }

  @Test
  void aLexiconFileChangesHowWordsAreSaid() throws Exception {
    Path lexicon = dir.resolve("lexicon.txt");
    Files.writeString(lexicon, "# ours\nnginx = engine x\nSQL = sequel\n", StandardCharsets.UTF_8);
    Cli cli = new Cli();
    int code =
        run(
            cli,
            "speak",
            "Nginx speaks SQL, not sql.",
            "--lexicon",
            lexicon.toString(),
            "--out",
            dir.resolve("l.wav").toString());
    assertThat(code).as(cli.err()).isZero();
    assertThat(received()).isEqualTo("engine x speaks sequel, not sql.");
  }

  @Test
  void aBadLexiconIsAUsageErrorNamingTheLineAndWritesNothing() throws Exception {
    Path lexicon = dir.resolve("bad.txt");
    Files.writeString(lexicon, "nginx = engine x\njust words\n", StandardCharsets.UTF_8);
    Cli cli = new Cli();
    Path out = dir.resolve("b.wav");
    int code = run(cli, "speak", "Hi.", "--lexicon", lexicon.toString(), "--out", out.toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("line 2").contains("=");
    assertThat(out).doesNotExist();
    assertThat(emulator.control().sessions()).isEmpty();

    Cli missing = new Cli();
    code =
        run(
            missing,
            "speak",
            "Hi.",
            "--lexicon",
            dir.resolve("none.txt").toString(),
            "--out",
            out.toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(missing.err()).contains("cannot read --lexicon");
  }
}
