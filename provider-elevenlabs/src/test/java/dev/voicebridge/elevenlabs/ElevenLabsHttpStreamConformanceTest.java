package dev.voicebridge.elevenlabs;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.spi.conformance.Fault;

/**
 * The conformance suite over HTTP {@code /stream} (raw audio, no timestamps), against the emulator:
 * as {@link ElevenLabsHttpConformanceTest}, with one request per flush; a raw audio body has no
 * messages, so no frame fault can be expressed in it (those rules skip).
 */
class ElevenLabsHttpStreamConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    return ElevenLabsConformanceTest.FIXTURE
        .config("transport", "http")
        .options(
            SynthesisOptions.builder()
                .format(AudioFormat.PCM_24K)
                .set(ElevenLabsOptions.HTTP_SENTENCES, false)
                .build())
        .withoutFaults(
            Fault.ErrorFrame.class,
            Fault.WrongFrameType.class,
            Fault.MalformedFrame.class,
            Fault.OversizeFrame.class,
            Fault.EndlessFrame.class)
        .create();
  }
}
