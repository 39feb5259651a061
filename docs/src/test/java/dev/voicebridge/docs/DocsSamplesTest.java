package dev.voicebridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java sample in README.md and docs/ is compiled source: each {@code ```java} block must
 * follow a {@code <!-- sample: path#tag -->} line and equal the region between {@code //
 * tag::tag[]} and {@code // end::tag[]} of that file (paths from the repository's root; the file is
 * compiled, and its tests run, by the module that holds it). A page cannot show a Java block that
 * no build compiles.
 */
class DocsSamplesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  static final Pattern MARKER = Pattern.compile("<!-- sample: (\\S+)#(\\S+) -->\\s*\\z");

  static Stream<String> pages() throws IOException {
    List<String> pages = new ArrayList<>();
    pages.add("README.md");
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !p.startsWith(ROOT.resolve("docs/target")))
          .map(p -> ROOT.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .forEach(pages::add);
    }
    return pages.stream();
  }

  @ParameterizedTest
  @MethodSource("pages")
  void everyJavaBlockIsARegionOfCompiledSource(String page) throws IOException {
    String doc = Files.readString(ROOT.resolve(page), StandardCharsets.UTF_8);
    Matcher block = BLOCK.matcher(doc);
    while (block.find()) {
      int line = doc.substring(0, block.start()).split("\n", -1).length;
      Matcher marker =
          MARKER.matcher(doc.substring(Math.max(0, block.start() - 300), block.start()));
      assertThat(marker.find())
          .as(
              "%s:%d: a ```java block without a <!-- sample: path#tag --> line before it",
              page, line)
          .isTrue();
      Path source = ROOT.resolve(marker.group(1));
      assertThat(source).as("%s:%d: the sample's source", page, line).isRegularFile();
      assertThat(block.group(1))
          .as("%s:%d: sample %s#%s", page, line, marker.group(1), marker.group(2))
          .isEqualTo(region(Files.readString(source, StandardCharsets.UTF_8), marker.group(2)));
    }
  }

  /** The lines between the tag's two comments, their common indentation removed. */
  static String region(String source, String tag) {
    String begin = "// tag::" + tag + "[]";
    String end = "// end::" + tag + "[]";
    int b = source.indexOf(begin);
    int e = source.indexOf(end);
    assertThat(b).as("tag %s", tag).isNotNegative();
    assertThat(e).as("end of tag %s", tag).isGreaterThan(b);
    String body = source.substring(source.indexOf('\n', b) + 1, source.lastIndexOf('\n', e) + 1);
    int indent = Integer.MAX_VALUE;
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    // a region ends with a blank line before its end tag in some files: the page's block does not
    return out.toString().replaceAll("\\n+\\z", "\n");
  }
}
