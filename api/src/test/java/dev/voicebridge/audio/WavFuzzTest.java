package dev.voicebridge.audio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fuzz tests of the WAV header reader. Its contract: any input either parses into a consistent
 * {@link WavInfo} or raises {@link IllegalArgumentException}; never another exception, a hang or an
 * allocation in proportion to the sizes the input declares.
 *
 * <p>In a plain {@code mvn test} these run the committed inputs under {@code
 * src/test/resources/dev/voicebridge/audio/WavFuzzTestInputs/<method>/} (regression mode); with
 * {@code JAZZER_FUZZ=1} they fuzz (see docs/reliability.md).
 */
class WavFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void readBytes(byte[] input) {
    WavInfo info;
    try {
      info = Wav.read(input);
    } catch (IllegalArgumentException expected) {
      return;
    }
    checkConsistent(info, input.length);
  }

  /**
   * The same through a buffer whose position is not zero and whose byte order is big endian: the
   * reader must count from the position and must not be confused by the buffer's order.
   */
  @FuzzTest(maxDuration = "5m")
  void readBuffer(byte[] input) {
    int skip = input.length == 0 ? 0 : (input[0] & 0x07);
    ByteBuffer b = ByteBuffer.allocateDirect(input.length).put(input).flip();
    b.position(Math.min(skip, b.limit())).order(ByteOrder.BIG_ENDIAN);
    int position = b.position();
    int limit = b.limit();
    WavInfo info;
    try {
      info = Wav.read(b);
    } catch (IllegalArgumentException expected) {
      assertThat(b.position()).isEqualTo(position);
      return;
    }
    assertThat(b.position()).isEqualTo(position);
    assertThat(b.limit()).isEqualTo(limit);
    assertThat(b.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
    checkConsistent(info, limit - position);
    byte[] same = new byte[limit - position];
    b.duplicate().get(same);
    assertThat(Wav.read(same)).isEqualTo(info);
  }

  private static void checkConsistent(WavInfo info, int available) {
    // RIFF header, a fmt chunk of at least 16 bytes and the data chunk header, all inside the input
    assertThat(info.dataOffset()).isBetween(44, available);
    assertThat(info.dataBytes()).isGreaterThanOrEqualTo(-1);
    assertThat(info.blockAlign()).isPositive();
    assertThat(info.byteRate()).isPositive();
    if (info.formatCode() != Wav.FORMAT_PCM) {
      assertThat(info.bitsPerSample()).isEqualTo(8);
    }
  }
}
