/** Voicebridge phrase cache: a caching synthesizer in front of any other. */
module dev.voicebridge.cache {
  requires transitive dev.voicebridge.api;
  requires com.github.benmanes.caffeine;

  exports dev.voicebridge.cache;
}
