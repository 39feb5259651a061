package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code voicebridge check} against the Fish emulator: plan, pass, a named failure, no key shown.
 */
class CheckCommandTest {
  /** A key that must never be printed, nor its altered copy's distinctive part. */
  private static final String KEY = "sk-cli-check-canary-7Qx2";

  private static VendorEmulator fish;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    fish = FishEmulator.start(EmulatorConfig.builder().apiKey(KEY).build());
  }

  @AfterAll
  static void stop() {
    fish.close();
  }

  @BeforeEach
  void reset() {
    fish.control().reset();
  }

  private static String[] args(String... more) {
    List<String> all = new ArrayList<>(List.of("check", "--provider", "fish"));
    all.addAll(
        List.of(
            "-D",
            "voicebridge.fish.base-url=" + fish.baseUrl(),
            "-D",
            "voicebridge.fish.api-key=" + KEY,
            "-D",
            "voicebridge.fish.response-timeout=3s"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void everyRulePassesAgainstTheEmulatorWithinTheBudgetAndTheJsonSaysSo() throws Exception {
    Cli cli = new Cli();
    Path json = dir.resolve("check.json");
    int code = cli.run(args("--all-transports", "--json", json.toString()));

    assertThat(code).as(cli.all()).isZero();
    assertThat(cli.out()).contains("plan: fish on websocket, http").contains("PASS: ");
    for (String rule : List.of("LC1", "LC2", "LC3", "LC5", "LC6", "LC7", "LC8")) {
      assertThat(cli.out()).as(rule).containsPattern("PASS +" + rule + " +websocket");
    }
    assertThat(cli.all()).doesNotContain(KEY).doesNotContain("canary-7Qx2");
    JsonNode result = new ObjectMapper().readTree(json.toFile());
    assertThat(result.toString()).doesNotContain(KEY);
    assertThat(result.path("provider").asText()).isEqualTo("fish");
    assertThat(result.path("passed").asBoolean()).isTrue();
    int planned = 0;
    for (JsonNode step : result.path("plan")) {
      planned += step.path("chars").asInt();
    }
    assertThat(planned)
        .isPositive()
        .isEqualTo(result.path("characters").path("plannedChars").asInt())
        .isLessThanOrEqualTo(300);
    assertThat(result.path("characters").path("spentChars").asInt()).isBetween(1, planned);
  }

  @Test
  void aDryRunPrintsThePlanAndSendsNothing() {
    Cli cli = new Cli();
    int code = cli.run(args("--dry-run"));

    assertThat(code).as(cli.all()).isZero();
    assertThat(cli.out()).contains("plan: fish on websocket").contains("LC2").contains("chars");
    assertThat(fish.control().connectionsAccepted()).isZero();
    assertThat(fish.control().sessions()).isEmpty();
  }

  @Test
  void aFaultFailsTheRuleByItsIdAndTheExitCodeIsOne() {
    fish.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.SERVER));
    Cli cli = new Cli();
    int code = cli.run(args());

    assertThat(code).as(cli.all()).isEqualTo(Main.FAILED);
    assertThat(cli.out()).containsPattern("FAIL +LC2 +websocket").contains("FAIL: ");
    assertThat(cli.all()).doesNotContain(KEY);
  }

  @Test
  void aBudgetTooSmallIsRefusedBeforeAnythingIsSent() {
    Cli cli = new Cli();
    int code = cli.run(args("--budget-chars", "5"));

    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("--budget-chars 5");
    assertThat(fish.control().connectionsAccepted()).isZero();
  }

  @Test
  void anUnknownProviderIsAUsageError() throws Exception {
    Cli cli = new Cli();
    int code = cli.run("check", "--provider", "nope");

    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(cli.err()).contains("unknown provider 'nope'").contains("fish");
    assertThat(Files.list(dir)).isEmpty();
  }
}
