/** Voicebridge for Micrometer: metrics and traces of every synthesis session. */
module dev.voicebridge.micrometer {
  requires transitive dev.voicebridge.api;
  requires transitive micrometer.observation;
  requires transitive micrometer.core;
  requires micrometer.commons;
  requires static dev.voicebridge.cache; // PhraseCacheMetrics only: an optional dependency

  exports dev.voicebridge.micrometer;
}
