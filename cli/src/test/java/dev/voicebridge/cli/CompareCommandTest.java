package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code voicebridge compare} with no keys: every vendor's adapter against the embedded emulator.
 */
class CompareCommandTest {
  @TempDir Path dir;

  @Test
  void comparesTheThreeVendorsAgainstTheEmulatorsWithoutKeys() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path report = dir.resolve("out.html");
    int code =
        Main.run(
            new String[] {
              "compare",
              "--providers",
              "fish,elevenlabs,smallest",
              "--script",
              "reply",
              "--rounds",
              "2",
              "--report",
              report.toString(),
              "--emulate",
              "--emulator-profile",
              "zero"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as("stderr: %s", err).isZero();
    String html = Files.readString(report);
    assertThat(html).contains("Emulated").contains("<svg id=\"cdf\"");
    for (String p : new String[] {"fish/cold", "fish/warm", "elevenlabs/cold", "smallest/warm"}) {
      assertThat(html).contains("data-series=\"" + p + "\"");
    }
    String json = Files.readString(dir.resolve("out.json"));
    assertThat(json).doesNotContain("\"outcome\": \"FAILED\"");
    assertThat(out.toString()).contains("fish/cold").contains("smallest/warm");
    assertThat(err.toString()).contains("round 1");
  }

  @Test
  void compareInAFreshJvmPrintsNoSlf4jWarning() throws Exception {
    try (ChildCli child =
        ChildCli.start(
            dir,
            "compare",
            "--providers",
            "fish,smallest",
            "--emulate",
            "--emulator-profile",
            "zero",
            "--rounds",
            "1",
            "--report",
            "r.html")) {
      assertThat(child.awaitExit()).as(child.err()).isZero();
      assertThat(child.err()).doesNotContain("SLF4J");
      assertThat(child.out()).contains("report:");
    }
  }

  @Test
  void oneContenderIsNotAComparison() {
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"compare", "--providers", "fish"},
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("at least two contenders");
  }
}
