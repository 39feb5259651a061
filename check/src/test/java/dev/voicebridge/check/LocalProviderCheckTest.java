package dev.voicebridge.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.check.RuleResult.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check needs no vendor: the embedded local provider passes it, without a key. */
class LocalProviderCheckTest {
  @Test
  void theLocalProviderPassesWithTheKeyRuleSkippedAndNothingForTheWrongKeyPlanned() {
    LiveCheck check =
        LiveCheck.builder("local", VoicebridgeConfig.of(Map.of())).budgetChars(100).build();
    CheckPlan plan = check.plan();
    assertThat(plan.transports()).containsExactly("default");
    assertThat(plan.steps("default"))
        .filteredOn(s -> s.rule() == LiveRule.LC6)
        .singleElement()
        .satisfies(s -> assertThat(s.chars()).isZero());

    CheckResult r = check.run();
    assertThat(r.failures()).as(r.toJson()).isEmpty();
    assertThat(r.passed()).isTrue();
    assertThat(r.results())
        .filteredOn(x -> x.status() == Status.SKIP)
        .extracting(RuleResult::rule)
        .containsExactlyInAnyOrder(LiveRule.LC4, LiveRule.LC6);
    assertThat(r.spentChars()).isEqualTo(plan.totalChars()).isLessThanOrEqualTo(100);
    assertThat(r.baseUrl()).isEqualTo("(none)");
  }
}
