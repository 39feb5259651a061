package dev.voicebridge.elevenlabs;

import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;

/**
 * The conformance suite over {@code multi-stream-input}: sessions are contexts of shared sockets,
 * so the concurrency group runs several contexts on one socket.
 */
class ElevenLabsMultiContextConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    return ElevenLabsConformanceTest.FIXTURE.config("transport", "multi-context").create();
  }
}
