package dev.voicebridge.fish;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.spi.conformance.Fault;

/**
 * The conformance suite over HTTP {@code POST /v1/tts}.
 *
 * <p>Two differences from the WebSocket fixture, both documented in docs/providers/fish.md:
 *
 * <ul>
 *   <li>The suite finds one server record per session, so the fixture asks for one request per turn
 *       ({@code http-request-unit=flush}); the per-sentence default is covered by {@code
 *       FishEmulatorSessionTest}.
 *   <li>A chunked HTTP audio body has no frames: Fish sends no error frame and no message framing
 *       over HTTP, so the frame faults ({@link Fault.ErrorFrame}, {@link Fault.MalformedFrame},
 *       {@link Fault.WrongFrameType}, {@link Fault.OversizeFrame}, {@link Fault.EndlessFrame})
 *       cannot be expressed on this transport and are not offered (their rules skip).
 * </ul>
 */
class FishHttpConformanceTest extends StreamingSynthesizerContract {

  @Override
  protected ConformanceFixture createFixture() {
    return FishConformanceTest.FIXTURE
        .options(
            SynthesisOptions.builder()
                .format(AudioFormat.pcm(16_000))
                .set(FishOptions.TRANSPORT, FishOptions.HTTP)
                .set(FishOptions.HTTP_REQUEST_UNIT, FishOptions.PER_FLUSH)
                .build())
        .withoutFaults(
            Fault.ErrorFrame.class,
            Fault.MalformedFrame.class,
            Fault.WrongFrameType.class,
            Fault.OversizeFrame.class,
            Fault.EndlessFrame.class) // a raw audio body has no message to leave unended
        .create();
  }
}
