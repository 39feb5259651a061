/**
 * Voicebridge provider for Cartesia (Sonic): the multiplexed WebSocket {@code /tts/websocket}, one
 * context per session, and the HTTP endpoints {@code /tts/sse} and {@code /tts/bytes}.
 */
module dev.voicebridge.provider.cartesia {
  requires transitive dev.voicebridge.kit;
  requires com.fasterxml.jackson.databind;

  exports dev.voicebridge.cartesia;

  provides dev.voicebridge.spi.StreamingSynthesizerProvider with
      dev.voicebridge.cartesia.CartesiaProvider;
}
