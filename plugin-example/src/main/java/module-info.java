/**
 * An example Voicebridge provider plugin, "example": a deterministic tone synthesizer, in process
 * or from a tone vendor's HTTP API through the provider kit. Nothing is exported: applications
 * reach it through ServiceLoader and configuration only.
 */
module dev.voicebridge.example {
  requires dev.voicebridge.kit;

  provides dev.voicebridge.spi.StreamingSynthesizerProvider with
      dev.voicebridge.example.ExampleProvider;
}
