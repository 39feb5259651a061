package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code speak}: the session is cancelled, the file keeps the audio so far with
 * correct sizes, stderr says so, the exit status is 130. The input is a {@code --tokens} stream
 * that never ends, so the stop always comes while the session is running.
 */
class SpeakInterruptTest {
  @TempDir Path dir;

  private static void assertValidWav(Path wav) throws Exception {
    byte[] bytes = Files.readAllBytes(wav);
    WavInfo info = Wav.read(bytes);
    assertThat(info.dataBytes()).isPositive().isEqualTo(bytes.length - (long) info.dataOffset());
    assertThat(Files.size(wav) - 8).isEqualTo(riffSize(bytes));
  }

  private static long riffSize(byte[] b) {
    return (b[4] & 0xffL) | (b[5] & 0xffL) << 8 | (b[6] & 0xffL) << 16 | (b[7] & 0xffL) << 24;
  }

  private long filesIn(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  @Test
  void aStopFinishesTheFileAndExits130() throws Exception {
    PipedOutputStream feed = new PipedOutputStream();
    Cli cli = new Cli(new PipedInputStream(feed, 1 << 16));
    Path wav = dir.resolve("long.wav");
    CompletableFuture<Integer> code =
        CompletableFuture.supplyAsync(() -> cli.run("speak", "--tokens", "--out", wav.toString()));
    feed.write("Hello there. This is the first turn.\n\n".getBytes(StandardCharsets.UTF_8));
    feed.flush();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> cli.err().contains("first audio after") || code.isDone());
    assertThat(code).as(cli.err()).isNotDone();

    assertThat(cli.stop.trigger(Duration.ofSeconds(30))).as("speak finished its file").isTrue();

    assertThat(code.get(30, TimeUnit.SECONDS)).as(cli.err()).isEqualTo(Main.INTERRUPTED);
    assertThat(cli.err()).contains("interrupted").contains(wav.toString());
    assertValidWav(wav);
    assertThat(filesIn(dir)).isEqualTo(1);
    feed.close();
  }

  @Test
  void aStopBeforeAnyAudioLeavesNoFile() throws Exception {
    PipedOutputStream feed = new PipedOutputStream();
    Cli cli = new Cli(new PipedInputStream(feed));
    cli.stop.trigger(Duration.ZERO); // Ctrl-C already pressed: the session is cancelled at once
    int code = cli.run("speak", "--tokens", "--out", dir.resolve("none.wav").toString());
    assertThat(code).isEqualTo(Main.INTERRUPTED);
    assertThat(cli.err()).contains("interrupted");
    assertThat(filesIn(dir)).isZero();
    feed.close();
  }

  @Test
  void ctrlCInARealProcess() throws Exception {
    Path wav = dir.resolve("signal.wav");
    boolean sigint = ChildCli.Signals.sigintReachesChild();
    try (ChildCli child = ChildCli.start(dir, "speak", "--tokens", "--out", wav.toString())) {
      OutputStream in = child.stdin();
      in.write("Hello there. This is the first turn.\n\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      child.awaitErr(l -> l.startsWith("first audio after"));
      // SIGINT is what Ctrl-C sends; where this test runs with SIGINT ignored (a background
      // job), SIGTERM takes the same path and the JVM's status says which signal it was
      ChildCli.Signals.send(child.process, sigint ? "INT" : "TERM");
      int status = child.awaitExit();
      assertThat(status).as(child.err()).isEqualTo(sigint ? 130 : 143);
      assertThat(child.err()).contains("interrupted").contains("signal.wav");
      assertValidWav(wav);
      assertThat(filesIn(dir)).isEqualTo(1);
    }
  }
}
