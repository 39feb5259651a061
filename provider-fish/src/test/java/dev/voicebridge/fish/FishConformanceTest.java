package dev.voicebridge.fish;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.fish.FishEmulator;
import java.time.Duration;

/** The conformance suite over the WebSocket {@code /v1/tts/live}, against the Fish emulator. */
class FishConformanceTest extends StreamingSynthesizerContract {

  /** A distinctive key, so the secret rules can look for it everywhere. */
  static final String KEY = "sk-canary-fish-7d1f93";

  /** A max-frame-bytes well above the emulator's frames, for the size rules. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  /** The response timeout the fixture configures, for the inactivity rule [E15]. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  static final NetworkFixture FIXTURE =
      NetworkFixture.of(
              new FishProvider(),
              () -> FishEmulator.start(EmulatorConfig.builder().apiKey(KEY).build()))
          .apiKey(KEY)
          .responseTimeout(RESPONSE_TIMEOUT)
          .maxFrameBytes(MAX_FRAME_BYTES)
          .ignoresWrongFrameType() // fish.md: text frames "should be ignored by your client"
          .options(SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).build());

  @Override
  protected ConformanceFixture createFixture() {
    return FIXTURE.create();
  }
}
