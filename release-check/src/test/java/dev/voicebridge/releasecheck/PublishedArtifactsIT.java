package dev.voicebridge.releasecheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.releasecheck.Reactor.Module;
import dev.voicebridge.releasecheck.Reactor.Pom;
import japicmp.exception.JApiCmpException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javassist.ClassPool;
import javassist.CtClass;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release bundle, checked from the modules' {@code target/} directories after {@code package}
 * (this runs in {@code verify}, after every published module is built): what {@code mvn -Prelease
 * deploy} would hand to Maven Central is complete, licensed, named as docs/compatibility.md says,
 * and the BOM and the docs list exactly the published modules. Each test collects every problem
 * before failing.
 */
class PublishedArtifactsIT {

  private static Reactor reactor;

  @BeforeAll
  static void readTheBuild() {
    reactor = Reactor.read();
  }

  @Test
  void everyModuleIsEitherPublishedOrFullySkipped() {
    SoftAssertions soft = new SoftAssertions();
    assertThat(reactor.publishedJars()).as("published jar modules").isNotEmpty();
    for (Module m : reactor.unpublished()) {
      for (String skip : List.of("japicmp.skip", "maven.source.skip", "maven.javadoc.skip")) {
        soft.assertThat(m.pom.property(skip))
            .as("%s is not published, so its POM sets %s to true", m, skip)
            .contains("true");
      }
      soft.assertThat(reactor.bom().pom.texts("//dependencyManagement//artifactId"))
          .as("the BOM must not list %s, which is not published", m)
          .doesNotContain(m.artifactId());
    }
    String releasing = reactor.read("docs/releasing.md");
    for (Module m : reactor.modules.values()) {
      soft.assertThat(releasing)
          .as("docs/releasing.md says whether %s is published", m)
          .contains("`" + m.artifactId() + "`");
    }
    soft.assertAll();
  }

  @Test
  void theBomListsExactlyThePublishedJars() {
    Pom bom = reactor.bom().pom;
    List<String> listed =
        bom.texts("/project/dependencyManagement/dependencies/dependency/artifactId");
    Set<String> published =
        reactor.publishedJars().stream().map(Module::artifactId).collect(Collectors.toSet());
    assertThat(new TreeSet<>(listed))
        .as("artifacts in bom/pom.xml")
        .isEqualTo(new TreeSet<>(published));
    assertThat(listed).as("each once").doesNotHaveDuplicates();
    assertThat(bom.texts("/project/dependencyManagement/dependencies/dependency/version"))
        .as("versions in the BOM")
        .containsOnly("${project.version}");
    assertThat(bom.text("/project/version")).as("the BOM's version").isEqualTo(reactor.version);
  }

