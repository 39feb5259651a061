package dev.voicebridge.check.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.check.internal.AudioCheck.Decoded;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Ogg Opus streams built here page by page, with a CRC computed bit by bit (RFC 3533). */
class OggOpusTest {

  /** The Ogg CRC, one bit at a time: polynomial 0x04c11db7, no reflection, no final xor. */
  static int crc(byte[] page) {
    int r = 0;
    for (byte b : page) {
      r ^= (b & 0xff) << 24;
      for (int i = 0; i < 8; i++) {
        r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
      }
    }
    return r;
  }

  static byte[] page(int type, long granule, int serial, int seq, byte[] body) {
    int segments = body.length / 255 + 1;
    ByteBuffer b = ByteBuffer.allocate(27 + segments + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) type);
    b.putLong(granule).putInt(serial).putInt(seq).putInt(0).put((byte) segments);
    for (int i = 0; i < segments - 1; i++) {
      b.put((byte) 255);
    }
    b.put((byte) (body.length % 255));
    b.put(body);
    byte[] out = b.array();
    int c = crc(out);
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(22, c);
    return out;
  }

  static byte[] opusHead(int preSkip) {
    ByteBuffer b = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
    b.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 1);
    b.putShort((short) preSkip).putInt(48_000).putShort((short) 0).put((byte) 0);
    return b.array();
  }

  /** One stream: head, tags, two audio pages, {@code seconds} of audio after the pre-skip. */
  static byte[] stream(int serial, double seconds) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int preSkip = 312;
    long end = preSkip + Math.round(seconds * 48_000);
    out.writeBytes(page(0x02, 0, serial, 0, opusHead(preSkip)));
    out.writeBytes(
        page(0, 0, serial, 1, "OpusTags\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII)));
    out.writeBytes(page(0, end / 2, serial, 2, new byte[300]));
    out.writeBytes(page(0x04, end, serial, 3, new byte[120]));
    return out.toByteArray();
  }

  @Test
  void theDurationIsTheLastGranuleLessThePreSkip() {
    Decoded d = AudioCheck.decode(AudioFormat.opus(), stream(7, 1.5));
    assertThat(d.problems()).isEmpty();
    assertThat(d.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(d.description()).contains("4 Ogg pages in 1 stream");
  }

  @Test
  void chainedStreamsAddUp() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(stream(1, 0.5));
    out.writeBytes(stream(2, 0.25));
    Decoded d = AudioCheck.decode(AudioFormat.opus(), out.toByteArray());
    assertThat(d.problems()).isEmpty();
    assertThat(d.duration()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void aWrongCrcACutPageOrAMissingHeadIsWrong() {
    byte[] s = stream(3, 1.0);
    s[s.length - 5] ^= 0x40;
    assertThat(AudioCheck.decode(AudioFormat.opus(), s).problems())
        .anyMatch(p -> p.contains("wrong CRC"));

    byte[] cut = java.util.Arrays.copyOf(stream(3, 1.0), 120);
    assertThat(AudioCheck.decode(AudioFormat.opus(), cut).problems())
        .anyMatch(p -> p.contains("cut short"));

    byte[] noHead = page(0x02, 0, 9, 0, new byte[30]);
    assertThat(AudioCheck.decode(AudioFormat.opus(), noHead).problems())
        .anyMatch(p -> p.contains("does not start with OpusHead"));

    assertThat(AudioCheck.decode(AudioFormat.opus(), new byte[] {1, 2, 3}).problems()).isNotEmpty();
  }

  @Test
  void theTableCrcAgreesWithTheBitwiseOne() {
    byte[] p = page(0x02, 0, 5, 0, opusHead(100));
    int stored = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).getInt(22);
    assertThat(OggOpus.crc(p, 0, p.length)).isEqualTo(stored).isNotZero();
  }
}
