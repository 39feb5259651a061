package dev.voicebridge.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.check.RuleResult.Status;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.smallest.SmallestOptions;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live check's rules against every vendor's emulator, on every transport: all pass; a fault
 * injected just before a rule makes that rule fail by its id; the characters the emulators receive
 * never pass the budget; the (canary) key appears nowhere in what the check reports.
 */
class LiveCheckAgainstEmulatorsTest {
  /** The key the emulators accept: a canary searched for in everything the check reports. */
  static final String CANARY = "vbcanary-7f3a9c1e5d2b4a68";

  private static List<VendorEmulator> emulators;

  @BeforeAll
  static void start() {
    emulators = Emulators.startAll(EmulatorConfig.builder().apiKey(CANARY).build());
  }

  @AfterAll
  static void stop() {
    emulators.forEach(VendorEmulator::close);
  }

  @BeforeEach
  void reset() {
    emulators.forEach(e -> e.control().reset());
  }

  static VendorEmulator emulator(String vendor) {
    return emulators.get(Emulators.VENDORS.indexOf(vendor));
  }

  static VoicebridgeConfig config(String vendor) {
    String p = "voicebridge." + vendor + ".";
    return VoicebridgeConfig.of(
        Map.of(
            p + "base-url",
            emulator(vendor).baseUrl().toString(),
            p + "api-key",
            CANARY,
            p + "response-timeout",
            "3s"));
  }

  /** What the command line asks for too: Smallest sends word timings only when asked. */
  static SynthesisOptions options(String vendor) {
    return vendor.equals("smallest")
        ? SynthesisOptions.builder().set(SmallestOptions.WORD_TIMESTAMPS, true).build()
        : SynthesisOptions.defaults();
  }

  static LiveCheck.Builder check(String vendor) {
    return LiveCheck.builder(vendor, config(vendor))
        .options(options(vendor))
        .ruleTimeout(Duration.ofSeconds(30));
  }

  static Stream<Arguments> vendorsAndTransports() {
    List<Arguments> out = new ArrayList<>();
    for (String v : Emulators.VENDORS) {
      for (String t : check(v).allTransports().build().plan().transports()) {
        out.add(Arguments.of(v, t));
      }
    }
    return out.stream();
  }

  /** Characters the emulator received as text, in every session it recorded. */
  static int serverChars(ServerControl control) {
    int n = 0;
    for (ServerRecord r : control.sessions()) {
      n += r.text().codePointCount(0, r.text().length());
    }
    return n;
  }

