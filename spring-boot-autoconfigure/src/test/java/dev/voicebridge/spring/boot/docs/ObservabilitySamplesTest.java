package dev.voicebridge.spring.boot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java samples of the docs are the compiled sources: each block after a {@code <!-- sample:
 * path#tag -->} line in a docs page must equal the region between {@code // tag::tag[]} and {@code
 * // end::tag[]} of that source file (paths from the repository root).
 */
class DocsSamplesTest {
  static final Path ROOT = Path.of("..");
  static final Pattern MARKER =
      Pattern.compile("<!-- sample: (\\S+)#(\\S+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  @ParameterizedTest
  @ValueSource(strings = {"docs/observability.md", "docs/spring-boot.md", "docs/guice.md"})
  void everyJavaSampleOfThePageIsCompiledSource(String page) throws Exception {
    String doc = Files.readString(ROOT.resolve(page), StandardCharsets.UTF_8);
    Matcher m = MARKER.matcher(doc);
    List<String> checked = new ArrayList<>();
    while (m.find()) {
      String source = Files.readString(ROOT.resolve(m.group(1)), StandardCharsets.UTF_8);
      assertThat(m.group(3))
          .as("%s: sample %s#%s", page, m.group(1), m.group(2))
          .isEqualTo(region(source, m.group(2)));
      checked.add(m.group(2));
    }
    assertThat(checked).as("samples in %s", page).isNotEmpty();
    // every ```java block is a checked sample
    int blocks = doc.split("```java", -1).length - 1;
    assertThat(blocks)
        .as("java blocks in %s that are not checked samples", page)
        .isEqualTo(checked.size());
  }

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
    return out.substring(0, out.length() - 1);
  }

  @Test
  void theMetricsSampleRecordsASession() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (StreamingSynthesizer tts =
        ObservabilitySamples.metricsOnly(
            VoicebridgeConfig.of(Map.of("voicebridge.provider", "local")), meters)) {
      try (SynthesisStream s = tts.synthesize("Sampled.")) {
        s.readAllAudio();
      }
    }
    assertThat(meters.get("voicebridge.session").timer().count()).isEqualTo(1);
  }
}
