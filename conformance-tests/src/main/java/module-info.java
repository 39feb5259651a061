/** The Voicebridge conformance suite: the contract every provider passes. */
module dev.voicebridge.conformance {
  requires transitive dev.voicebridge.api;
  requires transitive java.net.http;
  requires java.logging;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports dev.voicebridge.conformance;

  opens dev.voicebridge.conformance to
      org.junit.platform.commons;
}
