/**
 * Guice integration, for applications that use Guice: {@link
 * dev.voicebridge.guice.VoicebridgeModule} binds a {@link dev.voicebridge.StreamingSynthesizer}
 * selected by configuration.
 */
package dev.voicebridge.guice;
