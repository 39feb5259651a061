package dev.voicebridge.text.shaping;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.fish.FishProvider;
import java.time.Duration;

/**
 * The conformance suite with every transform and estimated word timings in front of the Fish
 * provider (which reports no word timings), against the Fish emulator.
 */
class ShapedFishConformanceTest extends StreamingSynthesizerContract {
  static final String KEY = "sk-canary-fish-text-5e21c0";

  static final NetworkFixture FIXTURE =
      NetworkFixture.of(
              new FishProvider(),
              () -> FishEmulator.start(EmulatorConfig.builder().apiKey(KEY).build()))
          .apiKey(KEY)
          .responseTimeout(Duration.ofSeconds(2))
          .maxFrameBytes(64 * 1024)
          .ignoresWrongFrameType()
          .options(SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).build());

  @Override
  protected ConformanceFixture createFixture() {
    return ShapedFixture.of(FIXTURE.create());
  }
}
