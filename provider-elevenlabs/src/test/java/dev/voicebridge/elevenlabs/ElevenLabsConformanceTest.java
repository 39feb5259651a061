package dev.voicebridge.elevenlabs;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import java.time.Duration;

/** The conformance suite over the {@code stream-input} WebSocket, against the emulator. */
class ElevenLabsConformanceTest extends StreamingSynthesizerContract {
  /** A max-frame-bytes well above the emulator's frames, for the size rules. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  /** The response timeout the fixture configures, for the inactivity rule [E15]. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  /** The recipe of every transport's fixture: the emulator, the canary key, the limits. */
  static final NetworkFixture FIXTURE =
      NetworkFixture.of(
              new ElevenLabsProvider(),
              () ->
                  ElevenLabsEmulator.start(
                      EmulatorConfig.builder().apiKey(EmulatorFixture.KEY).build(),
                      ElevenLabsEmulator.Options.builder().maxConcurrentRequests(64).build()))
          .apiKey(EmulatorFixture.KEY)
          .config("connect-timeout", "5s")
          .responseTimeout(RESPONSE_TIMEOUT)
          .maxFrameBytes(MAX_FRAME_BYTES)
          .options(SynthesisOptions.builder().format(AudioFormat.PCM_24K).build());

  @Override
  protected ConformanceFixture createFixture() {
    return FIXTURE.config("transport", "websocket").create();
  }
}
