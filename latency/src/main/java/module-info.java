/** Voicebridge latency comparison. */
module dev.voicebridge.latency {
  requires transitive dev.voicebridge.api;

  exports dev.voicebridge.latency;

  // reports mask the values of the keys that providers declare secret
  uses dev.voicebridge.spi.StreamingSynthesizerProvider;
}
