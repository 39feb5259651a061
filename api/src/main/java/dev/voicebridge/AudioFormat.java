package dev.voicebridge;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The audio an application asks for: an encoding, a sample rate and a channel count.
 *
 * <p>Each provider maps a format to its vendor's own spelling ({@code pcm_24000}, {@code format:
 * "pcm", sample_rate: 24000}, ...) or refuses it with {@link UnsupportedCapabilityException} before
 * any network I/O. Asking for one typed format is what makes a sample-rate mismatch impossible to
 * express by accident.
 *
 * @param encoding how the bytes are encoded
 * @param sampleRate samples per second per channel, positive
 * @param channels channel count, positive (every vendor here speaks mono)
 */
public record AudioFormat(Encoding encoding, int sampleRate, int channels) {

  /** Audio encodings a request can name. */
  public enum Encoding {
    /** Headerless signed 16-bit little-endian PCM. */
    PCM_S16LE,
    /** RIFF/WAVE with 16-bit PCM; streamed WAV headers may carry placeholder sizes. */
    WAV,
    /** MPEG-1/2 layer III frames. */
    MP3,
    /** Opus (in Ogg unless a vendor says otherwise). */
    OPUS,
    /** G.711 mu-law, one byte per sample. */
    MULAW,
    /** G.711 A-law, one byte per sample. */
    ALAW
  }

  /** 16-bit mono PCM at 16 kHz. */
  public static final AudioFormat PCM_16K = pcm(16_000);

  /** 16-bit mono PCM at 24 kHz, a good default for voice agents. */
  public static final AudioFormat PCM_24K = pcm(24_000);

  /**
   * Compact constructor: validates the values.
   *
   * @param encoding how the bytes are encoded
   * @param sampleRate samples per second per channel, positive
   * @param channels channel count, positive (every vendor here speaks mono)
   */
  public AudioFormat {
    Objects.requireNonNull(encoding, "encoding");
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
    if (channels <= 0) {
      throw new IllegalArgumentException("channels must be positive: " + channels);
    }
  }

  /**
   * {@return the mono 16-bit little-endian PCM at {@code sampleRate}}
   *
   * @param sampleRate samples per second
   */
  public static AudioFormat pcm(int sampleRate) {
    return new AudioFormat(Encoding.PCM_S16LE, sampleRate, 1);
  }

  /**
   * {@return the mono 16-bit WAV at {@code sampleRate}}
   *
   * @param sampleRate samples per second
   */
  public static AudioFormat wav(int sampleRate) {
    return new AudioFormat(Encoding.WAV, sampleRate, 1);
  }

  /**
   * {@return the mono MP3 at {@code sampleRate}}
   *
   * @param sampleRate samples per second
   */
  public static AudioFormat mp3(int sampleRate) {
    return new AudioFormat(Encoding.MP3, sampleRate, 1);
  }

  /** {@return the mono Opus at 48 kHz} */
  public static AudioFormat opus() {
    return new AudioFormat(Encoding.OPUS, 48_000, 1);
  }

  /**
   * {@return the mono mu-law at {@code sampleRate} (8000 for telephony)}
   *
   * @param sampleRate samples per second
   */
  public static AudioFormat mulaw(int sampleRate) {
    return new AudioFormat(Encoding.MULAW, sampleRate, 1);
  }

  /**
   * {@return the mono A-law at {@code sampleRate} (8000 for telephony)}
   *
   * @param sampleRate samples per second
   */
  public static AudioFormat alaw(int sampleRate) {
    return new AudioFormat(Encoding.ALAW, sampleRate, 1);
  }

  /**
   * Parses {@code encoding[_rate]}, for example {@code pcm_24000}, {@code wav_16000}, {@code
   * mp3_44100}, {@code mulaw_8000}, {@code opus}. Without a rate the encoding's usual default is
   * used (24000 for pcm and wav, 44100 for mp3, 48000 for opus, 8000 for mulaw and alaw).
   *
   * @param text the spelling, case-insensitive
   * @return the format
   * @throws IllegalArgumentException naming the accepted spellings
   */
  public static AudioFormat parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim().toLowerCase(Locale.ROOT);
    String name = s;
    Integer rate = null;
    int sep = s.indexOf('_');
    if (sep < 0) {
      sep = s.indexOf('/');
    }
    if (sep > 0) {
      name = s.substring(0, sep);
      try {
        rate = Integer.parseInt(s.substring(sep + 1));
      } catch (NumberFormatException e) {
        throw badFormat(text);
      }
    }
    Encoding encoding;
    switch (name) {
      case "pcm", "pcm_s16le", "s16le", "linear16" -> encoding = Encoding.PCM_S16LE;
      case "wav" -> encoding = Encoding.WAV;
      case "mp3" -> encoding = Encoding.MP3;
      case "opus" -> encoding = Encoding.OPUS;
      case "mulaw", "ulaw" -> encoding = Encoding.MULAW;
      case "alaw" -> encoding = Encoding.ALAW;
      default -> throw badFormat(text);
    }
    int r = rate != null ? rate : defaultRate(encoding);
    if (r <= 0) {
      throw badFormat(text);
    }
    return new AudioFormat(encoding, r, 1);
  }

  private static IllegalArgumentException badFormat(String text) {
    return new IllegalArgumentException(
        "unknown audio format '"
            + text
            + "'; use pcm_<rate>, wav_<rate>, mp3_<rate>, opus, mulaw_8000 or alaw_8000");
  }

  private static int defaultRate(Encoding e) {
    return switch (e) {
      case PCM_S16LE, WAV -> 24_000;
      case MP3 -> 44_100;
      case OPUS -> 48_000;
      case MULAW, ALAW -> 8_000;
    };
  }

  /** {@return whether the bytes are samples at a fixed size (PCM, WAV data, mu-law, A-law)} */
  public boolean isUncompressed() {
    return encoding != Encoding.MP3 && encoding != Encoding.OPUS;
  }

  /**
   * {@return the bytes per sample per channel for uncompressed encodings, 0 for compressed ones}
   */
  public int bytesPerSample() {
    return switch (encoding) {
      case PCM_S16LE, WAV -> 2;
      case MULAW, ALAW -> 1;
      case MP3, OPUS -> 0;
    };
  }

  /** {@return the bytes per second of audio for uncompressed encodings, 0 for compressed ones} */
  public long bytesPerSecond() {
    return (long) bytesPerSample() * sampleRate * channels;
  }

  /**
   * {@return the playing time of {@code bytes} of audio data (headers excluded), or {@link
   * Duration#ZERO} for compressed encodings whose duration cannot be known from a byte count}
   *
   * @param bytes a number of audio bytes
   */
  public Duration durationOf(long bytes) {
    long bps = bytesPerSecond();
    if (bps == 0 || bytes <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.round(bytes * 1_000_000_000.0 / bps));
  }

  /** The short spelling that {@link #parse(String)} reads back, for example {@code pcm_24000}. */
  @Override
  public String toString() {
    String n =
        switch (encoding) {
          case PCM_S16LE -> "pcm";
          case WAV -> "wav";
          case MP3 -> "mp3";
          case OPUS -> "opus";
          case MULAW -> "mulaw";
          case ALAW -> "alaw";
        };
    return channels == 1 ? n + "_" + sampleRate : n + "_" + sampleRate + "x" + channels;
  }
}
