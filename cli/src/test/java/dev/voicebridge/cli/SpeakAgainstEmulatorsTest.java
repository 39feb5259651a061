package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.audio.Wav;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code speak} with the vendor adapters against the emulators (tone voice, zero latency). */
class SpeakAgainstEmulatorsTest {
  private static List<VendorEmulator> emulators;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    emulators = Emulators.startAll(EmulatorConfig.builder().build());
  }

  @AfterAll
  static void stop() {
    emulators.forEach(VendorEmulator::close);
  }

  private static List<String> vendor(String name) {
    String url = emulators.get(Emulators.VENDORS.indexOf(name)).baseUrl().toString();
    return List.of(
        "--provider",
        name,
        "-D",
        "voicebridge." + name + ".base-url=" + url,
        "-D",
        "voicebridge." + name + ".api-key=test-key");
  }

  private static String[] args(List<String> vendor, String... more) {
    List<String> all = new ArrayList<>(List.of(more));
    all.addAll(vendor);
    return all.toArray(String[]::new);
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void eachVendorSpeaksIntoAWavFile() throws Exception {
    for (String v : Emulators.VENDORS) {
      Cli cli = new Cli();
      Path wav = dir.resolve(v + ".wav");
      int code = cli.run(args(vendor(v), "speak", "Hello there.", "--out", wav.toString()));
      assertThat(code).as("%s: %s", v, cli.err()).isZero();
      byte[] bytes = Files.readAllBytes(wav);
      assertThat(Wav.read(bytes).dataBytes()).isEqualTo(bytes.length - 44L).isPositive();
    }
  }

  @Test
  void deepgramSpeaksTokensOverEachTransport() throws Exception {
    VendorEmulator deepgram = emulators.get(Emulators.VENDORS.indexOf("deepgram"));
    for (String transport : new String[] {"websocket", "http"}) {
      Cli cli = Cli.withStdin("Hello\n from\n the\n tokens.\n\n Then\n more.\n");
      Path wav = dir.resolve("deepgram-" + transport + ".wav");
      int before = deepgram.control().sessions().size();
      int code =
          cli.run(
              args(
                  vendor("deepgram"),
                  "speak",
                  "--tokens",
                  "--out",
                  wav.toString(),
                  "-D",
                  "voicebridge.deepgram.transport=" + transport));
      assertThat(code).as("%s: %s", transport, cli.err()).isZero();
      byte[] bytes = Files.readAllBytes(wav);
      assertThat(Wav.read(bytes).dataBytes()).isEqualTo(bytes.length - 44L).isPositive();
      List<ServerRecord> sent = deepgram.control().sessions();
      List<String> texts =
          sent.subList(before, sent.size()).stream()
              .map(r -> r.text().replaceAll("\\s+", " ").strip())
              .toList();
      if (transport.equals("websocket")) {
        // one socket: a Flush for the empty line, one at the finish
        assertThat(texts).containsExactly("Hello from the tokens. Then more.");
        assertThat(sent.get(before).flushes()).isEqualTo(2);
      } else {
        // REST: one request per sentence, pipelined (the server may see them in either order)
        assertThat(texts).containsExactlyInAnyOrder("Hello from the tokens.", "Then more.");
      }
    }
  }

  @Test
  void timingsWorkForSmallest() {
    Cli cli = new Cli();
    int code =
        cli.run(
            args(
                vendor("smallest"),
                "speak",
                "Hello there, timings.",
                "--out",
                dir.resolve("s.wav").toString(),
                "--timings"));
    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out()).containsPattern("(?m)^\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3} Hello");
    assertThat(cli.err()).doesNotContain("no word timings");
  }

  @Test
  void timingsWorkForElevenLabsOverHttp() {
    timingsForElevenLabsOverHttp("--timings");
  }

  @Test
  void estimatingTimingsStillAsksElevenLabsForItsOwn() {
    String out = timingsForElevenLabsOverHttp("--estimate-timings");
    assertThat(out).doesNotContain("estimated");
  }

  /** speak over ElevenLabs' HTTP transport with {@code option}; returns stdout. */
  private String timingsForElevenLabsOverHttp(String option) {
    List<String> el = new ArrayList<>(vendor("elevenlabs"));
    el.addAll(List.of("-D", "voicebridge.elevenlabs.transport=http"));
    Cli cli = new Cli();
    int code =
        cli.run(
            args(
                el,
                "speak",
                "Hello there, timings.",
                "--out",
                dir.resolve("e.wav").toString(),
                option));
    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out()).containsPattern("(?m)^\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3} Hello");
    return cli.out();
  }

  @Test
  void cartesiaSpeaksTokensWithTimingsOverEachTransport() throws Exception {
    for (String transport : List.of("websocket", "sse", "bytes")) {
      List<String> c = new ArrayList<>(vendor("cartesia"));
      c.addAll(List.of("-D", "voicebridge.cartesia.transport=" + transport));
      Cli cli = Cli.withStdin("Hello there,\n timings.\n\nA second turn.\n");
      Path wav = dir.resolve("c-" + transport + ".wav");
      int code = cli.run(args(c, "speak", "--tokens", "--out", wav.toString(), "--timings"));
      assertThat(code).as("%s: %s", transport, cli.err()).isZero();
      byte[] bytes = Files.readAllBytes(wav);
      assertThat(Wav.read(bytes).dataBytes()).as(transport).isEqualTo(bytes.length - 44L);
      if (transport.equals("bytes")) {
        assertThat(cli.err())
            .contains(
                "no word timings: cartesia sends them over websocket and sse, not over bytes");
        assertThat(cli.out()).doesNotContainPattern("\\d+\\.\\d{3} Hello");
      } else {
        // both turns, the second one (after the flush) later on the same timeline
        assertThat(cli.out())
            .as(transport)
            .containsPattern(
                "(?ms)^\\s+0\\.000\\s+\\d+\\.\\d{3} Hello$.*^\\s+[1-9]\\d*\\.\\d{3}\\s+\\d+\\.\\d{3} turn\\.$");
        assertThat(cli.err()).as(transport).doesNotContain("no word timings");
      }
    }
  }

  @Test
  void timingsSayFishGivesNone() {
    Cli cli = new Cli();
    int code =
        cli.run(
            args(
                vendor("fish"),
                "speak",
                "Hello.",
                "--out",
                dir.resolve("f.wav").toString(),
                "--timings"));
    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.err()).contains("no word timings").contains("fish");
  }

  @Test
  void aWrongKeyLeavesNoFile() throws Exception {
    List<String> fish = new ArrayList<>(vendor("fish"));
    fish.set(fish.size() - 1, "voicebridge.fish.api-key=wrong-key");
    Cli cli = new Cli();
    int code = cli.run(args(fish, "speak", "Hello.", "--out", dir.resolve("k.wav").toString()));
    assertThat(code).isEqualTo(Main.FAILED);
    assertThat(files()).isEmpty();
  }

  @Test
  void aRefusedConnectionLeavesNoFileAndAnExistingOneUntouched() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path wav = dir.resolve("keep.wav");
    Files.writeString(wav, "an earlier recording");
    Cli cli = new Cli();
    int code =
        cli.run(
            "speak",
            "Hello.",
            "--out",
            wav.toString(),
            "--provider",
            "smallest",
            "-D",
            "voicebridge.smallest.base-url=http://127.0.0.1:" + closed,
            "-D",
            "voicebridge.smallest.api-key=test-key");
    assertThat(code).isEqualTo(Main.FAILED);
    assertThat(Files.readString(wav)).isEqualTo("an earlier recording");
    assertThat(files()).containsExactly("keep.wav");
  }
}
