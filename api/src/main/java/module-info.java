/** Voicebridge API: the user API, the provider SPI and the utilities every provider shares. */
module dev.voicebridge.api {
  requires java.net.http;

  exports dev.voicebridge;
  exports dev.voicebridge.fallback;
  exports dev.voicebridge.observe;
  exports dev.voicebridge.spi;
  exports dev.voicebridge.spi.conformance;
  exports dev.voicebridge.audio;
  exports dev.voicebridge.text;
  exports dev.voicebridge.internal to
      dev.voicebridge.kit,
      dev.voicebridge.provider.elevenlabs,
      dev.voicebridge.provider.deepgram,
      dev.voicebridge.provider.fish,
      dev.voicebridge.provider.smallest;

  uses dev.voicebridge.spi.StreamingSynthesizerProvider;
  uses dev.voicebridge.observe.SessionListener;
}
