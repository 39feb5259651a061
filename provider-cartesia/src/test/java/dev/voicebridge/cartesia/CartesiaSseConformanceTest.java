package dev.voicebridge.cartesia;

import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;

/**
 * The conformance suite over {@code POST /tts/sse}, against the Cartesia emulator: one request per
 * flush and one at finish ({@link CartesiaOptions#HTTP_REQUEST_UNIT} {@code flush}), so that one
 * session is one server record; the per-sentence default is covered by the session tests.
 */
class CartesiaSseConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    return CartesiaConformanceTest.FIXTURE
        .config("transport", CartesiaOptions.SSE)
        .options(CartesiaConformanceTest.options(CartesiaOptions.SSE))
        .create();
  }
}
