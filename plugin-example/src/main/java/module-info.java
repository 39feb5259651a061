/**
 * An example Voicebridge provider plugin, "example": a deterministic tone synthesizer. Nothing is
 * exported: applications reach it through ServiceLoader and configuration only.
 */
module dev.voicebridge.example {
  requires dev.voicebridge.api;

  provides dev.voicebridge.spi.StreamingSynthesizerProvider with
      dev.voicebridge.example.ExampleProvider;
}
