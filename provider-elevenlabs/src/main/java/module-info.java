/**
 * Voicebridge provider for ElevenLabs: the {@code stream-input} and {@code multi-stream-input}
 * WebSockets and the HTTP {@code /stream} and {@code /stream/with-timestamps} endpoints.
 */
module dev.voicebridge.provider.elevenlabs {
  requires transitive dev.voicebridge.kit;
  requires com.fasterxml.jackson.databind;

  exports dev.voicebridge.elevenlabs;

  provides dev.voicebridge.spi.StreamingSynthesizerProvider with
      dev.voicebridge.elevenlabs.ElevenLabsProvider;
}
