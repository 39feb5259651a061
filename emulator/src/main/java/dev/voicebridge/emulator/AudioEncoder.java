package dev.voicebridge.emulator;

import de.sciss.jump3r.lowlevel.LameEncoder;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.kit.audio.G711;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A streaming encoder from 16-bit little-endian mono PCM (at the target's sample rate) to the
 * format a client asked for. One encoder per generated stream; not thread-safe.
 *
 * <ul>
 *   <li>PCM_S16LE: the bytes unchanged;
 *   <li>WAV: a 44-byte streaming header with Fish-style placeholder sizes ({@link
 *       Wav#streamingHeader}) before the first audio, then the samples;
 *   <li>MULAW, ALAW: G.711, one byte per sample;
 *   <li>MP3: MPEG layer III frames from jump3r (a LAME port) at the given bitrate; an encoder holds
 *       back up to a frame or so of audio until {@link #finish()};
 *   <li>OPUS: not available: {@link #of} throws {@link UnsupportedOperationException}, and each
 *       emulator answers the request the way its vendor answers an unsupported one.
 * </ul>
 */
public final class AudioEncoder {
  private final AudioFormat target;
  private final LameEncoder mp3;
  private final byte[] mp3Buffer;
  private final int mp3Chunk;
  private boolean headerSent;
  private byte oddByte;
  private boolean hasOddByte;
  private boolean finished;

  private AudioEncoder(AudioFormat target, int mp3Kbps) {
    this.target = target;
    if (target.encoding() == AudioFormat.Encoding.MP3) {
      javax.sound.sampled.AudioFormat source =
          new javax.sound.sampled.AudioFormat(target.sampleRate(), 16, 1, true, false);
      this.mp3 =
          new LameEncoder(
              source, mp3Kbps, LameEncoder.CHANNEL_MODE_MONO, LameEncoder.QUALITY_MIDDLE, false);
      this.mp3Chunk = Math.max(2, mp3.getPCMBufferSize() & ~1);
      this.mp3Buffer = new byte[Math.max(mp3.getMP3BufferSize(), 16 * 1024)];
    } else {
      this.mp3 = null;
      this.mp3Buffer = null;
      this.mp3Chunk = 0;
    }
  }

  /**
   * An encoder to {@code target}.
   *
   * @param target the format to produce (mono); its sample rate is the rate of the PCM given to
   *     {@link #encode}
   * @param mp3Kbps the MP3 bitrate in kbit/s (ignored for other encodings)
   * @throws UnsupportedOperationException for OPUS or more than one channel
   */
  public static AudioEncoder of(AudioFormat target, int mp3Kbps) {
    Objects.requireNonNull(target, "target");
    if (target.channels() != 1) {
      throw new UnsupportedOperationException("the emulator encodes mono only: " + target);
    }
    if (target.encoding() == AudioFormat.Encoding.OPUS) {
      throw new UnsupportedOperationException("the emulator cannot encode Opus");
    }
    if (target.encoding() == AudioFormat.Encoding.MP3 && mp3Kbps <= 0) {
      throw new IllegalArgumentException("mp3Kbps must be positive: " + mp3Kbps);
    }
    return new AudioEncoder(target, mp3Kbps);
  }

  /** The format this encoder produces. */
  public AudioFormat target() {
    return target;
  }

  /**
   * Encodes more PCM. May return an empty array (MP3 buffers input until it has a frame).
   *
   * @param pcm16le samples at the target's rate; an odd trailing byte is kept for the next call
   * @throws IllegalStateException after {@link #finish()}
   */
  public byte[] encode(byte[] pcm16le) {
    Objects.requireNonNull(pcm16le, "pcm16le");
    if (finished) {
      throw new IllegalStateException("encoder finished");
    }
    byte[] pcm = aligned(pcm16le);
    return switch (target.encoding()) {
      case PCM_S16LE -> pcm;
      case WAV -> withHeader(pcm);
      case MULAW -> G711.encodeMuLaw(pcm, 0, pcm.length);
      case ALAW -> G711.encodeALaw(pcm, 0, pcm.length);
      case MP3 -> encodeMp3(pcm);
      case OPUS -> throw new UnsupportedOperationException("opus");
    };
  }

  /**
   * Ends the stream: returns what the encoder still holds (the rest of the MP3 frames; the WAV
   * header if no audio was ever encoded). Idempotent: later calls return an empty array.
   */
  public byte[] finish() {
    if (finished) {
      return new byte[0];
    }
    finished = true;
    hasOddByte = false;
    return switch (target.encoding()) {
      case WAV -> withHeader(new byte[0]);
      case MP3 -> {
        int n = mp3.encodeFinish(mp3Buffer);
        mp3.close();
        yield Arrays.copyOf(mp3Buffer, Math.max(0, n));
      }
      default -> new byte[0];
    };
  }

  private byte[] aligned(byte[] in) {
    int total = in.length + (hasOddByte ? 1 : 0);
    byte[] out = new byte[total & ~1];
    int o = 0;
    int i = 0;
    if (hasOddByte && out.length > 0) {
      out[o++] = oddByte;
      hasOddByte = false;
    }
    int copy = out.length - o;
    System.arraycopy(in, i, out, o, copy);
    i += copy;
    if (i < in.length) {
      oddByte = in[i];
      hasOddByte = true;
    }
    return out;
  }

  private byte[] withHeader(byte[] pcm) {
    if (headerSent) {
      return pcm;
    }
    headerSent = true;
    byte[] header = Wav.streamingHeader(target.sampleRate(), 1, 16);
    byte[] out = Arrays.copyOf(header, header.length + pcm.length);
    System.arraycopy(pcm, 0, out, header.length, pcm.length);
    return out;
  }

  private byte[] encodeMp3(byte[] pcm) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < pcm.length; off += mp3Chunk) {
      int len = Math.min(mp3Chunk, pcm.length - off);
      int n = mp3.encodeBuffer(pcm, off, len, mp3Buffer);
      if (n > 0) {
        out.write(mp3Buffer, 0, n);
      }
    }
    return out.toByteArray();
  }
}
