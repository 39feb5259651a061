package dev.voicebridge.deepgram;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.spi.conformance.Fault;

/**
 * The conformance suite over REST {@code POST /v1/speak}, against the Deepgram emulator.
 *
 * <p>Two differences from the WebSocket fixture, both about what REST is (see
 * docs/providers/deepgram.md):
 *
 * <ul>
 *   <li>The suite finds a session's text in one server record, so the fixture asks for one request
 *       per flush ({@code http-request-unit=flush}); the per-sentence default, pipelined, is
 *       covered by {@link DeepgramRestStubTest}.
 *   <li>A REST audio body has no frames: Deepgram sends no error frame inside it (an error after
 *       audio can only cut the body), so the frame faults ({@link Fault.ErrorFrame}, {@link
 *       Fault.MalformedFrame}, {@link Fault.WrongFrameType}, {@link Fault.OversizeFrame}, {@link
 *       Fault.EndlessFrame}) cannot be expressed on this transport and are not offered (their rules
 *       skip). Error statuses before audio are the handshake rules, which run.
 * </ul>
 */
class DeepgramRestConformanceTest extends StreamingSynthesizerContract {

  @Override
  protected ConformanceFixture createFixture() {
    return DeepgramConformanceTest.FIXTURE
        .config("transport", "http")
        .options(
            SynthesisOptions.builder()
                .format(AudioFormat.pcm(24_000))
                .voice("aura-2-thalia-en")
                .set(DeepgramOptions.TRANSPORT, DeepgramOptions.HTTP)
                .set(DeepgramOptions.HTTP_REQUEST_UNIT, DeepgramOptions.PER_FLUSH)
                .build())
        .withoutFaults(
            Fault.ErrorFrame.class,
            Fault.MalformedFrame.class,
            Fault.WrongFrameType.class,
            Fault.OversizeFrame.class,
            Fault.EndlessFrame.class)
        .create();
  }
}
