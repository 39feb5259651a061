package dev.voicebridge.releasecheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import japicmp.exception.JApiCmpException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API guard as the build configures it: japicmp with the parameters of the root POM's {@code
 * api-compatibility} execution, on small libraries compiled here. Removing a public method fails;
 * the same change passes once the baseline is re-recorded; internal packages and compatible
 * additions pass. (docs/compatibility.md; the whole-build demonstration is in its "Proof" section.)
 */
class ApiGuardTest {

  private static final String BASE_CLASS =
      """
      package demo.api;
      public class Voice {
        public String name() { return "kevin"; }
        public int rate() { return 16000; }
      }
      """;
  private static final String BASE_SPI =
      """
      package demo.api;
      public interface Backend {
        void start();
      }
      """;
  private static final String BASE_INTERNAL =
      """
      package demo.internal;
      public class Plumbing {
        public void pump() {}
        public void drain() {}
      }
      """;

  private static Reactor.Pom rootPom;

  @TempDir Path dir;

  @BeforeAll
  static void readTheBuild() {
    rootPom = Reactor.read().rootPom;
  }

  @Test
  void theSameApiPasses() throws IOException {
    Path baseline = library("baseline", BASE_CLASS, BASE_SPI, BASE_INTERNAL);
    Path current = library("current", BASE_CLASS, BASE_SPI, BASE_INTERNAL);

    assertThatCode(() -> ApiGuard.guard(rootPom, baseline, current)).doesNotThrowAnyException();
  }

  @Test
  void removingAPublicMethodFailsUntilTheBaselineIsRecordedAgain() throws IOException {
    Path baseline = library("baseline", BASE_CLASS, BASE_SPI, BASE_INTERNAL);
    String withoutRate = BASE_CLASS.replace("  public int rate() { return 16000; }\n", "");
    assertThat(withoutRate).isNotEqualTo(BASE_CLASS);
    Path current = library("current", withoutRate, BASE_SPI, BASE_INTERNAL);

    assertThatThrownBy(() -> ApiGuard.guard(rootPom, baseline, current))
        .isInstanceOf(JApiCmpException.class)
        .hasMessageContaining("demo.api.Voice");

    // mvn package -Papi-baseline copies the current jar over the baseline: the same change passes.
    Path recorded = library("recorded", withoutRate, BASE_SPI, BASE_INTERNAL);
    assertThatCode(() -> ApiGuard.guard(rootPom, recorded, current)).doesNotThrowAnyException();
  }

  @Test
  void anAbstractMethodAddedToAPublicInterfaceFails() throws IOException {
    Path baseline = library("baseline", BASE_CLASS, BASE_SPI, BASE_INTERNAL);
    String widened = BASE_SPI.replace("  void start();\n", "  void start();\n  void stop();\n");
    Path current = library("current", BASE_CLASS, widened, BASE_INTERNAL);

    assertThatThrownBy(() -> ApiGuard.guard(rootPom, baseline, current))
        .isInstanceOf(JApiCmpException.class)
        .hasMessageContaining("demo.api.Backend");
  }

  @Test
  void additionsAndDefaultMethodsPass() throws IOException {
    Path baseline = library("baseline", BASE_CLASS, BASE_SPI, BASE_INTERNAL);
    String added =
        BASE_CLASS.substring(0, BASE_CLASS.lastIndexOf('}'))
            + "  public int channels() { return 1; }\n}\n";
    String defaulted =
        BASE_SPI.replace("  void start();\n", "  void start();\n  default void stop() {}\n");
    Path current = library("current", added, defaulted, BASE_INTERNAL);

    assertThatCode(() -> ApiGuard.guard(rootPom, baseline, current)).doesNotThrowAnyException();
  }

  @Test
  void internalPackagesAreNotGuarded() throws IOException {
    Path baseline = library("baseline", BASE_CLASS, BASE_SPI, BASE_INTERNAL);
    String narrowed = BASE_INTERNAL.replace("  public void drain() {}\n", "");
    Path current = library("current", BASE_CLASS, BASE_SPI, narrowed);

    assertThatCode(() -> ApiGuard.guard(rootPom, baseline, current)).doesNotThrowAnyException();
  }

  @Test
  void theRootPomBreaksTheBuildOnBinaryAndSourceIncompatibleChanges() {
    assertThat(ApiGuard.parameter(rootPom, "breakBuildOnBinaryIncompatibleModifications"))
        .isEqualTo("true");
    assertThat(ApiGuard.parameter(rootPom, "breakBuildOnSourceIncompatibleModifications"))
        .isEqualTo("true");
    assertThat(ApiGuard.japicmp(rootPom, "oldVersion/file/path"))
        .isEqualTo("${voicebridge.apiBaseline}");
    assertThat(rootPom.text("/project/properties/voicebridge.apiBaseline"))
        .isEqualTo("${voicebridge.apiBaseline.dir}/${project.artifactId}.jar");
  }

  // --- a small library, compiled and jarred

  private Path library(String name, String... sources) throws IOException {
    Path src = Files.createDirectories(dir.resolve(name).resolve("src"));
    Path classes = Files.createDirectories(dir.resolve(name).resolve("classes"));
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
    for (String source : sources) {
      String pkg =
          source.lines().findFirst().orElseThrow().replace("package ", "").replace(";", "");
      String type = source.replaceAll("(?s).*public (?:class|interface) (\\w+).*", "$1");
      Path file = src.resolve(pkg.replace('.', '/')).resolve(type + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source);
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, args.toArray(String[]::new)))
        .as("javac " + name)
        .isZero();
    Path jar = dir.resolve(name + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(f));
        jarOut.closeEntry();
      }
    }
    return jar;
  }
}
