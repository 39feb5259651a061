package dev.voicebridge.deepgram;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.deepgram.DeepgramEmulator;
import java.time.Duration;

/** The conformance suite over the speak WebSocket, against the Deepgram emulator. */
class DeepgramConformanceTest extends StreamingSynthesizerContract {
  /** A distinctive key, so the suite's leak checks [SEC1] [H1] would notice it anywhere. */
  static final String KEY = "dg-canary-key-5e1f0a77";

  /** A max-frame-bytes well above the emulator's frames (100 ms of 24 kHz PCM), for [E13] [H3]. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  /** The response timeout configured, for the inactivity rule [E15]. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * The emulator with Deepgram's documented behaviour, except that the suite may hold more sockets
   * and requests open at once than an Aura-2 account's five.
   */
  static final NetworkFixture FIXTURE =
      NetworkFixture.of(
              new DeepgramProvider(),
              () ->
                  DeepgramEmulator.start(
                      EmulatorConfig.builder().apiKey(KEY).build(),
                      DeepgramEmulator.Options.builder()
                          .maxConcurrentStreams(64)
                          .maxConcurrentRequests(64)
                          .build()))
          .apiKey(KEY)
          .responseTimeout(RESPONSE_TIMEOUT)
          .maxFrameBytes(MAX_FRAME_BYTES)
          .timeout(Duration.ofSeconds(15))
          .config("transport", "websocket")
          .options(
              SynthesisOptions.builder()
                  .format(AudioFormat.pcm(24_000))
                  .voice("aura-2-thalia-en")
                  .build());

  @Override
  protected ConformanceFixture createFixture() {
    return FIXTURE.create();
  }
}
