package dev.voicebridge.elevenlabs;

import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import java.util.Map;

/** The conformance suite over the {@code stream-input} WebSocket, against the emulator. */
class ElevenLabsConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    return EmulatorFixture.forTransport("websocket", Map.of());
  }
}
