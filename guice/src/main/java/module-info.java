/** Voicebridge for Guice: a config-selected {@code StreamingSynthesizer} binding. */
module dev.voicebridge.guice {
  requires transitive dev.voicebridge.api;
  requires transitive com.google.guice;
  requires java.net.http;

  exports dev.voicebridge.guice;

  // Guice calls the module's @Provides method reflectively
  opens dev.voicebridge.guice to
      com.google.guice;
}
