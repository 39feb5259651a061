package dev.voicebridge.elevenlabs;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.spi.conformance.Fault;

/**
 * The conformance suite over HTTP {@code /stream/with-timestamps}, against the emulator.
 *
 * <p>Two deliberate differences from the WebSocket fixtures, both about what HTTP is:
 *
 * <ul>
 *   <li>{@link ElevenLabsOptions#HTTP_SENTENCES} is off, so a session is one request per flush and
 *       one at finish: the suite finds a session's text in one server record, while sentence
 *       splitting makes one record per sentence (covered by {@link ElevenLabsHttpSessionTest}).
 *   <li>The {@link Fault.ErrorFrame} fault is not offered: ElevenLabs has no error frame inside an
 *       HTTP body, so the emulator answers an error before audio with a status and aborts the body
 *       after audio, which is a transport failure. Both are tested in {@link
 *       ElevenLabsHttpSessionTest}; here the error-frame rules are skipped, not passed.
 * </ul>
 */
class ElevenLabsHttpConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    return ElevenLabsConformanceTest.FIXTURE
        .config("transport", "http-timestamps")
        .options(
            SynthesisOptions.builder()
                .format(AudioFormat.PCM_24K)
                .set(ElevenLabsOptions.HTTP_SENTENCES, false)
                .build())
        // no error frames inside an HTTP body, and an NDJSON body has no frame types
        .withoutFaults(Fault.ErrorFrame.class, Fault.WrongFrameType.class)
        .create();
  }
}
