package dev.voicebridge.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class WavTest {

  @ParameterizedTest(name = "{0} Hz, {1} ch, {2} bit, {3} bytes")
  @CsvSource({
    "24000, 1, 16, 48000",
    "44100, 2, 16, 0",
    "8000, 1, 8, 1",
    "48000, 6, 24, 123456789",
    "16000, 1, 32, 4294967259"
  })
  void headerRoundTrip(int rate, int channels, int bits, long dataBytes) {
    byte[] header = Wav.header(rate, channels, bits, dataBytes);

    assertThat(header).hasSize(Wav.HEADER_BYTES);
    WavInfo info = Wav.read(header);
    assertThat(info).isEqualTo(new WavInfo(Wav.FORMAT_PCM, rate, channels, bits, 44, dataBytes));
    assertThat(info.isStreaming()).isFalse();
    assertThat(info.blockAlign()).isEqualTo(channels * bits / 8);
    assertThat(info.byteRate()).isEqualTo((long) rate * channels * bits / 8);
  }

  @Test
  void headerIsTheCanonical44ByteLayout() {
    byte[] header = Wav.header(24000, 1, 16, 48000);

    ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(ascii(header, 0)).isEqualTo("RIFF");
    assertThat(b.getInt(4)).isEqualTo(36 + 48000);
    assertThat(ascii(header, 8)).isEqualTo("WAVE");
    assertThat(ascii(header, 12)).isEqualTo("fmt ");
    assertThat(b.getInt(16)).isEqualTo(16);
    assertThat(b.getShort(20)).isEqualTo((short) 1);
    assertThat(b.getShort(22)).isEqualTo((short) 1);
    assertThat(b.getInt(24)).isEqualTo(24000);
    assertThat(b.getInt(28)).isEqualTo(48000);
    assertThat(b.getShort(32)).isEqualTo((short) 2);
    assertThat(b.getShort(34)).isEqualTo((short) 16);
    assertThat(ascii(header, 36)).isEqualTo("data");
    assertThat(b.getInt(40)).isEqualTo(48000);
  }

  @Test
  void streamingHeaderHasFishAudioPlaceholderSizes() {
    byte[] header = Wav.streamingHeader(44100, 1, 16);

    assertThat(header).hasSize(44);
    assertThat(Arrays.copyOfRange(header, 4, 8))
        .containsExactly(0x24, 0xFF, 0xFF, 0xFF); // 0xFFFFFF24 = 4294967076
    assertThat(Arrays.copyOfRange(header, 40, 44))
        .containsExactly(0x00, 0xFF, 0xFF, 0xFF); // 0xFFFFFF00 = 4294967040
    assertThat(Wav.STREAMING_RIFF_SIZE).isEqualTo(4294967076L);
    assertThat(Wav.STREAMING_DATA_SIZE).isEqualTo(4294967040L);
    // Everything but the sizes is the same as a normal header.
    byte[] normal = Wav.header(44100, 1, 16, 0);
    assertThat(Arrays.copyOfRange(header, 8, 40)).isEqualTo(Arrays.copyOfRange(normal, 8, 40));

    WavInfo info = Wav.read(header);
    assertThat(info).isEqualTo(new WavInfo(Wav.FORMAT_PCM, 44100, 1, 16, 44, -1));
    assertThat(info.isStreaming()).isTrue();
  }

  @Test
  void readsOtherUnknownLengthPlaceholders() {
    assertThat(Wav.read(wav(0xFFFFFFFFL, fmt(1, 1, 16000, 16), 0xFFFFFFFFL)).dataBytes())
        .isEqualTo(-1);
    assertThat(Wav.read(wav(0xFFFFFFFFL, fmt(1, 1, 16000, 16), 0)).dataBytes()).isEqualTo(-1);
    assertThat(Wav.read(wav(0, fmt(1, 1, 16000, 16), 0)).dataBytes()).isEqualTo(-1);
    // A real empty file.
    assertThat(Wav.read(wav(36, fmt(1, 1, 16000, 16), 0)).dataBytes()).isZero();
  }

  @Test
  void skipsListAndOtherChunksBeforeData() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(riff(0));
    out.writeBytes(chunk("LIST", "INFOISFT\u0005\u0000\u0000\u0000Lavf\u0000".getBytes(LATIN1)));
    out.writeBytes(fmt(1, 2, 22050, 16));
    out.writeBytes(chunk("odd ", new byte[] {1, 2, 3})); // odd size: one pad byte follows
    out.writeBytes(chunk("fact", new byte[] {4, 0, 0, 0}));
    out.writeBytes(dataHeader(1000));
    byte[] bytes = out.toByteArray();

    WavInfo info = Wav.read(bytes);

    assertThat(info.formatCode()).isEqualTo(Wav.FORMAT_PCM);
    assertThat(info.channels()).isEqualTo(2);
    assertThat(info.sampleRate()).isEqualTo(22050);
    assertThat(info.dataBytes()).isEqualTo(1000);
    assertThat(info.dataOffset()).isEqualTo(bytes.length);
  }

  @ParameterizedTest(name = "format {0}")
  @CsvSource({"6", "7"})
  void readsG711Formats(int code) {
    // Non-PCM fmt chunks are usually 18 bytes (cbSize = 0).
    byte[] fmt = fmtChunk(code, 1, 8000, 8, new byte[] {0, 0});

    WavInfo info = Wav.read(wav(0, fmt, 16000));

    assertThat(info).isEqualTo(new WavInfo(code, 8000, 1, 8, 12 + 26 + 8, 16000));
  }

  @Test
  void readsWaveFormatExtensible() {
    byte[] fmt = fmtChunk(0xFFFE, 1, 48000, 16, extensibleTail(1)); // KSDATAFORMAT_SUBTYPE_PCM

    WavInfo info = Wav.read(wav(0, fmt, 96000));

    assertThat(info).isEqualTo(new WavInfo(Wav.FORMAT_PCM, 48000, 1, 16, 12 + 48 + 8, 96000));
  }

  @Test
  void readsFromTheBufferPositionWithoutMovingIt() {
    byte[] header = Wav.header(16000, 1, 16, 320);
    ByteBuffer buffer = ByteBuffer.allocate(3 + header.length + 320).order(ByteOrder.BIG_ENDIAN);
    buffer.put(new byte[] {9, 9, 9}).put(header).position(3);

    WavInfo info = Wav.read(buffer);

    assertThat(info.dataOffset()).isEqualTo(44);
    assertThat(info.dataBytes()).isEqualTo(320);
    assertThat(buffer.position()).isEqualTo(3);
    assertThat(buffer.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
  }

  static Stream<Arguments> malformedHeaders() {
    byte[] good = Wav.header(16000, 1, 16, 100);
    return Stream.of(
        Arguments.of("empty", new byte[0]),
        Arguments.of("RIFF only", "RIFF".getBytes(LATIN1)),
        Arguments.of("11 bytes", Arrays.copyOf(good, 11)),
        Arguments.of("12 bytes, no chunk", Arrays.copyOf(good, 12)),
        Arguments.of("RIFX", replace(good, 0, "RIFX")),
        Arguments.of("AVI form", replace(good, 8, "AVI ")),
        Arguments.of("text", "this is not a wav file at all, just text".getBytes(LATIN1)),
        Arguments.of("no fmt chunk", wav(0, new byte[0], 100)),
        Arguments.of("fmt chunk of 14 bytes", wav(0, fmtChunk(1, 1, 16000, 16, null, 14), 10)),
        Arguments.of("fmt chunk cut short", Arrays.copyOf(good, 30)),
        Arguments.of("IEEE float", wav(0, fmt(3, 1, 16000, 32), 10)),
        Arguments.of("ADPCM", wav(0, fmt(2, 1, 16000, 4), 10)),
        Arguments.of("zero channels", wav(0, fmt(1, 0, 16000, 16), 10)),
        Arguments.of("zero sample rate", wav(0, fmt(1, 1, 0, 16), 10)),
        Arguments.of("sample rate 2^31", wav(0, fmt(1, 1, 0x80000000L, 16), 10)),
        Arguments.of("12 bits per sample", wav(0, fmt(1, 1, 16000, 12), 10)),
        Arguments.of("0 bits per sample", wav(0, fmt(1, 1, 16000, 0), 10)),
        Arguments.of("16-bit mu-law", wav(0, fmt(7, 1, 8000, 16), 10)),
        Arguments.of(
            "two fmt chunks",
            concat(riff(0), fmt(1, 1, 8000, 16), fmt(1, 1, 8000, 16), dataHeader(2))),
        Arguments.of("data before fmt", concat(riff(0), dataHeader(2), fmt(1, 1, 8000, 16))),
        Arguments.of(
            "huge chunk before data",
            concat(riff(0), fmt(1, 1, 8000, 16), chunkHeader("LIST", 0xFFFFFFF0L), dataHeader(2))),
        Arguments.of("no data chunk", concat(riff(0), fmt(1, 1, 8000, 16))),
        Arguments.of(
            "data chunk header cut short",
            concat(riff(0), fmt(1, 1, 8000, 16), "data".getBytes(LATIN1), new byte[] {1, 2})),
        Arguments.of(
            "extensible, too short", wav(0, fmtChunk(0xFFFE, 1, 8000, 16, new byte[2]), 10)),
        Arguments.of(
            "extensible, unknown sub-format",
            wav(0, fmtChunk(0xFFFE, 1, 8000, 16, extensibleTail(0x0003)), 10)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedHeaders")
  void rejectsMalformedHeadersWithIllegalArgumentException(String name, byte[] bytes) {
    assertThatThrownBy(() -> Wav.read(bytes)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wav.read(ByteBuffer.wrap(bytes)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsEveryTruncationOfAValidHeader() {
    byte[] withList =
        concat(riff(0), chunk("LIST", new byte[27]), fmt(1, 1, 8000, 16), dataHeader(2));
    for (byte[] valid : new byte[][] {Wav.header(16000, 1, 16, 0), withList}) {
      Wav.read(valid);
      for (int n = 0; n < valid.length; n++) {
        byte[] prefix = Arrays.copyOf(valid, n);
        assertThatThrownBy(() -> Wav.read(prefix))
            .as("prefix of %d bytes", n)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void rejectsRandomBytes() {
    for (long seed = 1; seed <= 2000; seed++) {
      Random random = new Random(seed);
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      assertThatThrownBy(() -> Wav.read(bytes))
          .as("seed %d", seed)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void mutatedHeadersEitherParseOrThrowIllegalArgumentException() {
    byte[][] seeds = {
      Wav.header(16000, 1, 16, 100),
      Wav.streamingHeader(24000, 2, 24),
      concat(riff(0), chunk("LIST", new byte[9]), fmt(7, 1, 8000, 8), dataHeader(2)),
    };
    Random random = new Random(42);
    int parsed = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] bytes = seeds[i % seeds.length].clone();
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(bytes.length);
        bytes[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (bytes[at] ^ 0xFF);
      }
      if (random.nextInt(8) == 0) {
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 16));
      }
      try {
        WavInfo info = Wav.read(bytes);
        parsed++;
        assertThat(info.dataOffset()).isBetween(44, bytes.length);
        assertThat(info.sampleRate()).isPositive();
      } catch (IllegalArgumentException expected) {
        // fine
      } catch (RuntimeException e) {
        fail("mutation " + i + " threw " + e, e);
      }
    }
    assertThat(parsed).isPositive();
  }

  @Test
  void headerRejectsInvalidParameters() {
    assertThatThrownBy(() -> Wav.header(0, 1, 16, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wav.header(16000, 0, 16, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wav.header(16000, 1, 12, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wav.header(16000, 1, 16, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wav.header(16000, 1, 16, 0xFFFFFFFFL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wav.streamingHeader(Integer.MAX_VALUE, 2, 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- builders ---

  private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;

  private static String ascii(byte[] b, int at) {
    return new String(b, at, 4, StandardCharsets.US_ASCII);
  }

  private static byte[] replace(byte[] b, int at, String id) {
    byte[] copy = b.clone();
    System.arraycopy(id.getBytes(LATIN1), 0, copy, at, 4);
    return copy;
  }

  private static byte[] extensibleTail(int subFormat) {
    ByteBuffer ext = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    ext.putShort((short) 22).putShort((short) 16).putInt(4); // cbSize, valid bits, channel mask
    ext.putShort((short) subFormat);
    ext.put(
        new byte[] {
          0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71
        });
    return ext.array();
  }

  private static byte[] riff(long size) {
    return concat(chunkHeader("RIFF", size), "WAVE".getBytes(LATIN1));
  }

  private static byte[] chunkHeader(String id, long size) {
    return ByteBuffer.allocate(8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(id.getBytes(LATIN1))
        .putInt((int) size)
        .array();
  }

  private static byte[] chunk(String id, byte[] body) {
    byte[] pad = (body.length & 1) == 0 ? new byte[0] : new byte[1];
    return concat(chunkHeader(id, body.length), body, pad);
  }

  private static byte[] dataHeader(long size) {
    return chunkHeader("data", size);
  }

  private static byte[] fmt(int code, int channels, long rate, int bits) {
    return fmtChunk(code, channels, rate, bits, null);
  }

  private static byte[] fmtChunk(int code, int channels, long rate, int bits, byte[] extra) {
    return fmtChunk(code, channels, rate, bits, extra, -1);
  }

  private static byte[] fmtChunk(
      int code, int channels, long rate, int bits, byte[] extra, int declaredSize) {
    int extraLen = extra == null ? 0 : extra.length;
    ByteBuffer b = ByteBuffer.allocate(16 + extraLen).order(ByteOrder.LITTLE_ENDIAN);
    int blockAlign = channels * Math.max(1, bits / 8);
    b.putShort((short) code).putShort((short) channels).putInt((int) rate);
    b.putInt((int) (rate * blockAlign)).putShort((short) blockAlign).putShort((short) bits);
    if (extra != null) {
      b.put(extra);
    }
    byte[] body = b.array();
    if (declaredSize >= 0) {
      return concat(chunkHeader("fmt ", declaredSize), Arrays.copyOf(body, declaredSize));
    }
    return chunk("fmt ", body);
  }

  private static byte[] wav(long riffSize, byte[] fmt, long dataSize) {
    return concat(riff(riffSize), fmt, dataHeader(dataSize));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
