/**
 * Voicebridge local provider: offline speech on this machine with FreeTTS (voice {@code kevin16}),
 * the embedded default that needs no key and no network.
 */
module dev.voicebridge.provider.local {
  requires dev.voicebridge.api;
  requires dev.voicebridge.kit; // the audio helpers (G.711, resampling)
  requires freetts;
  // FreeTTS's AudioPlayer interface speaks javax.sound.sampled.AudioFormat.
  requires java.desktop;

  exports dev.voicebridge.local;

  provides dev.voicebridge.spi.StreamingSynthesizerProvider with
      dev.voicebridge.local.LocalProvider;
}
