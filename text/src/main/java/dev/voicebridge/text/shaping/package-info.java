/**
 * Text shaping for speech, for applications: {@link dev.voicebridge.text.shaping.TextShaping}
 * (which transforms, and the synthesizer that applies them) and {@link
 * dev.voicebridge.text.shaping.Lexicon} (a vendor-neutral pronunciation lexicon). See docs/text.md.
 */
package dev.voicebridge.text.shaping;
