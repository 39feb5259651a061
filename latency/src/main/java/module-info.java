/** Voicebridge latency comparison. */
module dev.voicebridge.latency {
  requires transitive dev.voicebridge.api;

  exports dev.voicebridge.latency;
}
