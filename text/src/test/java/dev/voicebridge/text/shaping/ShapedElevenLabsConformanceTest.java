package dev.voicebridge.text.shaping;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.elevenlabs.ElevenLabsProvider;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import java.time.Duration;

/**
 * The conformance suite with every transform in front of the ElevenLabs provider (whose own word
 * timings are aligned with the application's text), against the ElevenLabs emulator.
 */
class ShapedElevenLabsConformanceTest extends StreamingSynthesizerContract {
  static final String KEY = "sk-canary-el-text-8b40d7";

  static final NetworkFixture FIXTURE =
      NetworkFixture.of(
              new ElevenLabsProvider(),
              () ->
                  ElevenLabsEmulator.start(
                      EmulatorConfig.builder().apiKey(KEY).build(),
                      ElevenLabsEmulator.Options.builder().maxConcurrentRequests(64).build()))
          .apiKey(KEY)
          .config("connect-timeout", "5s")
          .config("transport", "websocket")
          .responseTimeout(Duration.ofSeconds(2))
          .maxFrameBytes(64 * 1024)
          .options(SynthesisOptions.builder().format(AudioFormat.PCM_24K).build());

  @Override
  protected ConformanceFixture createFixture() {
    return ShapedFixture.of(FIXTURE.create());
  }
}
