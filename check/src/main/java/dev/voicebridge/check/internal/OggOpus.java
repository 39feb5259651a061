package dev.voicebridge.check.internal;

import dev.voicebridge.check.internal.AudioCheck.Decoded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Walks an Ogg Opus stream page by page (RFC 3533 pages, RFC 7845 Opus mapping) without decoding
 * the audio: every byte is a page with the capture pattern {@code OggS}, version 0 and a correct
 * CRC; each logical stream (a vendor may chain one per request) starts with an {@code OpusHead}
 * packet; its playing time is its last granule position less its pre-skip, at 48 kHz.
 */
final class OggOpus {
  private static final int[] CRC = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int r = i << 24;
      for (int j = 0; j < 8; j++) {
        r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
      }
      CRC[i] = r;
    }
  }

  private OggOpus() {}

  /** Scans {@code bytes}. */
  static Decoded scan(byte[] bytes) {
    List<String> problems = new ArrayList<>();
    Map<Integer, long[]> streams = new LinkedHashMap<>(); // serial -> {preSkip, last granule}
    int pos = 0;
    int pages = 0;
    while (pos < bytes.length) {
      if (pos + 27 > bytes.length) {
        problems.add("the stream ends with " + (bytes.length - pos) + " bytes that are no page");
        break;
      }
      if (!(bytes[pos] == 'O'
          && bytes[pos + 1] == 'g'
          && bytes[pos + 2] == 'g'
          && bytes[pos + 3] == 'S')) {
        problems.add("no Ogg page at byte " + pos + " of " + bytes.length);
        break;
      }
      if (bytes[pos + 4] != 0) {
        problems.add("Ogg page at byte " + pos + " has version " + bytes[pos + 4]);
        break;
      }
      int type = bytes[pos + 5] & 0xff;
      long granule = le(bytes, pos + 6, 8);
      int serial = (int) le(bytes, pos + 14, 4);
      int crc = (int) le(bytes, pos + 22, 4);
      int segments = bytes[pos + 26] & 0xff;
      int header = 27 + segments;
      if (pos + header > bytes.length) {
        problems.add("the last page's header is cut short");
        break;
      }
      int body = 0;
      for (int i = 0; i < segments; i++) {
        body += bytes[pos + 27 + i] & 0xff;
      }
      if (pos + header + body > bytes.length) {
        problems.add(
            "the last page is cut short: "
                + (bytes.length - pos)
                + " of its "
                + (header + body)
                + " bytes came");
        break;
      }
      if (crc(bytes, pos, header + body) != crc) {
        problems.add("the Ogg page at byte " + pos + " has a wrong CRC");
      }
      int data = pos + header;
      if ((type & 0x02) != 0) { // beginning of a stream
        if (body < 19 || !opusHead(bytes, data)) {
          problems.add("the Ogg stream at byte " + pos + " does not start with OpusHead");
          streams.put(serial, new long[] {0, 0});
        } else {
          streams.put(
              serial, new long[] {(bytes[data + 10] & 0xff) | (bytes[data + 11] & 0xff) << 8, 0});
        }
      } else if (!streams.containsKey(serial)) {
        problems.add("an Ogg page at byte " + pos + " belongs to a stream that never began");
        streams.put(serial, new long[] {0, 0});
      }
      if (granule != -1) {
        long[] s = streams.get(serial);
        s[1] = Math.max(s[1], granule);
      }
      pages++;
      pos += header + body;
    }
    if (pages == 0) {
      problems.add("no Ogg page");
      return new Decoded(null, "opus: no pages", problems);
    }
    long samples = 0;
    for (long[] s : streams.values()) {
      samples += Math.max(0, s[1] - s[0]);
    }
    Duration d = Duration.ofNanos(Math.round(samples * 1e9 / 48_000));
    return new Decoded(
        d,
        String.format(
            Locale.ROOT,
            "opus_48000: %d Ogg pages in %d stream(s), %.2f s",
            pages,
            streams.size(),
            d.toNanos() / 1e9),
        problems);
  }

  private static boolean opusHead(byte[] b, int at) {
    String magic = "OpusHead";
    for (int i = 0; i < magic.length(); i++) {
      if (b[at + i] != magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The page's CRC (the checksum field counted as zeros). */
  static int crc(byte[] b, int from, int length) {
    int r = 0;
    for (int i = 0; i < length; i++) {
      int v = (i >= 22 && i < 26) ? 0 : b[from + i] & 0xff;
      r = (r << 8) ^ CRC[((r >>> 24) ^ v) & 0xff];
    }
    return r;
  }

  private static long le(byte[] b, int at, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return n == 4 ? (int) v : v;
  }
}
