package dev.voicebridge.smallest;

import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;

/** The conformance suite over the WebSocket, against the Smallest emulator. */
class SmallestConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    return new SmallestFixture("websocket", SmallestFixture.emulatorOptions());
  }
}
