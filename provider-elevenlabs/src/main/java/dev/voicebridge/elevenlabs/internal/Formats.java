package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.UnsupportedCapabilityException;
import java.util.Set;

/** Maps {@link AudioFormat} to ElevenLabs' {@code output_format} spelling, per transport. */
public final class Formats {
  private Formats() {}

  static final Set<Integer> PCM_RATES = Set.of(8000, 16000, 22050, 24000, 32000, 44100, 48000);
  static final Set<Integer> MP3_44100_KBPS = Set.of(32, 64, 96, 128, 192);
  static final Set<Integer> OPUS_KBPS = Set.of(32, 64, 96, 128, 192);

  /** Whether any transport can deliver {@code f}. */
  public static boolean supportedAnywhere(AudioFormat f) {
    if (f.channels() != 1) {
      return false;
    }
    return switch (f.encoding()) {
      case PCM_S16LE -> PCM_RATES.contains(f.sampleRate());
      case MP3 -> f.sampleRate() == 22050 || f.sampleRate() == 24000 || f.sampleRate() == 44100;
      case MULAW, ALAW -> f.sampleRate() == 8000;
      case OPUS -> f.sampleRate() == 48000;
      case WAV -> false;
    };
  }

  /**
   * The {@code output_format} for {@code f} on {@code transport}.
   *
   * @param bitrate kbit/s for mp3 and opus, or null for the default
   * @throws UnsupportedCapabilityException naming what the endpoint offers instead
   */
  public static String outputFormat(AudioFormat f, String transport, Integer bitrate) {
    boolean websocket = ElevenLabsRequest.isWebSocket(transport);
    if (f.channels() != 1) {
      throw unsupported(f, transport, "ElevenLabs produces mono audio only");
    }
    int rate = f.sampleRate();
    switch (f.encoding()) {
      case PCM_S16LE -> {
        if (!PCM_RATES.contains(rate)) {
          throw unsupported(
              f, transport, "PCM rates are 8000, 16000, 22050, 24000, 32000, 44100 and 48000");
        }
        noBitrate(f, transport, bitrate);
        return "pcm_" + rate;
      }
      case MULAW, ALAW -> {
        if (rate != 8000) {
          throw unsupported(f, transport, "mu-law and A-law are 8000 Hz only");
        }
        noBitrate(f, transport, bitrate);
        return (f.encoding() == AudioFormat.Encoding.MULAW ? "ulaw" : "alaw") + "_8000";
      }
      case MP3 -> {
        if (rate == 44100) {
          int kbps = bitrate == null ? 128 : bitrate;
          if (!MP3_44100_KBPS.contains(kbps)) {
            throw unsupported(f, transport, "MP3 at 44100 Hz is 32, 64, 96, 128 or 192 kbit/s");
          }
          return "mp3_44100_" + kbps;
        }
        if (rate == 22050) {
          if (bitrate != null && bitrate != 32) {
            throw unsupported(f, transport, "MP3 at 22050 Hz is 32 kbit/s only");
          }
          return "mp3_22050_32";
        }
        if (rate == 24000) {
          if (websocket) {
            throw unsupported(
                f, transport, "mp3_24000_48 is offered over HTTP only; use 22050 or 44100 Hz");
          }
          if (bitrate != null && bitrate != 48) {
            throw unsupported(f, transport, "MP3 at 24000 Hz is 48 kbit/s only");
          }
          return "mp3_24000_48";
        }
        throw unsupported(f, transport, "MP3 rates are 22050, 24000 (HTTP) and 44100 Hz");
      }
      case OPUS -> {
        if (rate != 48000) {
          throw unsupported(f, transport, "Opus is 48000 Hz only");
        }
        int kbps = bitrate == null ? 64 : bitrate;
        if (!OPUS_KBPS.contains(kbps)) {
          throw unsupported(f, transport, "Opus is 32, 64, 96, 128 or 192 kbit/s");
        }
        return "opus_48000_" + kbps;
      }
      case WAV ->
          throw unsupported(
              f,
              transport,
              "WAV is offered only by the non-streaming endpoint; ask for PCM instead");
      default -> throw unsupported(f, transport, "unknown encoding");
    }
  }

  private static void noBitrate(AudioFormat f, String transport, Integer bitrate) {
    if (bitrate != null) {
      throw unsupported(f, transport, "a bit rate applies to MP3 and Opus only");
    }
  }

  private static UnsupportedCapabilityException unsupported(
      AudioFormat f, String transport, String why) {
    return new UnsupportedCapabilityException(
        ElevenLabsSynthesizer.NAME,
        "format " + f + " is not offered by ElevenLabs over " + transport + ": " + why);
  }
}
