package dev.voicebridge.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  static final SynthesisOptions PCM =
      SynthesisOptions.builder().format(AudioFormat.PCM_16K).build();

  private static ComparisonResult compare(long aMs, long bMs, int rounds, List<String> progress)
      throws Exception {
    return compare(aMs, bMs, rounds, progress, Script.dialogue());
  }

  private static ComparisonResult compare(
      long aMs, long bMs, int rounds, List<String> progress, Script script) throws Exception {
    Random ra = new Random(11);
    Random rb = new Random(22);
    return Comparison.builder()
        .contender(
            new Comparison.Contender(
                "a", () -> new FakeVendor("a", aMs, 20, ra), PCM, Map.of("model", "x")))
        .contender(
            new Comparison.Contender(
                "b", () -> new FakeVendor("b", bMs, 20, rb), PCM, Map.of("model", "y")))
        .script(script)
        .rounds(rounds)
        .seed(5)
        .sleeper(d -> {})
        .progress(progress::add)
        .note("figures from fake vendors")
        .build()
        .run();
  }

  @Test
  void aRealDifferenceNamesTheFasterContender() throws Exception {
    List<String> progress = new ArrayList<>();
    ComparisonResult r = compare(100, 150, 12, progress);
    assertThat(r.runs()).hasSize(12 * 2 * 2);
    assertThat(progress).hasSizeGreaterThanOrEqualTo(48);
    assertThat(r.series()).containsExactly("a/cold", "a/warm", "b/cold", "b/warm");
    List<ComparisonResult.Verdict> v = r.verdicts();
    assertThat(v).hasSize(2);
    for (ComparisonResult.Verdict x : v) {
      assertThat(x.difference().significant()).isTrue();
      assertThat(x.difference().estimate()).isBetween(30.0, 70.0);
      assertThat(x.verdict()).startsWith("a is faster than b by");
    }
    ComparisonResult.Summary s = r.summary("a/cold", RunResult::firstAudioMs);
    assertThat(s.n()).isEqualTo(12);
    assertThat(s.p50()).isBetween(100.0, 120.0);
    assertThat(r.summary("b/warm", rr -> rr.flushMs().isEmpty() ? null : rr.flushMs().get(0)))
        .isNotNull();
  }

  @Test
  void noDifferenceNamesNoWinner() throws Exception {
    ComparisonResult r = compare(120, 120, 12, new ArrayList<>());
    assertThat(r.verdicts())
        .allSatisfy(x -> assertThat(x.verdict()).startsWith("no significant difference"));
  }

  @Test
  void roundsAreInterleavedInASeededOrder() throws Exception {
    ComparisonResult r = compare(100, 100, 6, new ArrayList<>());
    List<String> order = r.runs().stream().filter(x -> !x.warm()).map(RunResult::label).toList();
    assertThat(order)
        .containsExactlyInAnyOrderElementsOf(
            List.of("a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b"));
    for (int round = 0; round < 6; round++) {
      assertThat(order.subList(round * 2, round * 2 + 2)).containsExactlyInAnyOrder("a", "b");
    }
    assertThat(order)
        .isNotEqualTo(List.of("a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b"));
    ComparisonResult again = compare(100, 100, 6, new ArrayList<>());
    assertThat(again.runs().stream().filter(x -> !x.warm()).map(RunResult::label).toList())
        .isEqualTo(order);
  }

  @Test
  void theReportsHoldEveryRunAndTheCharts() throws Exception {
    ComparisonResult r = compare(100, 150, 5, new ArrayList<>());
    String html = Reports.html(r);
    assertThat(html).contains("<svg id=\"cdf\"").contains("<svg id=\"timeline\"");
    assertThat(html.split("class=\"series\"", -1)).hasSize(5);
    assertThat(html).contains("class=\"chunk\"").contains("figures from fake vendors");
    assertThat(html).doesNotContain("<script").doesNotContain("https://").doesNotContain("@import");
    String json = Reports.json(r);
    assertThat(json.split("\"label\": \"a\", \"round\"", -1)).hasSize(11);
    assertThat(json).contains("\"seed\": 5").contains("\"machine\"").contains("\"verdicts\"");
  }

  @Test
  void theSlowerContenderIsNamedWhicheverOrderTheyCameIn() throws Exception {
    ComparisonResult r = compare(150, 100, 8, new ArrayList<>());
    assertThat(r.verdicts())
        .allSatisfy(x -> assertThat(x.verdict()).startsWith("b is faster than a by"));
  }

  @Test
  void statisticsRowsWithoutValuesAreLeftOut() throws Exception {
    String withoutFlushes = Reports.html(compare(100, 150, 3, new ArrayList<>(), Script.reply()));
    assertThat(withoutFlushes)
        .contains("<td>first audio (ms)</td>")
        .doesNotContain("<td>first audio after first flush (ms)</td>")
        .doesNotContain("<td>0</td><td>0</td><td>-</td>");
    String withFlushes = Reports.html(compare(100, 150, 3, new ArrayList<>()));
    assertThat(withFlushes).contains("<td>first audio after first flush (ms)</td>");
  }

  @Test
  void aSeriesThatNeverCompletedStillShowsItsFailures() {
    List<RunResult> runs = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (String label : List.of("a", "b")) {
        runs.add(
            new RunResult(
                label, round, false, "FAILED", "boom", null, false, null, List.of(), null, null,
                null, 0, null, 0, 0, 0, List.of()));
      }
    }
    ComparisonResult r =
        new ComparisonResult(
            List.of(
                new ComparisonResult.ContenderInfo("a", Map.of()),
                new ComparisonResult.ContenderInfo("b", Map.of())),
            Script.reply(),
            3,
            1,
            java.time.Instant.EPOCH,
            java.time.Duration.ZERO,
            "",
            runs);
    assertThat(Reports.html(r))
        .contains("<td>first audio (ms)</td><td>a/cold</td><td>0</td><td>3</td>")
        .doesNotContain("<td>real-time factor</td>");
  }

  @Test
  void reportsNeverHoldASecret() throws Exception {
    String canary = "CANARY-7f3a9c21-secret-value";
    Random r1 = new Random(1);
    Random r2 = new Random(2);
    ComparisonResult r =
        Comparison.builder()
            .contender(
                new Comparison.Contender(
                    "a",
                    () -> new FakeVendor("a", 100, 10, r1),
                    PCM,
                    Map.of("provider", "fake", "api-key", canary, "model", "m1")))
            .contender(
                new Comparison.Contender(
                    "b",
                    () -> new FakeVendor("b", 100, 10, r2),
                    PCM,
                    // a secret by its ConfigKey (see TestProvider), though its name looks harmless
                    Map.of("provider", "fake", "credential", canary + "2", "model", "m2")))
            .script(Script.reply())
            .rounds(2)
            .sleeper(d -> {})
            .build()
            .run();
    String json = Reports.json(r);
    String html = Reports.html(r);
    for (String text : List.of(json, html, r.contenders().toString())) {
      assertThat(text).doesNotContain(canary).contains("m1").contains("m2");
    }
    assertThat(json).contains("\"api-key\": \"****\"").contains("\"credential\": \"****\"");
  }

  @Test
  void aComparisonNeedsTwoUniqueContenders() {
    assertThatThrownBy(
            () ->
                Comparison.builder()
                    .contender("a", () -> new FakeVendor("a", 1, 0, new Random(1)), PCM)
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Comparison.builder()
                    .contender("a", () -> new FakeVendor("a", 1, 0, new Random(1)), PCM)
                    .contender("a", () -> new FakeVendor("a", 1, 0, new Random(1)), PCM)
                    .build())
        .hasMessageContaining("unique");
  }
}