  @Test
  void theTransportsComeFromEachProvidersTransportKey() {
    assertThat(check("fish").allTransports().build().plan().transports())
        .containsExactly("websocket", "http");
    assertThat(check("elevenlabs").allTransports().build().plan().transports())
        .containsExactly("websocket", "multi-context", "http", "http-timestamps");
    assertThat(check("smallest").allTransports().build().plan().transports())
        .containsExactly("websocket", "sse");
    assertThat(check("cartesia").allTransports().build().plan().transports())
        .containsExactly("websocket", "sse", "bytes");
    assertThat(check("deepgram").allTransports().build().plan().transports())
        .containsExactly("websocket", "http");
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("vendorsAndTransports")
  void everyRulePassesWithinTheBudgetAndNoKeyIsShown(String vendor, String transport) {
    ServerControl control = emulator(vendor).control();
    AtomicInteger acceptedBeforeLc7 = new AtomicInteger(-1);
    AtomicInteger acceptedAfterLc7 = new AtomicInteger(-1);
    CheckResult r =
        check(vendor)
            .transport(transport)
            .listener(
                new CheckListener() {
                  @Override
                  public void ruleStarting(String t, LiveRule rule) {
                    if (rule == LiveRule.LC7) {
                      acceptedBeforeLc7.set(control.connectionsAccepted());
                    }
                  }

                  @Override
                  public void ruleFinished(RuleResult result) {
                    if (result.rule() == LiveRule.LC7) {
                      acceptedAfterLc7.set(control.connectionsAccepted());
                    }
                  }
                })
            .build()
            .run();

    assertThat(r.failures()).as(r.toJson()).isEmpty();
    assertThat(r.passed()).isTrue();
    assertThat(r.results()).extracting(RuleResult::rule).containsExactly(LiveRule.values());
    // the transports whose vendor sends word timings (Smallest's when asked, as options() does)
    boolean timings =
        List.of(
                "elevenlabs/websocket",
                "elevenlabs/multi-context",
                "elevenlabs/http-timestamps",
                "smallest/websocket",
                "cartesia/websocket",
                "cartesia/sse")
            .contains(vendor + "/" + transport);
    assertThat(status(r, LiveRule.LC4)).isEqualTo(timings ? Status.PASS : Status.SKIP);
    assertThat(status(r, LiveRule.LC6)).isEqualTo(Status.PASS);
    assertThat(status(r, LiveRule.LC7)).isEqualTo(Status.PASS);
    // LC7 is refused locally: no connection reached the server during it
    assertThat(acceptedAfterLc7.get()).isEqualTo(acceptedBeforeLc7.get());

    // the budget, counted where the characters arrive
    assertThat(r.spentChars()).isEqualTo(r.plan().totalChars());
    assertThat(serverChars(control))
        .as("characters the emulator received")
        .isPositive()
        .isLessThanOrEqualTo(r.plan().totalChars())
        .isLessThanOrEqualTo(LiveCheck.DEFAULT_BUDGET_CHARS);

    // no key, and no part of one, in what the check reports
    String json = r.toJson();
    assertThat(json).doesNotContain(CANARY.substring(0, 8)).contains("\"" + vendor + "\"");
    for (RuleResult rr : r.results()) {
      assertThat(rr.detail()).doesNotContain(CANARY.substring(0, 8));
    }
  }

  static Stream<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (String v : Emulators.VENDORS) {
      out.add(Arguments.of(v, LiveRule.LC2, new Fault.ErrorFrame(0, Fault.ErrorKind.SERVER)));
      out.add(Arguments.of(v, LiveRule.LC3, new Fault.Stall(0)));
      out.add(Arguments.of(v, LiveRule.LC5, new Fault.ErrorFrame(0, Fault.ErrorKind.QUOTA)));
      if (!v.equals("smallest")) { // Smallest's emulator refuses a wrong key before any fault
        out.add(
            Arguments.of(v, LiveRule.LC6, new Fault.HandshakeStatus(429, Duration.ofSeconds(1))));
      }
      out.add(Arguments.of(v, LiveRule.LC8, new Fault.Disconnect(1, false)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {2} fails {1}")
  @MethodSource("faults")
  void aFaultInjectedBeforeARuleFailsThatRuleByItsId(String vendor, LiveRule target, Fault fault) {
    ServerControl control = emulator(vendor).control();
    CheckResult r =
        check(vendor)
            .listener(
                new CheckListener() {
                  @Override
                  public void ruleStarting(String t, LiveRule rule) {
                    if (rule == target) {
                      control.inject(fault);
                    }
                  }

                  @Override
                  public void ruleFinished(RuleResult result) {
                    if (result.rule() == target) {
                      control.clearFaults();
                    }
                  }
                })
            .build()
            .run();

    assertThat(r.passed()).isFalse();
    assertThat(status(r, target)).as(r.toJson()).isEqualTo(Status.FAIL);
    // LC4 checks LC2's timings: a failed LC2 leaves it nothing to check
    List<LiveRule> allowed =
        target == LiveRule.LC2 ? List.of(LiveRule.LC2, LiveRule.LC4) : List.of(target);
    assertThat(r.failures()).extracting(RuleResult::rule).isSubsetOf(allowed);
    assertThat(r.toJson()).doesNotContain(CANARY.substring(0, 8));
  }

  /**
   * The canary with its last four characters altered as the check alters a key (digits by five,
   * letters by thirteen): an emulator that accepts it is a vendor that takes a wrong key.
   */
  static final String ALTERED_CANARY = "vbcanary-7f3a9c1e5d2b9n13";

  @Test
  void aVendorThatTakesTheAlteredKeyFailsLc6ByItsId() {
    for (String vendor : Emulators.VENDORS) {
      try (VendorEmulator lax =
          Emulators.start(vendor, EmulatorConfig.builder().apiKey(ALTERED_CANARY).build())) {
        String p = "voicebridge." + vendor + ".";
        CheckResult r =
            LiveCheck.builder(
                    vendor,
                    VoicebridgeConfig.of(
                        Map.of(p + "base-url", lax.baseUrl().toString(), p + "api-key", CANARY)))
                .options(options(vendor))
                .ruleTimeout(Duration.ofSeconds(30))
                .build()
                .run();
        RuleResult lc6 =
            r.results().stream().filter(x -> x.rule() == LiveRule.LC6).findFirst().orElseThrow();
        assertThat(lc6.status()).as(r.toJson()).isEqualTo(Status.FAIL);
        assertThat(lc6.detail()).contains("accepted the altered key");
        assertThat(r.toJson()).doesNotContain(CANARY.substring(0, 8));
      }
    }
  }

  @Test
  void aPlanOverTheBudgetSendsNothing() {
    ServerControl control = emulator("elevenlabs").control();
    LiveCheck c = check("elevenlabs").allTransports().budgetChars(100).build();
    assertThat(c.plan().fitsBudget()).isFalse();
    assertThatThrownBy(c::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs " + c.plan().totalChars() + " characters")
        .hasMessageContaining("budget of 100");
    assertThat(control.connectionsAccepted()).isZero();
    assertThat(control.sessions()).isEmpty();
  }

  @Test
  void aBudgetOfExactlyThePlanIsEnough() {
    int needed = check("fish").transport("http").build().plan().totalChars();
    CheckResult r = check("fish").transport("http").budgetChars(needed).build().run();
    assertThat(r.failures()).as(r.toJson()).isEmpty();
    assertThat(r.spentChars()).isEqualTo(needed);
    assertThat(serverChars(emulator("fish").control())).isLessThanOrEqualTo(needed);
  }

  private static Status status(CheckResult r, LiveRule rule) {
    return r.results().stream().filter(x -> x.rule() == rule).findFirst().orElseThrow().status();
  }
}
