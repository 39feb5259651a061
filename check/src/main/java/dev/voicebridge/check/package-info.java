/**
 * The live check, for applications and the {@code voicebridge check} command: {@link
 * dev.voicebridge.check.LiveCheck} runs the rules of {@link dev.voicebridge.check.LiveRule} against
 * the configured vendor, after planning every character it will send ({@link
 * dev.voicebridge.check.CheckPlan}), and returns a {@link dev.voicebridge.check.CheckResult} whose
 * JSON can be attached to a bug report.
 */
package dev.voicebridge.check;
