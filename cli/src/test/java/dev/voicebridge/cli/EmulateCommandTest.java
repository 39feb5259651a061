package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulateCommandTest {
  @TempDir Path dir;

  @Test
  void aPortInUseIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Cli cli = new Cli();
      int code =
          cli.run("emulate", "--voice", "tone", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(code).isEqualTo(Main.USAGE);
      assertThat(cli.err().strip())
          .startsWith("voicebridge: ")
          .contains(Integer.toString(taken.getLocalPort()))
          .contains("in use")
          .contains("--port")
          .doesNotContain("\n")
          .doesNotContain("Exception");
    }
  }

  @Test
  void aStopEndsTheEmulators() throws Exception {
    Cli cli = new Cli();
    java.util.concurrent.CompletableFuture<Integer> code =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> cli.run("emulate", "--voice", "tone", "--profile", "zero"));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> cli.out().contains("Press Ctrl-C to stop.") || code.isDone());
    assertThat(cli.out()).contains("voicebridge.fish.api-key=test-key");
    assertThat(cli.stop.trigger(java.time.Duration.ofSeconds(30))).isTrue();
    assertThat(code.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
  }

  @Test
  void emulateInAFreshJvmPrintsNoSlf4jWarning() throws Exception {
    try (ChildCli child = ChildCli.start(dir, "emulate", "--voice", "tone", "--profile", "zero")) {
      String fish = child.awaitOut(l -> l.strip().startsWith("fish "));
      child.awaitOut(l -> l.startsWith("Press Ctrl-C"));
      // traffic makes Jetty log (and SLF4J look for a provider) if it is going to
      String url = fish.strip().substring("fish".length()).strip();
      Cli cli = new Cli();
      assertThat(
              cli.run(
                  "speak",
                  "Hi.",
                  "--out",
                  dir.resolve("x.wav").toString(),
                  "--provider",
                  "fish",
                  "-D",
                  "voicebridge.fish.base-url=" + url,
                  "-D",
                  "voicebridge.fish.api-key=test-key"))
          .as(cli.err())
          .isZero();
      child.process.destroy();
      child.awaitExit();
      assertThat(child.err()).doesNotContain("SLF4J");
    }
  }
}
