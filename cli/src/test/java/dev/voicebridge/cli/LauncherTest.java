package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code voicebridge} launcher at the repository root, run on a copy of itself with a fake
 * {@code mvn} that behaves like Maven 3.8 in batch mode: it writes terminal reset codes ({@code
 * ESC[0m}) to stdout and stderr even with {@code -Dstyle.color=never}.
 */
class LauncherTest {
  @TempDir Path dir;

  private Path probeJar() throws Exception {
    Path jar = dir.resolve("probe.jar");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
    String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
        InputStream in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  private Process launch(int mvnStatus) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path launcher = repo.resolve("voicebridge");
    Files.copy(Path.of("..", "voicebridge"), launcher);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path mvn = bin.resolve("mvn");
    Files.writeString(
        mvn,
        "#!/bin/sh\n"
            + "printf '\\033[0m\\033[0m'\n"
            + "printf '\\033[0m\\033[0m' >&2\n"
            + "mkdir -p cli/target && cp \"$PROBE_JAR\" cli/target/voicebridge.jar\n"
            + "printf '\\033[0m\\033[0m'\n"
            + "exit "
            + mvnStatus
            + "\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "speak", "Hi.");
    Map<String, String> env = pb.environment();
    env.put("PATH", bin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
    env.put("PROBE_JAR", probeJar().toString());
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }

  private static String read(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void theFirstBuildPrintsNoEscapeCodes() throws Exception {
    Process p = launch(0);
    String out = read(p.getInputStream());
    String err = read(p.getErrorStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(out).isEqualTo("probe ran speak Hi.\n");
    assertThat(err).contains("building the command line").doesNotContain("\u001b");
  }

  @Test
  void aFailedBuildStopsTheLauncher() throws Exception {
    Process p = launch(1);
    String out = read(p.getInputStream());
    p.getErrorStream().transferTo(OutputStream.nullOutputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(out).doesNotContain("probe ran");
  }
}
