package dev.voicebridge.releasecheck;

import static org.assertj.core.api.Assertions.assertThat;

import japicmp.cmp.JApiCmpArchive;
import japicmp.cmp.JarArchiveComparator;
import japicmp.cmp.JarArchiveComparatorOptions;
import japicmp.config.Options;
import japicmp.model.AccessModifier;
import japicmp.model.JApiClass;
import japicmp.output.incompatible.IncompatibleErrorOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * japicmp, configured from the root POM's {@code api-compatibility} execution exactly as
 * japicmp-maven-plugin does: what the build's API guard decides about two jars.
 */
final class ApiGuard {
  private ApiGuard() {}

  /** Throws {@code JApiCmpException} if {@code current} breaks the API of {@code baseline}. */
  static void guard(Reactor.Pom rootPom, Path baseline, Path current) {
    Options options = Options.newDefault();
    options.getOldArchives().add(new JApiCmpArchive(baseline.toFile(), "baseline"));
    options.getNewArchives().add(new JApiCmpArchive(current.toFile(), "current"));
    options.setAccessModifier(
        AccessModifier.valueOf(parameter(rootPom, "accessModifier").toUpperCase()));
    options.setOutputOnlyModifications(Boolean.parseBoolean(parameter(rootPom, "onlyModified")));
    for (String exclude : japicmpList(rootPom, "parameter/excludes/exclude")) {
      options.addExcludeFromArgument(Optional.of(exclude), false);
    }
    options.setErrorOnBinaryIncompatibility(
        Boolean.parseBoolean(parameter(rootPom, "breakBuildOnBinaryIncompatibleModifications")));
    options.setErrorOnSourceIncompatibility(
        Boolean.parseBoolean(parameter(rootPom, "breakBuildOnSourceIncompatibleModifications")));
    options.setErrorOnExclusionIncompatibility(false);
    JarArchiveComparator comparator =
        new JarArchiveComparator(JarArchiveComparatorOptions.of(options));
    List<JApiClass> classes =
        comparator.compare(options.getOldArchives(), options.getNewArchives());
    new IncompatibleErrorOutput(options, classes, comparator).generate();
  }

  static String parameter(Reactor.Pom rootPom, String name) {
    return japicmp(rootPom, "parameter/" + name);
  }

  static String japicmp(Reactor.Pom rootPom, String path) {
    String value = rootPom.text(japicmpPlugin() + "/configuration/" + path);
    assertThat(value).as("japicmp configuration %s in the root POM", path).isNotEmpty();
    return value;
  }

  private static List<String> japicmpList(Reactor.Pom rootPom, String path) {
    return rootPom.texts(japicmpPlugin() + "/configuration/" + path);
  }

  private static String japicmpPlugin() {
    return "/project/build/plugins/plugin[artifactId='japicmp-maven-plugin']";
  }
}
