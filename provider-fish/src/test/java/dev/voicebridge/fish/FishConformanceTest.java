package dev.voicebridge.fish;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.ServerControl;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The conformance suite over the WebSocket {@code /v1/tts/live}, against the Fish emulator. */
class FishConformanceTest extends StreamingSynthesizerContract {

  @Override
  protected ConformanceFixture createFixture() {
    return fixture(SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).build());
  }

  /** A distinctive key, so [SEC1] can look for it everywhere. */
  static final String KEY = "sk-canary-fish-7d1f93";

  /** A max-frame-bytes well above the emulator's frames, for the oversize rule [E13]. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  /** The response timeout the fixture configures, for the inactivity rule [E15]. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  /** A fresh emulator and a synthesizer pointed at it. */
  static ConformanceFixture fixture(SynthesisOptions options) {
    FishProvider provider = new FishProvider();
    boolean limits =
        provider.configKeys().stream()
            .anyMatch(k -> k.name().equals(Limits.MAX_FRAME_BYTES.name()));
    Map<String, String> config = new HashMap<>();
    config.put("voicebridge.fish.api-key", KEY);
    config.put("voicebridge.fish.response-timeout", "2s");
    if (limits) {
      config.put("voicebridge.fish.max-frame-bytes", String.valueOf(MAX_FRAME_BYTES));
    }
    FishEmulator emulator = FishEmulator.start(EmulatorConfig.builder().apiKey(KEY).build());
    config.put("voicebridge.fish.base-url", emulator.baseUrl().toString());
    StreamingSynthesizer synthesizer;
    try {
      synthesizer = provider.create(ProviderContext.of("fish", VoicebridgeConfig.of(config)));
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
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
      public OptionalInt maxFrameBytes() {
        return limits ? OptionalInt.of(MAX_FRAME_BYTES) : OptionalInt.empty();
      }

      @Override
      public Optional<Duration> responseTimeout() {
        return Optional.of(RESPONSE_TIMEOUT);
      }

      @Override
      public boolean ignoresWrongFrameType() {
        return true; // fish.md: text frames "should be ignored by your client"
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
