/**
 * Voicebridge provider for Smallest AI Waves (Lightning): streaming input over the WebSocket {@code
 * /waves/v1/tts/live}, one-shot streaming over SSE on the same path.
 */
module dev.voicebridge.provider.smallest {
  requires dev.voicebridge.kit;
  requires com.fasterxml.jackson.databind;

  exports dev.voicebridge.smallest;

  provides dev.voicebridge.spi.StreamingSynthesizerProvider with
      dev.voicebridge.smallest.SmallestProvider;
}
