package dev.voicebridge.cli;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes audio to a file as it arrives. PCM headed for a {@code .wav} file is wrapped in a WAV
 * header; a WAV stream whose header carries placeholder sizes (as Fish streams them) gets its sizes
 * fixed when the file is closed.
 */
final class AudioFileWriter implements AutoCloseable {
  private final FileChannel channel;
  private final boolean wrapPcm;
  private final boolean patchWav;
  private final AudioFormat format;
  private long dataBytes;

  private AudioFileWriter(
      FileChannel channel, AudioFormat format, boolean wrapPcm, boolean patchWav) {
    this.channel = channel;
    this.format = format;
    this.wrapPcm = wrapPcm;
    this.patchWav = patchWav;
  }

  /** Opens {@code out} for writing audio in {@code format}; fails early when it is not writable. */
  static AudioFileWriter open(Path out, AudioFormat format) throws IOException {
    boolean wav = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".wav");
    FileChannel ch =
        FileChannel.open(
            out,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    boolean wrap = wav && format.isUncompressed() && format.encoding() != AudioFormat.Encoding.WAV;
    boolean patch = format.encoding() == AudioFormat.Encoding.WAV;
    AudioFileWriter w = new AudioFileWriter(ch, format, wrap, patch);
    if (wrap) {
      w.writeFully(ByteBuffer.wrap(w.header(0)));
    }
    return w;
  }

  private byte[] header(long bytes) {
    int code =
        switch (format.encoding()) {
          case MULAW -> Wav.FORMAT_MULAW;
          case ALAW -> Wav.FORMAT_ALAW;
          default -> Wav.FORMAT_PCM;
        };
    byte[] h =
        Wav.header(format.sampleRate(), format.channels(), format.bytesPerSample() * 8, bytes);
    if (code != Wav.FORMAT_PCM) {
      h[20] = (byte) code;
      h[21] = 0;
    }
    return h;
  }

  void write(ByteBuffer audio) throws IOException {
    dataBytes += audio.remaining();
    writeFully(audio);
  }

  private void writeFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (wrapPcm) {
        channel.write(ByteBuffer.wrap(header(dataBytes)), 0);
      } else if (patchWav && dataBytes >= Wav.HEADER_BYTES) {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(dataBytes, 4096));
        channel.read(head, 0);
        head.flip();
        try {
          WavInfo info = Wav.read(head);
          long data = dataBytes - info.dataOffset();
          ByteBuffer riff = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
          riff.putInt(0, (int) (dataBytes - 8));
          channel.write(riff, 4);
          ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
          size.putInt(0, (int) data);
          channel.write(size, info.dataOffset() - 4);
        } catch (IllegalArgumentException e) {
          // not a header we understand: leave the bytes exactly as the provider sent them
        }
      }
    } finally {
      channel.close();
    }
  }

  /** Bytes of audio written (without a header this writer added). */
  long dataBytes() {
    return dataBytes;
  }
}
