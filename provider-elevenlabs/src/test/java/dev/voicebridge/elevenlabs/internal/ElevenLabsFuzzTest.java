package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.SynthesisTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz tests of ElevenLabs' decoders of server input: WebSocket JSON frames, the NDJSON lines of
 * {@code /stream/with-timestamps} and HTTP error bodies. A frame or line either decodes or raises
 * {@link ProtocolException} (a line that carries the vendor's error raises the exception
 * ElevenLabsErrors maps it to: a {@link ProviderException} or, for a timeout code, {@link
 * SynthesisTimeoutException}); an error body always yields a message. Never another exception, a
 * hang or unbounded allocation.
 *
 * <p>A plain {@code mvn test} runs the committed inputs under {@code
 * src/test/resources/dev/voicebridge/elevenlabs/internal/ElevenLabsFuzzTestInputs/<method>/};
 * {@code JAZZER_FUZZ=1} fuzzes (see docs/reliability.md).
 */
class ElevenLabsFuzzTest {

  /** One WebSocket text frame (single- or multi-context): the input as UTF-8. */
  @FuzzTest(maxDuration = "5m")
  void decodeFrame(byte[] input) {
    ServerFrame f;
    try {
      f = ElevenLabsCodec.decodeFrame(new String(input, StandardCharsets.UTF_8));
    } catch (ProtocolException expected) {
      return;
    }
    assertThat(f).isNotNull();
  }

  /** A with-timestamps response body: split into lines as the HTTP backend does, each decoded. */
  @FuzzTest(maxDuration = "5m")
  void decodeNdjson(byte[] input) {
    String body = new String(input, StandardCharsets.UTF_8);
    for (String line : body.split("\n", -1)) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      try {
        assertThat(ElevenLabsCodec.decodeTimestampLine(l)).isNotNull();
      } catch (ProtocolException | ProviderException | SynthesisTimeoutException expected) {
        // malformed, or the vendor's error mapped by ElevenLabsErrors (an input_timeout code is a
        // SynthesisTimeoutException)
        return;
      }
    }
  }

  /** An HTTP error body never throws. */
  @FuzzTest(maxDuration = "5m")
  void decodeHttpError(byte[] input) {
    ElevenLabsCodec.HttpError e =
        ElevenLabsCodec.decodeHttpError(new String(input, StandardCharsets.UTF_8));
    assertThat(e).isNotNull();
    assertThat(e.message()).isNotNull();
  }
}
