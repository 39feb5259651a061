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
    Random ra = new Random(11);
    Random rb = new Random(22);
    return Comparison.builder()
        .contender(
            new Comparison.Contender(
                "a", () -> new FakeVendor("a", aMs, 20, ra), PCM, Map.of("model", "x")))
        .contender(
            new Comparison.Contender(
                "b", () -> new FakeVendor("b", bMs, 20, rb), PCM, Map.of("model", "y")))
        .script(Script.dialogue())
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
      assertThat(x.verdict()).startsWith("a is faster by");
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
