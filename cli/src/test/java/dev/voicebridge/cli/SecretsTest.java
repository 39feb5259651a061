package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary key, given every way the CLI accepts one, appears nowhere: not in stdout, stderr, nor
 * any file the CLI writes.
 */
class SecretsTest {
  static final String CANARY = "CANARY-b7e1c0de-9f2a-secret";

  @TempDir Path dir;

  private void assertNoCanary(Cli cli) throws Exception {
    assertThat(cli.all()).doesNotContain(CANARY);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1))
            .as("%s", p)
            .doesNotContain(CANARY);
      }
    }
  }

  @Test
  void aMistypedCommandDoesNotEchoTheKey() throws Exception {
    Cli cli = new Cli();
    int code = cli.run("chek", "-D", "voicebridge.fish.api-key=" + CANARY);
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("chek").contains("voicebridge.fish.api-key=****");
    assertNoCanary(cli);
  }

  @Test
  void aShortKeyIsMaskedToo() {
    Cli cli = new Cli();
    assertThat(cli.run("chek", "-Dvoicebridge.fish.api-key=K")).isEqualTo(Main.USAGE);
    assertThat(cli.err()).doesNotContain("api-key=K").contains("api-key=****");
  }

  @Test
  void anUnknownOptionDoesNotEchoTheKey() throws Exception {
    Cli cli = new Cli();
    int code =
        cli.run(
            "speak",
            "Hi.",
            "--out",
            dir.resolve("x.wav").toString(),
            "--set=voicebridge.smallest.api-key=" + CANARY,
            "--bogus",
            "extra",
            "voicebridge.elevenlabs.api-key=" + CANARY);
    assertThat(code).isEqualTo(Main.USAGE);
    assertNoCanary(cli);
  }

  /** {@code speak} with each vendor adapter, {@code key} as its api-key, at {@code baseUrl}. */
  private void speakWithEachVendor(String key, String baseUrl, int... codes) throws Exception {
    for (String vendor : new String[] {"fish", "elevenlabs", "smallest"}) {
      Cli cli = new Cli();
      int code =
          cli.run(
              "speak",
              "Hi.",
              "--out",
              dir.resolve(vendor + ".wav").toString(),
              "--provider",
              vendor,
              "--verbose",
              "-D",
              "voicebridge." + vendor + ".api-key=" + key,
              "-D",
              "voicebridge." + vendor + ".base-url=" + baseUrl);
      assertThat(code)
          .as("%s: %s", vendor, cli.err())
          .isIn(java.util.Arrays.stream(codes).boxed().toList());
      assertNoCanary(cli);
    }
  }

  /** A loopback port that nothing listens on. */
  private static String closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void aFailedConnectionDoesNotPrintTheKey() throws Exception {
    speakWithEachVendor(CANARY, closedPort(), Main.FAILED);
  }

  @Test
  void aConfigFileKeyIsNeverQuoted() throws Exception {
    Path props = dir.resolve("keys.properties");
    Files.writeString(
        props,
        "voicebridge.provider=fish\nvoicebridge.fish.api-key=" + CANARY + "\n" + CANARY + "\n");
    Cli cli = new Cli();
    int code =
        cli.run(
            "speak", "Hi.", "--out", dir.resolve("x.wav").toString(), "--config", props.toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("line 3");
    assertThat(cli.all()).doesNotContain(CANARY);
  }

  @Test
  void aKeyWithAnInvisibleCharacterIsNotQuoted() throws Exception {
    // a zero-width space pasted with the key: the JDK's "invalid header value" quoted the header
    speakWithEachVendor(CANARY + "\u200b", closedPort(), Main.USAGE, Main.FAILED);
  }

  @Test
  void compareReportsAndMessagesHoldNoKey() throws Exception {
    Cli cli = new Cli();
    Path report = dir.resolve("r.html");
    int code =
        cli.run(
            "compare",
            "--contender",
            "a=fish,api-key=" + CANARY + ",model=s1",
            "--contender",
            "b=smallest,api-key=" + CANARY,
            "-D",
            "voicebridge.elevenlabs.api-key=" + CANARY,
            "--emulate",
            "--emulator-profile",
            "zero",
            "--rounds",
            "1",
            "--report",
            report.toString());
    assertThat(code).as(cli.err()).isZero();
    assertThat(Files.readString(report)).contains("api-key=****");
    assertThat(Files.readString(dir.resolve("r.json"))).contains("\"api-key\": \"****\"");
    assertNoCanary(cli);
  }

  @Test
  void aBadContenderSettingIsQuotedWithoutItsKey() throws Exception {
    Cli cli = new Cli();
    int code =
        cli.run(
            "compare",
            "--contender",
            "a=fish,api-key=" + CANARY + ",oops",
            "--contender",
            "b=fish",
            "--report",
            dir.resolve("r.html").toString());
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("oops");
    assertNoCanary(cli);
  }
}
