package dev.voicebridge.fish.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.voicebridge.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Fuzz tests of Fish Audio's decoders of server input: MessagePack WebSocket frames and HTTP error
 * bodies (MessagePack or JSON/text). A frame either decodes or raises {@link ProtocolException}; an
 * error body always yields a message. Never another exception, a hang or unbounded allocation.
 *
 * <p>A plain {@code mvn test} runs the committed inputs under {@code
 * src/test/resources/dev/voicebridge/fish/internal/FishFuzzTestInputs/<method>/}; {@code
 * JAZZER_FUZZ=1} fuzzes (see docs/reliability.md).
 */
class FishFuzzTest {

  /** One binary WebSocket message, also through a read-only buffer as the JDK delivers it. */
  @FuzzTest(maxDuration = "5m")
  void decodeFrame(byte[] input) {
    ByteBuffer frame = ByteBuffer.wrap(input).asReadOnlyBuffer();
    FishCodec.ServerEvent e;
    try {
      e = FishCodec.decode(frame);
    } catch (ProtocolException expected) {
      return;
    }
    assertThat(e).isNotNull();
    assertThat(frame.remaining()).as("decode leaves the buffer alone").isEqualTo(input.length);
    if (e instanceof FishCodec.Audio a) {
      assertThat(a.data().length).isLessThanOrEqualTo(input.length);
    }
  }

  /**
   * An HTTP error body: the first byte picks the content type (even: MessagePack, odd: JSON), the
   * rest is the body. Parsing an error body never throws.
   */
  @FuzzTest(maxDuration = "5m")
  void errorBody(byte[] input) {
    String contentType =
        input.length > 0 && (input[0] & 1) == 0 ? "application/msgpack" : "application/json";
    byte[] body = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
    String[] parsed = FishErrors.parseBody(body, contentType);
    assertThat(parsed).hasSize(2);
    assertThat(parsed[0]).isNotNull();
  }
}
