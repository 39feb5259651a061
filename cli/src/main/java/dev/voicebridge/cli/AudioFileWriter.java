package dev.voicebridge.cli;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AudioFormat.Encoding;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Writes audio to a file as it arrives, never leaving a broken one: the audio goes to a temporary
 * file beside the target, which {@link #commit()} completes (WAV sizes) and moves into place; a
 * writer closed without a commit deletes it, so a failure leaves nothing new and an existing file
 * untouched. PCM, mu-law and A-law headed for a {@code .wav} file are wrapped in a WAV header; a
 * WAV stream whose header carries placeholder sizes (as Fish streams them) gets its sizes fixed.
 */
final class AudioFileWriter implements AutoCloseable {
  /** The kinds of file the writer produces, by file name extension. */
  enum Container {
    WAV(
        List.of(".wav"),
        EnumSet.of(Encoding.PCM_S16LE, Encoding.WAV, Encoding.MULAW, Encoding.ALAW)),
    PCM(List.of(".pcm"), EnumSet.of(Encoding.PCM_S16LE)),
    RAW(List.of(".raw"), EnumSet.of(Encoding.PCM_S16LE, Encoding.MULAW, Encoding.ALAW)),
    MP3(List.of(".mp3"), EnumSet.of(Encoding.MP3)),
    OPUS(List.of(".opus", ".ogg"), EnumSet.of(Encoding.OPUS)),
    MULAW(List.of(".ulaw", ".mulaw"), EnumSet.of(Encoding.MULAW)),
    ALAW(List.of(".alaw"), EnumSet.of(Encoding.ALAW));

    /** Every extension the writer accepts, for messages. */
    static final String EXTENSIONS = ".wav, .pcm, .raw, .mp3, .opus, .ogg, .ulaw, .mulaw or .alaw";

    private final List<String> extensions;
    private final Set<Encoding> encodings;

    Container(List<String> extensions, Set<Encoding> encodings) {
      this.extensions = extensions;
      this.encodings = encodings;
    }

    /** The container a file name asks for, if the writer can produce it. */
    static Optional<Container> of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      for (Container c : values()) {
        for (String ext : c.extensions) {
          if (name.endsWith(ext) && name.length() > ext.length()) {
            return Optional.of(c);
          }
        }
      }
      return Optional.empty();
    }

    /** Whether audio in {@code e} can go into this kind of file. */
    boolean holds(Encoding e) {
      return encodings.contains(e);
    }

    /** What this kind of file holds, for messages: "pcm, wav, mulaw or alaw". */
    String holdsText() {
      List<String> names =
          encodings.stream()
              .map(e -> e == Encoding.PCM_S16LE ? "pcm" : e.name().toLowerCase(Locale.ROOT))
              .toList();
      return names.size() == 1
          ? names.get(0)
          : String.join(", ", names.subList(0, names.size() - 1))
              + " or "
              + names.get(names.size() - 1);
    }

    /** The format asked for when --format is not given. */
    AudioFormat defaultFormat(AudioFormat providerDefault) {
      return switch (this) {
        case WAV, PCM, RAW ->
            providerDefault.encoding() == Encoding.PCM_S16LE
                ? providerDefault
                : AudioFormat.pcm(providerDefault.sampleRate());
        case MP3 -> AudioFormat.mp3(44_100);
        case OPUS -> AudioFormat.opus();
        case MULAW -> AudioFormat.mulaw(8000);
        case ALAW -> AudioFormat.alaw(8000);
      };
    }
  }

  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private final boolean wrap;
  private final boolean patchWav;
  private final AudioFormat format;
  private long dataBytes;
  private boolean committed;

  private AudioFileWriter(
      Path target, Path temporary, FileChannel channel, AudioFormat format, boolean wrap) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
    this.format = format;
    this.wrap = wrap;
    this.patchWav = format.encoding() == Encoding.WAV;
  }

  /** Opens a temporary file beside {@code out} for audio in {@code format}. */
  static AudioFileWriter open(Path out, AudioFormat format) throws IOException {
    Path abs = out.toAbsolutePath();
    boolean wav = Container.of(abs).orElse(null) == Container.WAV;
    boolean wrap = wav && format.isUncompressed() && format.encoding() != Encoding.WAV;
    Path tmp = AtomicFiles.temporaryFor(abs);
    FileChannel ch =
        FileChannel.open(
            tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    AudioFileWriter w = new AudioFileWriter(abs, tmp, ch, format, wrap);
    try {
      if (wrap) {
        w.writeFully(ByteBuffer.wrap(w.header(0)));
      }
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
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

  /**
   * Completes the file (the sizes in a WAV header) and moves it into place, replacing an existing
   * file at once.
   */
  void commit() throws IOException {
    if (wrap) {
      ByteBuffer h = ByteBuffer.wrap(header(dataBytes));
      while (h.hasRemaining()) {
        channel.write(h, h.position());
      }
    } else if (patchWav && dataBytes >= Wav.HEADER_BYTES) {
      patchWavSizes();
    }
    channel.force(false);
    channel.close();
    AtomicFiles.moveIntoPlace(temporary, target);
    committed = true;
  }

  private void patchWavSizes() throws IOException {
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(dataBytes, 4096));
    while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
      // read the start of the file
    }
    head.flip();
    WavInfo info;
    try {
      info = Wav.read(head);
    } catch (IllegalArgumentException e) {
      return; // not a header we understand: the bytes stay exactly as the provider sent them
    }
    ByteBuffer riff = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    riff.putInt(0, (int) Math.min(dataBytes - 8, 0xFFFF_FFFFL));
    channel.write(riff, 4);
    ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    size.putInt(0, (int) Math.min(dataBytes - info.dataOffset(), 0xFFFF_FFFFL));
    channel.write(size, info.dataOffset() - 4);
  }

  /** Deletes the temporary file unless {@link #commit()} moved it into place. */
  @Override
  public void close() throws IOException {
    if (committed) {
      return;
    }
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Bytes of audio written (without a header this writer added). */
  long dataBytes() {
    return dataBytes;
  }

  /** The file the audio goes to once committed. */
  Path target() {
    return target;
  }
}
