package dev.voicebridge.smallest;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;

/**
 * The conformance suite over SSE, against the Smallest emulator: one request per flush and finish,
 * so that one session is one server record (see docs/providers/smallest.md).
 */
class SmallestSseConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    return SmallestConformanceTest.FIXTURE
        .config("transport", "sse")
        .options(
            SynthesisOptions.builder()
                .format(AudioFormat.pcm(24_000))
                .voice("liam")
                .set(SmallestOptions.TRANSPORT, "sse")
                .set(SmallestOptions.SSE_SPLIT, "flush")
                .build())
        .create();
  }
}