  @Test
  void everyPublishedJarHasItsSourcesAndJavadoc() throws IOException {
    SoftAssertions soft = new SoftAssertions();
    for (Module m : reactor.publishedJars()) {
      Path main = mainJar(m);
      Path sources = m.target(m.artifactId() + "-" + reactor.version + "-sources.jar");
      Path javadoc = m.target(m.artifactId() + "-" + reactor.version + "-javadoc.jar");
      if (!exists(soft, main, m) | !exists(soft, sources, m) | !exists(soft, javadoc, m)) {
        continue;
      }
      Set<String> sourceFiles = entries(sources);
      Path srcMain = m.path.resolve("src/main/java");
      if (!Files.isDirectory(srcMain)) {
        // A jar without classes (the Spring Boot starter): Central still wants both jars, with a
        // README.
        soft.assertThat(sourceFiles)
            .as("%s has no classes: its sources jar explains", m)
            .contains("README.txt");
        soft.assertThat(entries(javadoc))
            .as("%s has no classes: its javadoc jar explains", m)
            .contains("index.html");
        soft.assertThat(exportedPackages(descriptor(main))).as("%s exports nothing", m).isEmpty();
        continue;
      }
      try (Stream<Path> files = Files.walk(srcMain)) {
        for (Path java :
            (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
          String entry = srcMain.relativize(java).toString().replace('\\', '/');
          soft.assertThat(sourceFiles).as("%s: the sources jar has %s", m, entry).contains(entry);
        }
      }
      ModuleDescriptor descriptor = descriptor(main);
      Set<String> docs = entries(javadoc);
      soft.assertThat(docs).as("%s: javadoc jar", m).contains("index.html");
      for (String pkg : exportedPackages(descriptor)) {
        soft.assertThat(docs)
            .as("%s: the javadoc of exported package %s", m, pkg)
            .contains(descriptor.name() + "/" + pkg.replace('.', '/') + "/package-summary.html");
      }
      soft.assertThat(docs.stream().filter(e -> e.contains("/internal/")))
          .as("%s: internal packages are not in the reference", m)
          .isEmpty();
    }
    soft.assertAll();
  }

  @Test
  void theApiJavadocIsAReference() throws IOException {
    Module api = reactor.modules.get("voicebridge-api");
    assertThat(api).as("module voicebridge-api").isNotNull();
    Path javadoc = api.target(api.artifactId() + "-" + reactor.version + "-javadoc.jar");
    try (JarFile jar = new JarFile(javadoc.toFile())) {
      String index = new String(jar.getInputStream(jar.getEntry("index.html")).readAllBytes());
      assertThat(index)
          .as("the overview page (api/src/main/javadoc/overview.html) is the javadoc's front page")
          .contains("StreamingSynthesizers.fromConfig")
          .contains("<pre");
      for (String pkg : exportedPackages(descriptor(mainJar(api)))) {
        String summary = "dev.voicebridge.api/" + pkg.replace('.', '/') + "/package-summary.html";
        String html = new String(jar.getInputStream(jar.getEntry(summary)).readAllBytes());
        assertThat(html)
            .as("%s documents its package (package-info.java)", summary)
            .contains("block");
      }
    }
  }

  @Test
  void everyPublishedJarCarriesTheLicenceAndNotice() throws IOException {
    byte[] licence = Files.readAllBytes(reactor.root.resolve("LICENSE"));
    byte[] notice = Files.readAllBytes(reactor.root.resolve("NOTICE"));
    SoftAssertions soft = new SoftAssertions();
    for (Module m : reactor.publishedJars()) {
      Path main = mainJar(m);
      if (!exists(soft, main, m)) {
        continue;
      }
      try (JarFile jar = new JarFile(main.toFile())) {
        soft.assertThat(bytes(jar, "META-INF/LICENSE"))
            .as("%s: META-INF/LICENSE", m)
            .isEqualTo(licence);
        soft.assertThat(bytes(jar, "META-INF/NOTICE"))
            .as("%s: META-INF/NOTICE", m)
            .isEqualTo(notice);
      }
    }
    soft.assertAll();
  }

  @Test
  void moduleNamesAreTheOnesDocsCompatibilityLists() {
    Map<String, String> documented = documentedModuleNames();
    SoftAssertions soft = new SoftAssertions();
    Map<String, String> actual = new LinkedHashMap<>();
    for (Module m : reactor.publishedJars()) {
      Path main = mainJar(m);
      if (!exists(soft, main, m)) {
        continue;
      }
      ModuleDescriptor d = descriptor(main);
      if (d.isAutomatic()) {
        soft.assertThat(manifestAttribute(main, "Automatic-Module-Name"))
            .as("%s has no module-info, so its manifest names the module", m)
            .isNotNull();
      }
      actual.put(m.artifactId(), d.name());
    }
    soft.assertThat(documented)
        .as("docs/compatibility.md: | `artifact` | `module name` |")
        .isEqualTo(actual);
    soft.assertAll();
  }

  @Test
  void everyPublishedPomNamesLicenceScmDevelopersAndUrl() {
    List<Pom> poms = new ArrayList<>();
    poms.add(reactor.rootPom);
    reactor.modules.values().stream().filter(Module::published).forEach(m -> poms.add(m.pom));
    SoftAssertions soft = new SoftAssertions();
    for (Pom pom : poms) {
      String id = pom.artifactId();
      soft.assertThat(pom.text("/project/name")).as("%s: <name>", id).isNotEmpty();
      soft.assertThat(pom.text("/project/description")).as("%s: <description>", id).isNotEmpty();
      // What the POM does not say itself, it inherits from the root POM (Maven Central reads both).
      Pom source =
          pom.text("/project/licenses").isEmpty()
                  && pom.text("/project/parent/artifactId").equals(reactor.rootPom.artifactId())
              ? reactor.rootPom
              : pom;
      soft.assertThat(source.text("/project/licenses/license/name"))
          .as("%s: licence", id)
          .isEqualTo("Apache-2.0");
      soft.assertThat(source.text("/project/licenses/license/url"))
          .as("%s: licence URL", id)
          .startsWith("https://");
      soft.assertThat(source.text("/project/url")).as("%s: <url>", id).startsWith("https://");
      soft.assertThat(source.text("/project/scm/url"))
          .as("%s: <scm><url>", id)
          .startsWith("https://");
      soft.assertThat(source.text("/project/scm/connection"))
          .as("%s: <scm><connection>", id)
          .startsWith("scm:git:");
      soft.assertThat(source.text("/project/developers/developer/name"))
          .as("%s: <developers>", id)
          .isNotEmpty();
      if (source != pom) {
        // Inherited: without these attributes Maven would append the artifactId to each address.
        soft.assertThat(pom.text("/project/url")).as("%s: inherits <url>", id).isEmpty();
        soft.assertThat(source.projectAttribute("child.project.url.inherit.append.path"))
            .isEqualTo("false");
        soft.assertThat(source.scmAttribute("child.scm.url.inherit.append.path"))
            .isEqualTo("false");
        soft.assertThat(source.scmAttribute("child.scm.connection.inherit.append.path"))
            .isEqualTo("false");
      }
    }
    soft.assertThat(reactor.bom().pom.texts("/project/profiles/profile/id"))
        .as("the BOM is not a child of the root POM, so it carries the release profile itself")
        .contains("release");
    soft.assertAll();
  }

  @Test
  void everyExportedApiHasABaselineAndIsGuarded() {
    SoftAssertions soft = new SoftAssertions();
    for (Module m : reactor.publishedJars()) {
      Path main = mainJar(m);
      if (!exists(soft, main, m)) {
        continue;
      }
      boolean exportsApi = !exportedPackages(descriptor(main)).isEmpty();
      boolean skipped = m.pom.property("japicmp.skip").orElse("false").equals("true");
      if (exportsApi) {
        soft.assertThat(skipped)
            .as("%s exports packages, so japicmp guards it (japicmp.skip)", m)
            .isFalse();
        soft.assertThat(m.path.resolve("api-baseline").resolve(m.artifactId() + ".jar"))
            .as(
                "%s: the recorded API baseline (docs/compatibility.md); record it with"
                    + " `mvn -B -Papi-baseline package -pl %s -am` and commit it",
                m, m.dir)
            .isRegularFile();
      }
    }
    soft.assertAll();
  }

  @Test
  void theRecordedApiBaselineCatchesAPublicMethodRemovedFromTheRealApi(@TempDir Path dir)
      throws Exception {
    Module api = reactor.modules.get("voicebridge-api");
    Path baseline = api.path.resolve("api-baseline").resolve(api.artifactId() + ".jar");
    Path current = mainJar(api);
    // What the build's api-compatibility execution decided for this jar.
    assertThatCode(() -> ApiGuard.guard(reactor.rootPom, baseline, current))
        .doesNotThrowAnyException();

    // The jar just built, with the public method AudioChunk.offset() taken out of its class file.
    Path broken = dir.resolve("broken.jar");
    String entry = "dev/voicebridge/AudioChunk.class";
    try (JarFile in = new JarFile(current.toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(broken))) {
      for (JarEntry e : Collections.list(in.entries())) {
        byte[] bytes = in.getInputStream(e).readAllBytes();
        if (e.getName().equals(entry)) {
          // javassist comes with japicmp
          CtClass type = new ClassPool(true).makeClass(new ByteArrayInputStream(bytes));
          type.removeMethod(type.getDeclaredMethod("offset", new CtClass[0]));
          bytes = type.toBytecode();
        }
        out.putNextEntry(new JarEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
    assertThatThrownBy(() -> ApiGuard.guard(reactor.rootPom, baseline, broken))
        .as("the recorded baseline of voicebridge-api against the jar without AudioChunk.offset()")
        .isInstanceOf(JApiCmpException.class)
        .hasMessageContaining("dev.voicebridge.AudioChunk");
  }

  // --- helpers

  private static Path mainJar(Module m) {
    return m.target(m.artifactId() + "-" + reactor.version + ".jar");
  }

  private static boolean exists(SoftAssertions soft, Path file, Module m) {
    boolean ok = Files.isRegularFile(file);
    soft.assertThat(ok)
        .as("%s: %s exists (run `mvn package` first)", m, reactor.root.relativize(file))
        .isTrue();
    return ok;
  }

  private static Set<String> entries(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.stream().map(e -> e.getName()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static byte[] bytes(JarFile jar, String entry) throws IOException {
    var e = jar.getEntry(entry);
    return e == null ? null : jar.getInputStream(e).readAllBytes();
  }

  private static String manifestAttribute(Path jar, String name) {
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.getManifest() == null ? null : j.getManifest().getMainAttributes().getValue(name);
    } catch (IOException e) {
      throw new AssertionError(jar + ": " + e.getMessage(), e);
    }
  }

  private static ModuleDescriptor descriptor(Path jar) {
    Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
    assertThat(found).as("modules in %s", jar).hasSize(1);
    return found.iterator().next().descriptor();
  }

  private static Set<String> exportedPackages(ModuleDescriptor d) {
    if (d.isAutomatic()) {
      return d.packages().stream().filter(p -> !p.contains("internal")).collect(Collectors.toSet());
    }
    return d.exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The rows {@code | `artifactId` | `module.name` | ...} of docs/compatibility.md. */
  private static Map<String, String> documentedModuleNames() {
    Pattern row =
        Pattern.compile("(?m)^\\|\\s*`(voicebridge-[a-z0-9-]+)`\\s*\\|\\s*`([a-z0-9.]+)`\\s*\\|");
    Matcher matcher = row.matcher(reactor.read("docs/compatibility.md"));
    Map<String, String> out = new LinkedHashMap<>();
    while (matcher.find()) {
      out.put(matcher.group(1), matcher.group(2));
    }
    return Collections.unmodifiableMap(out);
  }
}
