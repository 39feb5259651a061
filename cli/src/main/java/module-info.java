/** The voicebridge command line. */
module dev.voicebridge.cli {
  requires dev.voicebridge.api;
  requires info.picocli;
  requires dev.voicebridge.emulator;
  requires dev.voicebridge.latency;

  opens dev.voicebridge.cli to
      info.picocli;

  uses dev.voicebridge.spi.StreamingSynthesizerProvider;
}
