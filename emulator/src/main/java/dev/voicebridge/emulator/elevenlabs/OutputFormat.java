package dev.voicebridge.emulator.elevenlabs;

import dev.voicebridge.AudioFormat;
import java.util.List;
import java.util.Locale;

/**
 * An ElevenLabs {@code output_format} value ({@code codec_samplerate[_kbps]}, protocol note section
 * 4) and the audio it stands for.
 *
 * @param name the vendor's spelling
 * @param format the audio format
 * @param kbps the MP3 or Opus bitrate, 0 for the others
 */
record OutputFormat(String name, AudioFormat format, int kbps) {

  /** The default of every endpoint here. */
  static final String DEFAULT = "mp3_44100_128";

  /** The values the streaming endpoints (HTTP {@code /stream*} and both WebSockets) accept. */
  static final List<String> STREAMING =
      List.of(
          "mp3_22050_32",
          "mp3_24000_48",
          "mp3_44100_32",
          "mp3_44100_64",
          "mp3_44100_96",
          "mp3_44100_128",
          "mp3_44100_192",
          "pcm_8000",
          "pcm_16000",
          "pcm_22050",
          "pcm_24000",
          "pcm_32000",
          "pcm_44100",
          "pcm_48000",
          "ulaw_8000",
          "alaw_8000",
          "opus_48000_32",
          "opus_48000_64",
          "opus_48000_96",
          "opus_48000_128",
          "opus_48000_192");

  /** The WAV values the non-streaming convert endpoint accepts in addition. */
  static final List<String> WAV =
      List.of(
          "wav_8000", "wav_16000", "wav_22050", "wav_24000", "wav_32000", "wav_44100", "wav_48000");

  /**
   * Parses a value the vendor accepts, or returns null for any other.
   *
   * @param withWav whether the WAV values are allowed (non-streaming convert only)
   */
  static OutputFormat parse(String name, boolean withWav) {
    if (name == null) {
      return null;
    }
    if (!STREAMING.contains(name) && !(withWav && WAV.contains(name))) {
      return null;
    }
    String[] p = name.split("_");
    int rate = Integer.parseInt(p[1]);
    int kbps = p.length > 2 ? Integer.parseInt(p[2]) : 0;
    AudioFormat f =
        switch (p[0]) {
          case "mp3" -> AudioFormat.mp3(rate);
          case "pcm" -> AudioFormat.pcm(rate);
          case "ulaw" -> AudioFormat.mulaw(rate);
          case "alaw" -> AudioFormat.alaw(rate);
          case "wav" -> AudioFormat.wav(rate);
          case "opus" -> AudioFormat.opus();
          default -> throw new IllegalStateException(name);
        };
    return new OutputFormat(name, f, kbps);
  }

  /** Whether the emulator's encoder can produce it (everything but Opus). */
  boolean encodable() {
    return format.encoding() != AudioFormat.Encoding.OPUS;
  }

  /** The HTTP content type. */
  String contentType() {
    return switch (format.encoding()) {
      case MP3 -> "audio/mpeg";
      case PCM_S16LE -> "audio/pcm";
      case MULAW -> "audio/basic";
      case ALAW -> "audio/x-alaw-basic";
      case WAV -> "audio/wav";
      case OPUS -> "audio/opus";
    };
  }

  /** The pydantic message listing the accepted values. */
  static String enumMessage(boolean withWav) {
    List<String> all = new java.util.ArrayList<>(STREAMING);
    if (withWav) {
      all.addAll(WAV);
    }
    StringBuilder sb = new StringBuilder("Input should be ");
    for (int i = 0; i < all.size(); i++) {
      if (i > 0) {
        sb.append(i == all.size() - 1 ? " or " : ", ");
      }
      sb.append('\'').append(all.get(i)).append('\'');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return name.toLowerCase(Locale.ROOT);
  }
}
