/**
 * Voicebridge emulators: local Jetty servers speaking the vendors' wire protocols, with latency
 * profiles, faults and records.
 */
module dev.voicebridge.emulator {
  requires transitive dev.voicebridge.api;
  requires dev.voicebridge.kit; // the audio helpers (G.711, resampling)
  requires java.desktop; // javax.sound.sampled.AudioFormat for jump3r
  requires java.net.http;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.io;
  requires org.eclipse.jetty.http;
  requires org.eclipse.jetty.util;
  // transitive: the WebSocket endpoint classes must be public (Jetty looks them up publicly)
  requires transitive org.eclipse.jetty.websocket.api;
  requires org.eclipse.jetty.websocket.server;
  requires msgpack.core;
  requires com.fasterxml.jackson.databind;
  requires jump3r;

  exports dev.voicebridge.emulator;
  exports dev.voicebridge.emulator.fish;
  exports dev.voicebridge.emulator.elevenlabs;
  exports dev.voicebridge.emulator.smallest;
  exports dev.voicebridge.emulator.cartesia;
  exports dev.voicebridge.emulator.deepgram;
}
