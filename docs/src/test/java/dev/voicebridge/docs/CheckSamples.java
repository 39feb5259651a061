package dev.voicebridge.docs;

import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.check.CheckResult;
import dev.voicebridge.check.LiveCheck;
import dev.voicebridge.check.RuleResult;

/** The samples of docs/check.md. */
final class CheckSamples {
  private CheckSamples() {}

  /** A live check at start-up: the configured vendor, within 300 characters. */
  static boolean atStartUp(VoicebridgeConfig config) {
    // tag::start-up[]
    CheckResult result = LiveCheck.builder("fish", config).budgetChars(300).build().run();
    for (RuleResult r : result.failures()) {
      System.err.println(r.rule().id() + " on " + r.transport() + ": " + r.detail());
    }
    System.out.println(result.spentChars() + " characters sent");
    // result.toJson() is the report to attach to a bug report (no key in it)
    return result.passed();
    // end::start-up[]
  }
}
