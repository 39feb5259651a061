package dev.voicebridge.smallest;

import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;

/** The conformance suite over SSE, against the Smallest emulator. */
class SmallestSseConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    return new SmallestFixture(
            "sse", SmallestFixture.emulatorOptions(), SmallestConformanceTest.limits())
        .declaring(
            SmallestConformanceTest.maxFrameBytes(), SmallestConformanceTest.RESPONSE_TIMEOUT);
  }
}
