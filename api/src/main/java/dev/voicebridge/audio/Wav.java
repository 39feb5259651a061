package dev.voicebridge.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Writes and reads RIFF/WAVE headers (little endian, canonical 44-byte PCM layout when writing).
 *
 * <p>Streamed WAV does not know its length up front. Vendors then write placeholder sizes; this
 * class writes the ones Fish Audio streams ({@link #streamingHeader}) and reads every common
 * placeholder as "unknown length" ({@link WavInfo#dataBytes()} {@code == -1}).
 *
 * <p>The reader is strict about structure and lenient about redundant fields: it checks the {@code
 * RIFF}/{@code WAVE} magic, walks the chunk list (skipping {@code LIST}, {@code fact} and any other
 * chunk before {@code data}), requires a {@code fmt } chunk before {@code data}, and accepts {@code
 * WAVE_FORMAT_PCM} (1), A-law (6) and mu-law (7), also inside {@code WAVE_FORMAT_EXTENSIBLE}. It
 * ignores the RIFF size and the byte rate and block align fields, which writers often get wrong.
 * Any malformed or truncated input makes it throw {@link IllegalArgumentException} and nothing
 * else; it never allocates in proportion to the sizes the input declares.
 *
 * <p>Stateless and thread-safe.
 */
public final class Wav {

  /** Format code of linear PCM ({@code WAVE_FORMAT_PCM}). */
  public static final int FORMAT_PCM = 1;

  /** Format code of G.711 A-law ({@code WAVE_FORMAT_ALAW}). */
  public static final int FORMAT_ALAW = 6;

  /** Format code of G.711 mu-law ({@code WAVE_FORMAT_MULAW}). */
  public static final int FORMAT_MULAW = 7;

  /** Size in bytes of the headers this class writes. */
  public static final int HEADER_BYTES = 44;

  /** The RIFF chunk size Fish Audio writes in a streamed WAV header ({@code 0xFFFFFF24}). */
  public static final long STREAMING_RIFF_SIZE = 0xFFFFFF24L;

  /** The data chunk size Fish Audio writes in a streamed WAV header ({@code 0xFFFFFF00}). */
  public static final long STREAMING_DATA_SIZE = 0xFFFFFF00L;

  /** The largest value an unsigned 32-bit size field can hold; also a common placeholder. */
  private static final long MAX_U32 = 0xFFFFFFFFL;

  private static final int FORMAT_EXTENSIBLE = 0xFFFE;

  /** The bytes of a KSDATAFORMAT sub-format GUID after its first two (the format code). */
  private static final byte[] GUID_TAIL = {
    0x00,
    0x00,
    0x00,
    0x00,
    0x10,
    0x00,
    (byte) 0x80,
    0x00,
    0x00,
    (byte) 0xAA,
    0x00,
    0x38,
    (byte) 0x9B,
    0x71
  };

  private Wav() {}

  /**
   * Writes a 44-byte PCM WAV header for audio of known length.
   *
   * @param sampleRate samples per second per channel, positive
   * @param channels number of channels, 1..65535
   * @param bitsPerSample 8, 16, 24 or 32
   * @param dataBytes the number of audio bytes that will follow the header, 0..{@code 0xFFFFFFFF -
   *     36}
   * @return a new 44-byte array
   * @throws IllegalArgumentException if a parameter is out of range
   */
  public static byte[] header(int sampleRate, int channels, int bitsPerSample, long dataBytes) {
    if (dataBytes < 0 || dataBytes > MAX_U32 - 36) {
      throw new IllegalArgumentException(
          "dataBytes must be in 0.." + (MAX_U32 - 36) + ": " + dataBytes);
    }
    return write(sampleRate, channels, bitsPerSample, 36 + dataBytes, dataBytes);
  }

  /**
   * Writes a 44-byte PCM WAV header for a stream of unknown length, with the placeholder sizes Fish
   * Audio streams: RIFF size {@value #STREAMING_RIFF_SIZE} ({@code 0xFFFFFF24}) and data size
   * {@value #STREAMING_DATA_SIZE} ({@code 0xFFFFFF00}).
   *
   * @param sampleRate samples per second per channel, positive
   * @param channels number of channels, 1..65535
   * @param bitsPerSample 8, 16, 24 or 32
   * @return a new 44-byte array
   * @throws IllegalArgumentException if a parameter is out of range
   */
  public static byte[] streamingHeader(int sampleRate, int channels, int bitsPerSample) {
    return write(sampleRate, channels, bitsPerSample, STREAMING_RIFF_SIZE, STREAMING_DATA_SIZE);
  }

  private static byte[] write(
      int sampleRate, int channels, int bitsPerSample, long riffSize, long dataSize) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
    if (channels <= 0 || channels > 0xFFFF) {
      throw new IllegalArgumentException("channels must be in 1..65535: " + channels);
    }
    if (bitsPerSample != 8 && bitsPerSample != 16 && bitsPerSample != 24 && bitsPerSample != 32) {
      throw new IllegalArgumentException("bitsPerSample must be 8, 16, 24 or 32: " + bitsPerSample);
    }
    long blockAlign = (long) channels * (bitsPerSample / 8);
    long byteRate = blockAlign * sampleRate;
    if (blockAlign > 0xFFFF || byteRate > MAX_U32) {
      throw new IllegalArgumentException(
          "too many channels or too high a sample rate for a WAV header: "
              + channels
              + " channels, "
              + sampleRate
              + " Hz, "
              + bitsPerSample
              + " bits");
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("RIFF")).putInt((int) riffSize).put(ascii("WAVE"));
    b.put(ascii("fmt ")).putInt(16);
    b.putShort((short) FORMAT_PCM).putShort((short) channels);
    b.putInt(sampleRate).putInt((int) byteRate);
    b.putShort((short) blockAlign).putShort((short) bitsPerSample);
    b.put(ascii("data")).putInt((int) dataSize);
    return b.array();
  }

  /**
   * Parses a WAV header at the start of {@code bytes}.
   *
   * @param bytes the header, optionally followed by audio; it must hold at least everything up to
   *     and including the {@code data} chunk's 8-byte header
   * @return what the header says
   * @throws IllegalArgumentException if the header is malformed, truncated or of an unsupported
   *     format
   * @throws NullPointerException if {@code bytes} is {@code null}
   */
  public static WavInfo read(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return read(ByteBuffer.wrap(bytes));
  }

  /**
   * Parses a WAV header starting at the buffer's position. The buffer's position, limit and byte
   * order are not changed; {@link WavInfo#dataOffset()} counts from the buffer's position.
   *
   * @param buffer the header between position and limit, optionally followed by audio; it must hold
   *     at least everything up to and including the {@code data} chunk's 8-byte header
   * @return what the header says
   * @throws IllegalArgumentException if the header is malformed, truncated or of an unsupported
   *     format
   * @throws NullPointerException if {@code buffer} is {@code null}
   */
  public static WavInfo read(ByteBuffer buffer) {
    Objects.requireNonNull(buffer, "buffer");
    ByteBuffer b = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    int limit = b.limit();
    if (limit < 12) {
      throw new IllegalArgumentException("truncated WAV header: " + limit + " bytes");
    }
    if (!is(b, 0, "RIFF")) {
      throw new IllegalArgumentException("not a WAV header: no RIFF magic");
    }
    long riffSize = u32(b, 4);
    if (!is(b, 8, "WAVE")) {
      throw new IllegalArgumentException("not a WAV header: RIFF form is not WAVE");
    }
    int formatCode = -1;
    int channels = 0;
    long sampleRate = 0;
    int bits = 0;
    long pos = 12;
    while (true) {
      if (pos + 8 > limit) {
        throw new IllegalArgumentException(
            "truncated WAV header: no data chunk within the first " + limit + " bytes");
      }
      int at = (int) pos;
      long size = u32(b, at + 4);
      if (is(b, at, "data")) {
        if (formatCode < 0) {
          throw new IllegalArgumentException("malformed WAV header: data chunk before fmt chunk");
        }
        long dataBytes = size;
        if (size == MAX_U32
            || size == STREAMING_DATA_SIZE
            || (size == 0
                && (riffSize == 0 || riffSize == MAX_U32 || riffSize == STREAMING_RIFF_SIZE))) {
          dataBytes = -1;
        }
        return new WavInfo(formatCode, (int) sampleRate, channels, bits, at + 8, dataBytes);
      }
      if (is(b, at, "fmt ")) {
        if (formatCode >= 0) {
          throw new IllegalArgumentException("malformed WAV header: two fmt chunks");
        }
        if (size < 16) {
          throw new IllegalArgumentException(
              "malformed WAV header: fmt chunk of " + size + " bytes, need at least 16");
        }
        if (pos + 8 + size > limit) {
          throw new IllegalArgumentException("truncated WAV header: fmt chunk incomplete");
        }
        int f = at + 8;
        int code = u16(b, f);
        channels = u16(b, f + 2);
        sampleRate = u32(b, f + 4);
        bits = u16(b, f + 14);
        if (code == FORMAT_EXTENSIBLE) {
          if (size < 40 || u16(b, f + 16) < 22) {
            throw new IllegalArgumentException(
                "malformed WAV header: WAVE_FORMAT_EXTENSIBLE fmt chunk too short");
          }
          int valid = u16(b, f + 18);
          if (valid != 0 && valid != bits) {
            throw new IllegalArgumentException(
                "unsupported WAV: " + valid + " valid bits in " + bits + "-bit containers");
          }
          code = u16(b, f + 24);
          for (int i = 0; i < GUID_TAIL.length; i++) {
            if (b.get(f + 26 + i) != GUID_TAIL[i]) {
              throw new IllegalArgumentException(
                  "unsupported WAV: WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format");
            }
          }
        }
        checkFormat(code, channels, sampleRate, bits);
        formatCode = code;
      }
      // Chunks are padded to an even size.
      pos += 8 + size + (size & 1);
    }
  }

  private static void checkFormat(int code, int channels, long sampleRate, int bits) {
    if (code != FORMAT_PCM && code != FORMAT_ALAW && code != FORMAT_MULAW) {
      throw new IllegalArgumentException(
          "unsupported WAV format code " + code + " (supported: 1 PCM, 6 A-law, 7 mu-law)");
    }
    if (channels == 0) {
      throw new IllegalArgumentException("malformed WAV header: 0 channels");
    }
    if (sampleRate == 0 || sampleRate > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("malformed WAV header: sample rate " + sampleRate);
    }
    if (code == FORMAT_PCM) {
      if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
        throw new IllegalArgumentException(
            "unsupported WAV: " + bits + " bits per PCM sample (supported: 8, 16, 24, 32)");
      }
    } else if (bits != 8) {
      throw new IllegalArgumentException(
          "malformed WAV header: " + bits + " bits per G.711 sample, expected 8");
    }
  }

  private static boolean is(ByteBuffer b, int at, String id) {
    for (int i = 0; i < 4; i++) {
      if (b.get(at + i) != (byte) id.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static long u32(ByteBuffer b, int at) {
    return Integer.toUnsignedLong(b.getInt(at));
  }

  private static int u16(ByteBuffer b, int at) {
    return Short.toUnsignedInt(b.getShort(at));
  }

  private static byte[] ascii(String s) {
    byte[] out = new byte[s.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) s.charAt(i);
    }
    return out;
  }
}
