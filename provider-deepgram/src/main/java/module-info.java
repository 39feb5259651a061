/**
 * Voicebridge provider for Deepgram Aura: the speak WebSocket ({@code Speak}, {@code Flush}, {@code
 * Flushed}, {@code Close}) and REST {@code POST /v1/speak}.
 */
module dev.voicebridge.provider.deepgram {
  requires dev.voicebridge.kit;
  requires com.fasterxml.jackson.databind;

  exports dev.voicebridge.deepgram;

  provides dev.voicebridge.spi.StreamingSynthesizerProvider with
      dev.voicebridge.deepgram.DeepgramProvider;
}
