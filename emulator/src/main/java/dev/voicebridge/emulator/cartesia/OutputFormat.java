package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.kit.audio.G711;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

/**
 * An {@code output_format} (protocol note sections 2.1 and 4.1): {@code raw} or {@code wav} with an
 * encoding ({@code pcm_s16le}, {@code pcm_f32le}, {@code pcm_mulaw}, {@code pcm_alaw}) and a rate,
 * or {@code mp3} with a rate and a bit rate. Mono.
 *
 * @param container {@code raw}, {@code wav} or {@code mp3}
 * @param encoding the raw encoding (null for mp3)
 * @param sampleRate the rate
 * @param bitRate the MP3 bit rate in bit/s (0 otherwise)
 */
record OutputFormat(String container, String encoding, int sampleRate, int bitRate) {
  static final List<String> ENCODINGS = List.of("pcm_s16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw");
  static final List<Integer> RATES = List.of(8000, 16000, 22050, 24000, 44100, 48000);
  static final List<Integer> BIT_RATES = List.of(32000, 64000, 96000, 128000, 192000);

  /**
   * Parses an {@code output_format}.
   *
   * @param containers the containers the endpoint accepts (WebSocket and SSE: raw only)
   */
  static OutputFormat parse(JsonNode n, Set<String> containers) throws Rejected {
    if (n == null || n.isNull()) {
      throw Rejected.invalid("output_format: Field required");
    }
    if (!n.isObject()) {
      throw Rejected.invalid("output_format must be an object");
    }
    String container = text(n, "container");
    if (container == null) {
      throw Rejected.invalid("output_format.container: Field required");
    }
    if (!containers.contains(container)) {
      throw Rejected.invalid(
          "output_format.container '"
              + container
              + "' is not supported on this endpoint; use one of "
              + containers.stream().sorted().toList());
    }
    JsonNode rate = n.get("sample_rate");
    if (rate == null || !rate.isIntegralNumber() || !RATES.contains(rate.asInt())) {
      throw Rejected.invalid("output_format.sample_rate must be one of " + RATES);
    }
    if (container.equals("mp3")) {
      JsonNode bits = n.get("bit_rate");
      if (bits == null || !bits.isIntegralNumber() || !BIT_RATES.contains(bits.asInt())) {
        throw Rejected.invalid("output_format.bit_rate must be one of " + BIT_RATES);
      }
      return new OutputFormat(container, null, rate.asInt(), bits.asInt());
    }
    String encoding = text(n, "encoding");
    if (encoding == null || !ENCODINGS.contains(encoding)) {
      throw Rejected.invalid("output_format.encoding must be one of " + ENCODINGS);
    }
    return new OutputFormat(container, encoding, rate.asInt(), 0);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  /** The {@code Content-Type} of a bytes response (INFERRED but for {@code audio/wav}). */
  String contentType() {
    return switch (container) {
      case "wav" -> "audio/wav";
      case "mp3" -> "audio/mpeg";
      default -> "application/octet-stream";
    };
  }

  /** Bytes per sample of a raw or WAV encoding. */
  int bytesPerSample() {
    return switch (encoding) {
      case "pcm_f32le" -> 4;
      case "pcm_s16le" -> 2;
      default -> 1;
    };
  }

  /** Encodes 16-bit PCM into the raw encoding (stateless, so frames encode independently). */
  byte[] encodeRaw(byte[] pcm16) {
    return switch (encoding) {
      case "pcm_s16le" -> pcm16;
      case "pcm_f32le" -> toFloat32(pcm16);
      case "pcm_mulaw" -> G711.encodeMuLaw(pcm16, 0, pcm16.length);
      case "pcm_alaw" -> G711.encodeALaw(pcm16, 0, pcm16.length);
      default -> throw new IllegalStateException("not a raw encoding: " + encoding);
    };
  }

  /** A stream encoder for one bytes response (a WAV header first; MP3 frames). */
  Stream stream() {
    return new Stream(this);
  }

  private static byte[] toFloat32(byte[] pcm16) {
    int n = pcm16.length / 2;
    ByteBuffer in = ByteBuffer.wrap(pcm16).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      out.putFloat(in.getShort() / 32768f);
    }
    return out.array();
  }

  /**
   * A 44-byte WAV header for a stream whose length is not known when it starts: the RIFF and data
   * sizes are {@code 0xFFFFFFFF} (INFERRED, note section 4.1). Format 1 (PCM), 3 (IEEE float), 6
   * (A-law) or 7 (mu-law).
   */
  byte[] wavHeader() {
    int bits = bytesPerSample() * 8;
    int code =
        switch (encoding) {
          case "pcm_f32le" -> 3;
          case "pcm_alaw" -> 6;
          case "pcm_mulaw" -> 7;
          default -> 1;
        };
    ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(-1);
    b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) code).putShort((short) 1);
    b.putInt(sampleRate).putInt(sampleRate * bytesPerSample());
    b.putShort((short) bytesPerSample()).putShort((short) bits);
    b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(-1);
    return b.array();
  }

  /** Encodes one response's audio as it is generated. Not thread-safe. */
  static final class Stream {
    private final OutputFormat format;
    private final AudioEncoder mp3;
    private boolean headerSent;

    private Stream(OutputFormat format) {
      this.format = format;
      this.mp3 =
          format.container().equals("mp3")
              ? AudioEncoder.of(AudioFormat.mp3(format.sampleRate()), format.bitRate() / 1000)
              : null;
    }

    /** The bytes of more 16-bit PCM (may be empty: MP3 holds audio back). */
    byte[] encode(byte[] pcm16) {
      if (mp3 != null) {
        return mp3.encode(pcm16);
      }
      byte[] audio = format.encodeRaw(pcm16);
      if (format.container().equals("wav") && !headerSent) {
        headerSent = true;
        byte[] h = format.wavHeader();
        byte[] out = java.util.Arrays.copyOf(h, h.length + audio.length);
        System.arraycopy(audio, 0, out, h.length, audio.length);
        return out;
      }
      return audio;
    }

    /** What the encoder still holds (the MP3 tail; a WAV header if no audio came). */
    byte[] finish() {
      if (mp3 != null) {
        return mp3.finish();
      }
      if (format.container().equals("wav") && !headerSent) {
        headerSent = true;
        return format.wavHeader();
      }
      return new byte[0];
    }
  }
}
