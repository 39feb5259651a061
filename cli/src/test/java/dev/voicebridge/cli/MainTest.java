package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void speakWritesAWavFileWithTheLocalProviderByDefault() throws Exception {
    Path wav = dir.resolve("hello.wav");
    int code = run("speak", "Hello there.", "--out", wav.toString());
    assertThat(code).as(err.toString()).isZero();
    byte[] bytes = Files.readAllBytes(wav);
    WavInfo info = Wav.read(bytes);
    assertThat(info.dataBytes()).isEqualTo(bytes.length - info.dataOffset()).isPositive();
    assertThat(info.bitsPerSample()).isEqualTo(16);
    assertThat(err.toString()).contains("first audio after").contains("done:");
  }

  @Test
  void sampleRateAndFormatAreHonoured() throws Exception {
    Path ulaw = dir.resolve("hello.wav");
    int code =
        run("speak", "Hi.", "--out", ulaw.toString(), "--format", "mulaw", "--sample-rate", "8000");
    assertThat(code).as(err.toString()).isZero();
    WavInfo info = Wav.read(Files.readAllBytes(ulaw));
    assertThat(info.formatCode()).isEqualTo(Wav.FORMAT_MULAW);
    assertThat(info.sampleRate()).isEqualTo(8000);
  }

  @Test
  void emptyTextIsOneClearLine() {
    int code = run("speak", "  ", "--out", dir.resolve("x.wav").toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString().strip())
        .startsWith("voicebridge: nothing to say")
        .doesNotContain("\tat ");
  }

  @Test
  void unknownProviderListsTheKnownOnes() {
    int code = run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--provider", "acme");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("unknown provider 'acme'").contains("local");
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void unsupportedFormatIsRefused() {
    int code = run("speak", "Hi.", "--out", dir.resolve("x.opus").toString(), "--format", "opus");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("[local]");
  }

  @Test
  void unwritableOutputIsRefusedBeforeSynthesis() {
    int code = run("speak", "Hi.", "--out", dir.resolve("missing/dir/x.wav").toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("cannot write").contains("no such directory");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    int code =
        run(
            "speak",
            "Hi.",
            "--out",
            dir.resolve("x.wav").toString(),
            "--provider",
            "acme",
            "--verbose");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("\tat ");
  }

  @Test
  void providersListsKeys() {
    int code = run("providers");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("local").contains("voicebridge.local.");
  }
}
