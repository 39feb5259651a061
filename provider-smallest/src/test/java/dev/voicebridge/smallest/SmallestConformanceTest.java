package dev.voicebridge.smallest;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import java.time.Duration;

/** The conformance suite over the WebSocket, against the Smallest emulator. */
class SmallestConformanceTest extends StreamingSynthesizerContract {
  /** A max-frame-bytes well above the emulator's frames, for the size rules. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  /** The response timeout the fixtures configure, for the inactivity rule [E15]. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Error frames in the shape that carries a code (the note, 2.4: both shapes are documented), so
   * that each kind of error [E16] can be expressed; the adapter accepts both.
   */
  static final NetworkFixture FIXTURE =
      NetworkFixture.of(
              new SmallestProvider(),
              () ->
                  SmallestEmulator.start(
                      EmulatorConfig.builder().apiKey(SmallestFixture.KEY).build(),
                      SmallestEmulator.Options.builder()
                          .maxConcurrentRequests(64)
                          .errorShape(SmallestEmulator.ErrorShape.BOTH)
                          .build()))
          .apiKey(SmallestFixture.KEY)
          .responseTimeout(RESPONSE_TIMEOUT)
          .maxFrameBytes(MAX_FRAME_BYTES)
          .timeout(Duration.ofSeconds(15))
          .config("transport", "websocket")
          .options(
              SynthesisOptions.builder()
                  .format(AudioFormat.pcm(24_000))
                  .voice("liam")
                  .set(SmallestOptions.WORD_TIMESTAMPS, true)
                  .set(SmallestOptions.COMPLETE_BACKOFF_MS, 50)
                  .build());

  @Override
  protected ConformanceFixture createFixture() {
    return FIXTURE.create();
  }
}
