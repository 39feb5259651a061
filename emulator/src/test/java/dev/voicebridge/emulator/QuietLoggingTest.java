package dev.voicebridge.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An application that starts an emulator without an SLF4J backend (this module's test class path
 * has none) sees no SLF4J warnings on stderr. Runs in a fresh JVM: SLF4J initialises once per class
 * loader, and this JVM's tests have initialised it already.
 */
class QuietLoggingTest {

  /** The fresh JVM's program: start each vendor's emulator, close it, print what it served on. */
  public static void main(String[] args) {
    for (String vendor : Emulators.VENDORS) {
      try (VendorEmulator e = Emulators.start(vendor, EmulatorConfig.defaults())) {
        System.out.println(vendor + " " + e.baseUrl());
      }
    }
  }

  @Test
  void startingTheEmulatorsPrintsNoSlf4jWarnings() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    QuietLoggingTest.class.getName()))
            .redirectErrorStream(false)
            .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stdout = new String(out, StandardCharsets.UTF_8);
    String stderr = new String(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("stderr: %s", stderr).isZero();
    assertThat(stdout).contains("fish http://127.0.0.1:");
    assertThat(stderr).doesNotContain("SLF4J");
  }
}
