/** Voicebridge provider for Fish Audio: WebSocket {@code /v1/tts/live} and HTTP {@code /v1/tts}. */
module dev.voicebridge.provider.fish {
  requires dev.voicebridge.kit;
  requires msgpack.core;
  requires com.fasterxml.jackson.databind; // the voice catalog's JSON

  exports dev.voicebridge.fish;

  provides dev.voicebridge.spi.StreamingSynthesizerProvider with
      dev.voicebridge.fish.FishProvider;
}
