package dev.voicebridge.check.internal;

import dev.voicebridge.check.internal.AudioCheck.Decoded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Walks an MP3 stream frame by frame (ISO/IEC 11172-3 and 13818-3 headers, layer III only, the
 * layer every vendor sends): each frame's header gives its length and its samples, so the walk
 * proves every byte belongs to a frame and tells the playing time without decoding the audio. ID3v2
 * tags (at the start, or between the responses of per-sentence HTTP requests) and a final ID3v1 tag
 * are skipped.
 */
final class Mp3Frames {
  private static final int[] BITRATE_V1 = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1
  };
  private static final int[] BITRATE_V2 = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1
  };
  private static final int[][] RATES = { // by version bits: 2.5, reserved, 2, 1
    {11025, 12000, 8000}, null, {22050, 24000, 16000}, {44100, 48000, 32000}
  };

  private Mp3Frames() {}

  /** Scans {@code bytes}; {@code sampleRate} is the rate asked for. */
  static Decoded scan(byte[] bytes, int sampleRate) {
    List<String> problems = new ArrayList<>();
    int pos = 0;
    long frames = 0;
    long samples = 0;
    int rate = 0;
    int tags = 0;
    while (pos < bytes.length) {
      if (startsWith(bytes, pos, "ID3") && pos + 10 <= bytes.length) {
        int size =
            ((bytes[pos + 6] & 0x7f) << 21)
                | ((bytes[pos + 7] & 0x7f) << 14)
                | ((bytes[pos + 8] & 0x7f) << 7)
                | (bytes[pos + 9] & 0x7f);
        boolean footer = (bytes[pos + 5] & 0x10) != 0;
        pos += 10 + size + (footer ? 10 : 0);
        tags++;
        continue;
      }
      if (startsWith(bytes, pos, "TAG") && bytes.length - pos == 128) {
        tags++;
        break;
      }
      if (pos + 4 > bytes.length) {
        problems.add("the stream ends with " + (bytes.length - pos) + " bytes that are no frame");
        break;
      }
      int b1 = bytes[pos + 1] & 0xff;
      int b2 = bytes[pos + 2] & 0xff;
      int version = (b1 >> 3) & 3;
      int layer = (b1 >> 1) & 3;
      int bitrateIndex = (b2 >> 4) & 0xf;
      int rateIndex = (b2 >> 2) & 3;
      if ((bytes[pos] & 0xff) != 0xff
          || (b1 & 0xe0) != 0xe0
          || version == 1
          || layer != 1
          || bitrateIndex == 0
          || bitrateIndex == 15
          || rateIndex == 3) {
        problems.add("no MPEG layer III frame header at byte " + pos + " of " + bytes.length);
        break;
      }
      int frameRate = RATES[version][rateIndex];
      boolean v1 = version == 3;
      int kbps = (v1 ? BITRATE_V1 : BITRATE_V2)[bitrateIndex];
      int padding = (b2 >> 1) & 1;
      int length = (v1 ? 144 : 72) * kbps * 1000 / frameRate + padding;
      if (pos + length > bytes.length) {
        problems.add(
            "the last frame is cut short: "
                + (bytes.length - pos)
                + " of its "
                + length
                + " bytes came");
        break;
      }
      if (rate == 0) {
        rate = frameRate;
      } else if (rate != frameRate) {
        problems.add("the sample rate changes from " + rate + " to " + frameRate + " Hz");
      }
      frames++;
      samples += v1 ? 1152 : 576;
      pos += length;
    }
    if (frames == 0) {
      problems.add("no MPEG frame");
      return new Decoded(null, "mp3: no frames", problems);
    }
    if (rate != sampleRate) {
      problems.add("the frames are at " + rate + " Hz, " + sampleRate + " Hz was asked");
    }
    Duration d = Duration.ofNanos(Math.round(samples * 1e9 / rate));
    return new Decoded(
        d,
        String.format(
            Locale.ROOT,
            "mp3_%d: %d layer III frames%s, %.2f s",
            rate,
            frames,
            tags > 0 ? " and " + tags + " ID3 tag(s)" : "",
            d.toNanos() / 1e9),
        problems);
  }

  private static boolean startsWith(byte[] b, int pos, String ascii) {
    if (pos + ascii.length() > b.length) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[pos + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
