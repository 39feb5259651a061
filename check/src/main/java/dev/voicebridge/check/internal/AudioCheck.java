package dev.voicebridge.check.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.kit.audio.G711;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Decodes a session's audio in the format it was asked for and says how long it plays and what is
 * wrong with it:
 *
 * <ul>
 *   <li>PCM: whole 16-bit samples, not silent;
 *   <li>WAV: a RIFF header with the requested rate and channel count, 16-bit PCM, a declared size
 *       (unless a streaming placeholder) equal to what came, then the PCM checks;
 *   <li>mu-law and A-law: decoded to PCM, then the PCM checks;
 *   <li>MP3: every byte is an MPEG layer III frame (or an ID3 tag) at the requested rate, the last
 *       frame whole; the duration is the frames' samples;
 *   <li>Opus: Ogg pages with the capture pattern and a correct CRC, an {@code OpusHead} at each
 *       stream's start; the duration is the last granule position less the pre-skip, at 48 kHz.
 * </ul>
 *
 * <p>The duration is then held to the text: at least {@link #MIN_SECONDS_PER_CHAR} and at most
 * {@link #MAX_SECONDS_PER_CHAR} seconds per character, plus {@link #SILENCE_ALLOWANCE} for the
 * silence vendors put around speech. Speech runs at about 0.06 to 0.09 seconds per character; the
 * range is wide so that a slow voice passes and a vendor that sends a fraction of the audio, or
 * much too much, does not.
 */
public final class AudioCheck {
  /** Fewer seconds per character than this is too little audio for the text. */
  public static final double MIN_SECONDS_PER_CHAR = 0.02;

  /** More seconds per character than this (plus the allowance) is too much. */
  public static final double MAX_SECONDS_PER_CHAR = 0.2;

  /** Silence around the speech that the upper bound allows for. */
  public static final Duration SILENCE_ALLOWANCE = Duration.ofMillis(1500);

  /** A peak below this (of 32767) is silence, not speech. */
  static final int SILENT_PEAK = 100;

  /**
   * What the check made of some audio.
   *
   * @param duration how long it plays, or null when it could not be told
   * @param description the format and what was found, for the rule's line
   * @param problems what is wrong with it (empty when nothing is)
   */
  public record Decoded(Duration duration, String description, List<String> problems) {
    /** Compact constructor: copies. */
    public Decoded {
      problems = List.copyOf(problems);
    }
  }

  private AudioCheck() {}

  /** Decodes {@code bytes} as {@code format}. */
  public static Decoded decode(AudioFormat format, byte[] bytes) {
    List<String> problems = new ArrayList<>();
    if (bytes.length == 0) {
      problems.add("no audio");
      return new Decoded(Duration.ZERO, name(format) + ": no audio", problems);
    }
    return switch (format.encoding()) {
      case PCM_S16LE -> pcm(format, bytes, name(format), problems);
      case WAV -> wav(format, bytes, problems);
      case MULAW -> pcm(format, G711.decodeMuLaw(bytes, 0, bytes.length), name(format), problems);
      case ALAW -> pcm(format, G711.decodeALaw(bytes, 0, bytes.length), name(format), problems);
      case MP3 -> Mp3Frames.scan(bytes, format.sampleRate());
      case OPUS -> OggOpus.scan(bytes);
    };
  }

  /**
   * What is wrong with {@code duration} of audio for {@code chars} characters of text, or null when
   * it is plausible.
   */
  public static String implausible(Duration duration, int chars) {
    double s = duration.toNanos() / 1e9;
    double min = MIN_SECONDS_PER_CHAR * chars;
    double max = MAX_SECONDS_PER_CHAR * chars + SILENCE_ALLOWANCE.toMillis() / 1000.0;
    if (s < min) {
      return String.format(
          Locale.ROOT,
          "%.2f s of audio is too little for %d characters (at least %.2f s)",
          s,
          chars,
          min);
    }
    if (s > max) {
      return String.format(
          Locale.ROOT,
          "%.2f s of audio is too much for %d characters (at most %.2f s)",
          s,
          chars,
          max);
    }
    return null;
  }

  /** The format as {@code pcm_24000}. */
  public static String name(AudioFormat f) {
    String enc =
        switch (f.encoding()) {
          case PCM_S16LE -> "pcm";
          default -> f.encoding().name().toLowerCase(Locale.ROOT);
        };
    return enc + "_" + f.sampleRate() + (f.channels() == 1 ? "" : "_" + f.channels() + "ch");
  }

  private static Decoded wav(AudioFormat format, byte[] bytes, List<String> problems) {
    WavInfo info;
    try {
      info = Wav.read(bytes);
    } catch (IllegalArgumentException e) {
      problems.add("the WAV header does not parse: " + e.getMessage());
      return new Decoded(null, name(format) + ": no WAV header", problems);
    }
    if (info.formatCode() != Wav.FORMAT_PCM || info.bitsPerSample() != 16) {
      problems.add(
          "the WAV header says format "
              + info.formatCode()
              + " with "
              + info.bitsPerSample()
              + " bits, not 16-bit PCM");
    }
    if (info.sampleRate() != format.sampleRate() || info.channels() != format.channels()) {
      problems.add(
          "the WAV header says "
              + info.sampleRate()
              + " Hz, "
              + info.channels()
              + " channel(s); "
              + format.sampleRate()
              + " Hz, "
              + format.channels()
              + " asked");
    }
    int offset = Math.min(bytes.length, info.dataOffset());
    byte[] data = Arrays.copyOfRange(bytes, offset, bytes.length);
    if (!info.isStreaming() && info.dataBytes() != data.length) {
      problems.add(
          "the WAV header declares " + info.dataBytes() + " data bytes, " + data.length + " came");
    }
    return pcm(format, data, name(format) + " (header " + info.dataOffset() + " bytes)", problems);
  }

  /** 16-bit little-endian PCM: whole samples, not silent. */
  private static Decoded pcm(AudioFormat format, byte[] pcm, String label, List<String> problems) {
    int frame = 2 * format.channels();
    if (pcm.length % frame != 0) {
      problems.add(pcm.length + " bytes of 16-bit audio are not whole samples");
    }
    int peak = 0;
    for (int i = 0; i + 1 < pcm.length; i += 2) {
      int s = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
      peak = Math.max(peak, Math.abs(s));
    }
    if (peak < SILENT_PEAK) {
      problems.add("the audio is silent (peak " + peak + " of 32767)");
    }
    long samples = pcm.length / frame;
    Duration d = Duration.ofNanos(Math.round(samples * 1e9 / format.sampleRate()));
    return new Decoded(
        d,
        String.format(Locale.ROOT, "%s, %.2f s, peak %d", label, d.toNanos() / 1e9, peak),
        problems);
  }
}
