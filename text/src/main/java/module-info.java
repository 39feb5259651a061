/**
 * Voicebridge text shaping: transforms in front of any synthesizer (markdown, emoji, web and e-mail
 * addresses, a pronunciation lexicon, English numbers) whose word timings point at the
 * application's own text, and estimated word timings for providers that send none. JDK only.
 */
module dev.voicebridge.text.shaping {
  requires transitive dev.voicebridge.api;

  exports dev.voicebridge.text.shaping;
}
