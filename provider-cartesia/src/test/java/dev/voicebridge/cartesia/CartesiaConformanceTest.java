package dev.voicebridge.cartesia;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.cartesia.CartesiaEmulator;
import java.time.Duration;

/**
 * The conformance suite over the multiplexed {@code /tts/websocket}, against the Cartesia emulator:
 * sessions are contexts of shared sockets, so the concurrency group runs several contexts on one
 * socket.
 */
class CartesiaConformanceTest extends StreamingSynthesizerContract {
  /** A distinctive key, so the suite's leak checks [SEC1] [H1] would notice it anywhere. */
  static final String KEY = "sk-canary-c4rt3s14-5on1c";

  /** A max-frame-bytes well above the emulator's frames, for the size rules. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  /** The response timeout the fixtures configure, for the inactivity rule [E15]. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  /** The recipe of every transport's fixture: the emulator, the canary key, the limits. */
  static final NetworkFixture FIXTURE =
      NetworkFixture.of(
              new CartesiaProvider(),
              () ->
                  CartesiaEmulator.start(
                      EmulatorConfig.builder().apiKey(KEY).build(),
                      CartesiaEmulator.Options.builder().concurrencyLimit(64).build()))
          .apiKey(KEY)
          .config("connect-timeout", "5s")
          .responseTimeout(RESPONSE_TIMEOUT)
          .maxFrameBytes(MAX_FRAME_BYTES)
          .timeout(Duration.ofSeconds(15));

  /** The suite's options on {@code transport}. */
  static SynthesisOptions options(String transport) {
    SynthesisOptions.Builder b =
        SynthesisOptions.builder()
            .format(AudioFormat.pcm(24_000))
            .set(CartesiaOptions.TRANSPORT, transport);
    if (!transport.equals(CartesiaOptions.WEBSOCKET)) {
      // one request per flush and one at finish, so that one session is one server record
      b.set(CartesiaOptions.HTTP_REQUEST_UNIT, CartesiaOptions.PER_FLUSH);
    }
    return b.build();
  }

  @Override
  protected ConformanceFixture createFixture() {
    return FIXTURE
        .config("transport", CartesiaOptions.WEBSOCKET)
        .options(options(CartesiaOptions.WEBSOCKET))
        .create();
  }
}
