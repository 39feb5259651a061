/** The voicebridge command line. */
module dev.voicebridge.cli {
  requires dev.voicebridge.api;
  requires info.picocli;
  requires java.logging;
  requires com.fasterxml.jackson.databind; // voices --json
  requires dev.voicebridge.emulator;
  requires dev.voicebridge.latency;
  requires dev.voicebridge.check;
  requires dev.voicebridge.text.shaping; // --markdown, --lexicon
  // their public options: word timestamps (Smallest), the transport with timestamps (ElevenLabs)
  requires dev.voicebridge.provider.smallest;
  requires dev.voicebridge.provider.elevenlabs;

  opens dev.voicebridge.cli to
      info.picocli;

  uses dev.voicebridge.spi.StreamingSynthesizerProvider;
}
