package dev.voicebridge.fish;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.ServerControl;
import java.util.Map;
import java.util.Optional;

/** The conformance suite over the WebSocket {@code /v1/tts/live}, against the Fish emulator. */
class FishConformanceTest extends StreamingSynthesizerContract {

  @Override
  protected ConformanceFixture createFixture() {
    return fixture(SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).build());
  }

  /** A distinctive key, so [SEC1] can look for it everywhere. */
  static final String KEY = "sk-canary-fish-7d1f93";

  /** A fresh emulator and a synthesizer pointed at it. */
  static ConformanceFixture fixture(SynthesisOptions options) {
    FishEmulator emulator = FishEmulator.start(EmulatorConfig.builder().apiKey(KEY).build());
    StreamingSynthesizer synthesizer =
        new FishProvider()
            .create(
                ProviderContext.of(
                    "fish",
                    VoicebridgeConfig.of(
                        Map.of(
                            "voicebridge.fish.api-key",
                            KEY,
                            "voicebridge.fish.base-url",
                            emulator.baseUrl().toString(),
                            "voicebridge.fish.response-timeout",
                            "2s"))));
    return new ConformanceFixture() {
      @Override
      public StreamingSynthesizer synthesizer() {
        return synthesizer;
      }

      @Override
      public Optional<ServerControl> control() {
        return Optional.of(emulator.control());
      }

      @Override
      public SynthesisOptions options() {
        return options;
      }

      @Override
      public Optional<String> apiKey() {
        return Optional.of(KEY);
      }

      @Override
      public void close() {
        try {
          synthesizer.close();
        } finally {
          emulator.close();
        }
      }
    };
  }
}
