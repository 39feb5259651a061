package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  @TempDir Path dir;
  final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  /** Files in the test directory, temporary ones included. */
  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void assertOneLine(String text) {
    assertThat(text.strip()).as("one line").doesNotContain("\n").doesNotContain("\tat ");
  }

  @Test
  void speakWritesAWavFileWithTheLocalProviderByDefault() throws Exception {
    Path wav = dir.resolve("hello.wav");
    int code = run("speak", "Hello there.", "--out", wav.toString());
    assertThat(code).as(cli.err()).isZero();
    byte[] bytes = Files.readAllBytes(wav);
    WavInfo info = Wav.read(bytes);
    assertThat(info.dataBytes()).isEqualTo(bytes.length - info.dataOffset()).isPositive();
    assertThat(info.bitsPerSample()).isEqualTo(16);
    assertThat(cli.err()).contains("first audio after").contains("done:");
    assertThat(files()).containsExactly("hello.wav");
  }

  @Test
  void sampleRateAndFormatAreHonoured() throws Exception {
    Path ulaw = dir.resolve("hello.wav");
    int code =
        run("speak", "Hi.", "--out", ulaw.toString(), "--format", "mulaw", "--sample-rate", "8000");
    assertThat(code).as(cli.err()).isZero();
    WavInfo info = Wav.read(Files.readAllBytes(ulaw));
    assertThat(info.formatCode()).isEqualTo(Wav.FORMAT_MULAW);
    assertThat(info.sampleRate()).isEqualTo(8000);
  }

  @Test
  void aWavStreamGetsItsSizesFixed() throws Exception {
    Path wav = dir.resolve("stream.wav");
    int code = run("speak", "Hello there.", "--out", wav.toString(), "--format", "wav");
    assertThat(code).as(cli.err()).isZero();
    byte[] bytes = Files.readAllBytes(wav);
    WavInfo info = Wav.read(bytes);
    assertThat(info.dataBytes()).isEqualTo(bytes.length - info.dataOffset()).isPositive();
  }

  @Test
  void emptyTextIsOneClearLine() {
    int code = run("speak", "  ", "--out", dir.resolve("x.wav").toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err().strip()).startsWith("voicebridge: nothing to say");
    assertOneLine(cli.err());
  }

  @Test
  void unknownProviderListsTheKnownOnes() {
    int code = run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--provider", "acme");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("unknown provider 'acme'").contains("local");
    assertThat(cli.err()).doesNotContain("\tat ");
  }

  @Test
  void unsupportedFormatIsAUsageErrorInOneLineAndLeavesNoFile() throws Exception {
    int code = run("speak", "Hi.", "--out", dir.resolve("x.opus").toString(), "--format", "opus");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("[local]").doesNotContain("retryable");
    assertOneLine(cli.err());
    assertThat(files()).isEmpty();
  }

  @Test
  void unwritableOutputIsRefusedBeforeSynthesis() {
    int code = run("speak", "Hi.", "--out", dir.resolve("missing/dir/x.wav").toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("cannot write").contains("no such directory");
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
    assertThat(cli.err()).contains("\tat ");
  }

  @Test
  void providersListsKeys() {
    int code = run("providers");
    assertThat(code).isZero();
    assertThat(cli.out()).contains("local").contains("voicebridge.local.");
  }

  // --- a good Unix tool ---

  @ParameterizedTest
  @ValueSource(strings = {"speak", "providers", "emulate", "compare"})
  void everySubcommandHasHelp(String command) {
    int code = run(command, "--help");
    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out()).startsWith("Usage: voicebridge " + command);
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void versionIsTheProjectVersion() {
    assertThat(run("--version")).isZero();
    assertThat(cli.out().strip()).matches("voicebridge \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    Cli again = new Cli();
    assertThat(again.run("speak", "--version")).isZero();
    assertThat(again.out()).isEqualTo(cli.out());
  }

  @Test
  void anUnknownOptionIsOneLineThatPointsToHelp() {
    int code = run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--loud");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("--loud").contains("voicebridge speak --help");
    assertOneLine(cli.err());
  }

  @Test
  void severalConfigurationProblemsAreOneLine() {
    int code =
        run(
            "speak",
            "Hi.",
            "--out",
            dir.resolve("x.wav").toString(),
            "--provider",
            "fish",
            "-D",
            "voicebridge.fish.base-url=ftp://example",
            "-D",
            "voicebridge.fish.connect-timeout=soon");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err())
        .containsPattern("configuration problems: voicebridge\\.fish\\.")
        .contains("; voicebridge.fish.")
        .doesNotContain("retryable");
    assertOneLine(cli.err());
  }

  @Test
  void anExtensionTheWriterCannotProduceIsRefused() throws Exception {
    int code = run("speak", "Hi.", "--out", dir.resolve("x.flac").toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("x.flac").contains(".wav");
    assertOneLine(cli.err());
    assertThat(files()).isEmpty();
  }

  @Test
  void aFormatTheFileCannotHoldIsRefused() throws Exception {
    int code = run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--format", "mp3");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("mp3").contains(".wav");
    assertOneLine(cli.err());
    assertThat(files()).isEmpty();
  }

  @Test
  void aFormatRateThatContradictsTheSampleRateIsRefused() throws Exception {
    int code =
        run(
            "speak",
            "Hi.",
            "--out",
            dir.resolve("x.wav").toString(),
            "--format",
            "pcm_8000",
            "--sample-rate",
            "16000");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("8000").contains("16000");
    assertOneLine(cli.err());
    assertThat(files()).isEmpty();
    Cli agreeing = new Cli();
    Path ok = dir.resolve("ok.wav");
    assertThat(
            agreeing.run(
                "speak",
                "Hi.",
                "--out",
                ok.toString(),
                "--format",
                "pcm_8000",
                "--sample-rate",
                "8000"))
        .as(agreeing.err())
        .isZero();
    assertThat(Wav.read(Files.readAllBytes(ok)).sampleRate()).isEqualTo(8000);
  }

  @Test
  void aPropertiesFileThatIsNotUtf8NamesTheFileAndTheLine() throws Exception {
    Path props = dir.resolve("latin1.properties");
    byte[] head = "# voices\nvoicebridge.provider=local\n".getBytes(StandardCharsets.US_ASCII);
    byte[] bad =
        "voicebridge.local.voice=kevin16 # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + bad.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bad, 0, all, head.length, bad.length);
    Files.write(props, all);
    int code =
        run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--config", props.toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains(props.toString()).contains("line 3").contains("UTF-8");
    assertOneLine(cli.err());
  }

  @Test
  void aMalformedEscapeNamesTheFileAndTheLine() throws Exception {
    Path props = dir.resolve("bad.properties");
    Files.writeString(props, "voicebridge.provider=local\nvoicebridge.local.voice=\\u12\n");
    int code =
        run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--config", props.toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains(props.toString()).contains("line 2").contains("\\u");
    assertOneLine(cli.err());
  }

  @Test
  void aJsonFileIsNotAPropertiesFile() throws Exception {
    Path json = dir.resolve("config.json");
    Files.writeString(json, "{\n  \"voicebridge.provider\": \"local\"\n}\n");
    int code =
        run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--config", json.toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains(json.toString()).contains("JSON").contains("properties");
    assertOneLine(cli.err());
    assertThat(files()).containsExactly("config.json");
  }

  @Test
  void aLineThatIsNotAKeyAndValueIsRefused() throws Exception {
    Path props = dir.resolve("env.properties");
    Files.writeString(props, "voicebridge.provider=local\nVOICEBRIDGE_LOCAL_VOICE=kevin16\n");
    int code =
        run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--config", props.toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("line 2").contains("voicebridge.local.voice");
    assertOneLine(cli.err());
  }

  @Test
  void aGoodPropertiesFileIsUsed() throws Exception {
    Path props = dir.resolve("good.properties");
    Files.writeString(
        props,
        "# comment\n! another\n\nvoicebridge.provider = local\nvoicebridge.local.max-text-chars:"
            + " \\\n  5\n");
    int code =
        run(
            "speak",
            "Hello there.",
            "--out",
            dir.resolve("x.wav").toString(),
            "--config",
            props.toString());
    assertThat(code).isEqualTo(Main.USAGE); // the limit of 5 characters came from the file
    assertThat(cli.err()).contains("voicebridge.local.max-text-chars");
  }

  @Test
  void aTextFileIsSpoken() throws Exception {
    Path text = dir.resolve("long.txt");
    Files.writeString(text, "Hello from a file.\nIt has two lines.\n");
    Path wav = dir.resolve("file.wav");
    int code = run("speak", "--text-file", text.toString(), "--out", wav.toString());
    assertThat(code).as(cli.err()).isZero();
    assertThat(Wav.read(Files.readAllBytes(wav)).dataBytes()).isPositive();
  }

  @Test
  void aTextFileOfDashIsStdin() throws Exception {
    Cli piped = Cli.withStdin("Hello from standard input.\n");
    Path wav = dir.resolve("stdin.wav");
    int code = piped.run("speak", "--text-file", "-", "--out", wav.toString());
    assertThat(code).as(piped.err()).isZero();
    assertThat(Wav.read(Files.readAllBytes(wav)).dataBytes()).isPositive();
  }

  @Test
  void textComesFromOnePlaceOnly() {
    int code =
        run("speak", "Hi.", "--text-file", "x.txt", "--out", dir.resolve("x.wav").toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertOneLine(cli.err());
  }

  @Test
  void anEmptyTokensInputExitsLikeEmptyText() throws Exception {
    Cli piped = Cli.withStdin("\n  \n\n");
    int code = piped.run("speak", "--tokens", "--out", dir.resolve("t.wav").toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(piped.err().strip()).startsWith("voicebridge: nothing to say");
    assertOneLine(piped.err());
    assertThat(files()).isEmpty();
  }

  @Test
  void tooLongATextNamesTheFullKeyAndHowToRaiseIt() throws Exception {
    Path wav = dir.resolve("long.wav");
    String text = "This sentence is longer than the limit.";
    int code =
        run("speak", text, "--out", wav.toString(), "-D", "voicebridge.local.max-text-chars=10");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err())
        .contains("voicebridge.local.max-text-chars")
        .contains("-D voicebridge.local.max-text-chars=" + text.length())
        .doesNotContain("flush more often");
    assertOneLine(cli.err());
    assertThat(files()).isEmpty();
  }

  @Test
  void tooLongATokenStreamIsToldToFlush() throws Exception {
    Cli piped = Cli.withStdin("This sentence is \nlonger than the limit.\n");
    int code =
        piped.run(
            "speak",
            "--tokens",
            "--out",
            dir.resolve("t.wav").toString(),
            "-D",
            "voicebridge.local.max-text-chars=20");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(piped.err())
        .contains("voicebridge.local.max-text-chars")
        .contains("empty line")
        .contains("-D voicebridge.local.max-text-chars=");
    assertOneLine(piped.err());
    assertThat(files()).isEmpty();
  }

  @Test
  void timingsSayWhenTheProviderGivesNone() {
    int code = run("speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--timings");
    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.err())
        .contains("no word timings")
        .contains("local")
        .contains("--estimate-timings");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void estimatedTimingsForAProviderThatGivesNone() {
    int code =
        run(
            "speak",
            "Hello there, dear listener.",
            "--out",
            dir.resolve("e.wav").toString(),
            "--estimate-timings");
    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.err()).doesNotContain("no word timings");
    List<String> lines = cli.out().lines().toList();
    assertThat(lines).hasSize(4).allMatch(l -> l.endsWith("\testimated"));
    assertThat(lines.get(0)).contains("Hello");
    assertThat(lines.get(3)).contains("listener");
    double previousEnd = 0;
    for (String l : lines) {
      String[] f = l.trim().split("\\s+");
      double start = Double.parseDouble(f[0]);
      double end = Double.parseDouble(f[1]);
      assertThat(start).as(l).isGreaterThanOrEqualTo(previousEnd - 1e-9);
      assertThat(end).as(l).isGreaterThan(start);
      previousEnd = end;
    }
  }

  @Test
  void aFailedSpeakLeavesAnExistingFileUntouched() throws Exception {
    Path wav = dir.resolve("keep.wav");
    Files.writeString(wav, "an earlier recording");
    int code =
        run(
            "speak",
            "A text longer than the limit.",
            "--out",
            wav.toString(),
            "-D",
            "voicebridge.local.max-text-chars=5");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(Files.readString(wav)).isEqualTo("an earlier recording");
    assertThat(files()).containsExactly("keep.wav");
  }
}
