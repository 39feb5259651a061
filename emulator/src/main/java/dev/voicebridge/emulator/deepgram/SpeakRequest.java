package dev.voicebridge.emulator.deepgram;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.emulator.AudioEncoder;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.Fields;

/**
 * The query of a {@code /v1/speak} request (WebSocket or REST), validated: model, encoding, sample
 * rate, container, bit rate, speed, {@code mip_opt_out}. Unknown parameters are ignored.
 */
final class SpeakRequest {

  /** The twelve Aura-1 voices (English only). */
  static final Set<String> AURA_1 =
      Set.of(
          "aura-asteria-en",
          "aura-luna-en",
          "aura-stella-en",
          "aura-athena-en",
          "aura-hera-en",
          "aura-orion-en",
          "aura-arcas-en",
          "aura-perseus-en",
          "aura-angus-en",
          "aura-orpheus-en",
          "aura-helios-en",
          "aura-zeus-en");

  /**
   * Aura-2 voices: {@code aura-2-<voice>-<language>} in the languages of the spec's model list (the
   * voice names themselves are not checked: INFERRED).
   */
  static final Pattern AURA_2 = Pattern.compile("aura-2-[a-z]+-(en|es|de|nl|fr|it|ja)");

  /** A request the server refuses: its status, {@code err_code} and {@code err_msg}. */
  static final class Refused extends Exception {
    final int status;
    final String errCode;

    Refused(int status, String errCode, String message) {
      super(message, null, false, false);
      this.status = status;
      this.errCode = errCode;
    }
  }

  final String model;
  final String encoding;
  final int sampleRate;
  final String container;
  final int bitRate;
  final double speed;
  final boolean mipOptOut;
  final List<String> tags;

  private SpeakRequest(
      String model,
      String encoding,
      int sampleRate,
      String container,
      int bitRate,
      double speed,
      boolean mipOptOut,
      List<String> tags) {
    this.model = model;
    this.encoding = encoding;
    this.sampleRate = sampleRate;
    this.container = container;
    this.bitRate = bitRate;
    this.speed = speed;
    this.mipOptOut = mipOptOut;
    this.tags = tags;
  }

  /**
   * Parses and validates a query.
   *
   * @param webSocket the streaming endpoint (linear16, mulaw, alaw; no container but {@code none})
   * @param wsRates the WebSocket's linear16 rates
   */
  static SpeakRequest parse(Fields query, boolean webSocket, Set<Integer> wsRates) throws Refused {
    String model = value(query, "model");
    if (model == null) {
      model = DeepgramEmulator.DEFAULT_MODEL;
    }
    if (!AURA_1.contains(model) && !AURA_2.matcher(model).matches()) {
      throw new Refused(
          400, "Bad Request", "Bad Request: No such model/version combination found.");
    }
    String encoding = value(query, "encoding");
    if (encoding == null) {
      encoding = webSocket ? "linear16" : "mp3";
    }
    List<String> allowed =
        webSocket
            ? List.of("linear16", "mulaw", "alaw")
            : List.of("linear16", "mulaw", "alaw", "mp3", "opus", "flac", "aac");
    if (!allowed.contains(encoding)) {
      throw invalid("`encoding` must be one of " + String.join(", ", allowed));
    }
    boolean raw =
        encoding.equals("linear16") || encoding.equals("mulaw") || encoding.equals("alaw");
    // sample rates per encoding; the first is the default
    List<Integer> rates =
        switch (encoding) {
          case "linear16" ->
              webSocket ? ordered(wsRates, 24000) : List.of(24000, 8000, 16000, 32000, 48000);
          case "mulaw", "alaw" -> List.of(8000, 16000);
          case "mp3", "aac" -> List.of(22050);
          case "opus" -> List.of(48000);
          default -> List.of(48000, 8000, 16000, 22050, 32000); // flac
        };
    int sampleRate = rates.get(0);
    String rate = value(query, "sample_rate");
    if (rate != null) {
      int r;
      try {
        r = Integer.parseInt(rate.trim());
      } catch (NumberFormatException e) {
        r = -1;
      }
      if (!rates.contains(r)) {
        throw invalid(
            "`sample_rate` must be "
                + rates.stream().sorted().toList()
                + " when `encoding="
                + encoding
                + "`");
      }
      sampleRate = r;
    }
    String container = value(query, "container");
    List<String> containers =
        webSocket
            ? List.of("none")
            : raw
                ? List.of("wav", "none")
                : encoding.equals("opus") ? List.of("ogg", "none") : List.of("none");
    if (container == null) {
      container = containers.get(0);
    } else if (!containers.contains(container)) {
      throw invalid(
          "`container` must be one of "
              + String.join(", ", containers)
              + " when `encoding="
              + encoding
              + "`"
              + (webSocket ? " on the streaming endpoint" : ""));
    }
    int bitRate = 0;
    if (!webSocket) {
      int[] range =
          switch (encoding) {
            case "mp3" -> new int[] {48000, 32000, 48000};
            case "opus" -> new int[] {12000, 4000, 650000};
            case "aac" -> new int[] {48000, 4000, 192000};
            default -> null;
          };
      String br = value(query, "bit_rate");
      if (br != null) {
        if (range == null) {
          throw invalid("`bit_rate` does not apply when `encoding=" + encoding + "`");
        }
        int b;
        try {
          b = Integer.parseInt(br.trim());
        } catch (NumberFormatException e) {
          b = -1;
        }
        boolean ok =
            encoding.equals("mp3") ? b == 32000 || b == 48000 : b >= range[1] && b <= range[2];
        if (!ok) {
          throw invalid(
              "`bit_rate` must be "
                  + (encoding.equals("mp3") ? "32000 or 48000" : range[1] + " to " + range[2])
                  + " when `encoding="
                  + encoding
                  + "`");
        }
        bitRate = b;
      } else if (range != null) {
        bitRate = range[0];
      }
    }
    double speed = 1.0;
    String sp = value(query, "speed");
    if (sp != null) {
      try {
        speed = Double.parseDouble(sp.trim());
      } catch (NumberFormatException e) {
        speed = Double.NaN;
      }
      if (!(speed >= 0.7 && speed <= 1.5)) {
        throw new Refused(400, "INVALID_QUERY_PARAMETER", "`speed` must be between 0.7 and 1.5.");
      }
    }
    boolean mip = false;
    String m = value(query, "mip_opt_out");
    if (m != null) {
      if (!m.equals("true") && !m.equals("false")) {
        throw new Refused(
            400,
            "INVALID_QUERY_PARAMETER",
            "Invalid value for `mip_opt_out`: expected `true` or `false`.");
      }
      mip = m.equals("true");
    }
    List<String> tags = query.getValues("tag");
    return new SpeakRequest(
        model,
        encoding,
        sampleRate,
        container,
        bitRate,
        speed,
        mip,
        tags == null ? List.of() : List.copyOf(tags));
  }

  private static Refused invalid(String what) {
    return new Refused(400, "INVALID_QUERY_PARAMETER", "Unsupported audio format: " + what);
  }

  private static List<Integer> ordered(Set<Integer> rates, int preferred) {
    List<Integer> sorted = rates.stream().sorted().toList();
    if (!sorted.contains(preferred)) {
      return sorted;
    }
    java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
    out.add(preferred);
    sorted.stream().filter(r -> r != preferred).forEach(out::add);
    return out;
  }

  private static String value(Fields query, String name) {
    String v = query.getValue(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Whether the emulator can produce this encoding (the shared encoder has no Opus, FLAC, AAC). */
  boolean producible() {
    return !encoding.equals("opus") && !encoding.equals("flac") && !encoding.equals("aac");
  }

  /**
   * Whether {@code speed} changes the voice: Aura-2 English and Spanish voices only; others ignore
   * it (INFERRED).
   */
  boolean speedApplies() {
    return model.startsWith("aura-2-") && (model.endsWith("-en") || model.endsWith("-es"));
  }

  /** The rate the voice must synthesize at so that the audio at {@link #sampleRate} is sped up. */
  int voiceRate() {
    return speedApplies() && speed != 1.0
        ? (int) Math.max(1, Math.round(sampleRate / speed))
        : sampleRate;
  }

  /** The encoder of the audio (without container). */
  AudioEncoder encoder() {
    AudioFormat f =
        switch (encoding) {
          case "mulaw" -> AudioFormat.mulaw(sampleRate);
          case "alaw" -> AudioFormat.alaw(sampleRate);
          case "mp3" -> AudioFormat.mp3(sampleRate);
          default -> AudioFormat.pcm(sampleRate);
        };
    return AudioEncoder.of(f, Math.max(1, bitRate / 1000));
  }

  /** Bytes per second of the raw encodings (0 for compressed ones). */
  int bytesPerSecond() {
    return switch (encoding) {
      case "linear16" -> 2 * sampleRate;
      case "mulaw", "alaw" -> sampleRate;
      default -> 0;
    };
  }

  /** Whether the REST body starts with a WAV header. */
  boolean wav() {
    return container.equals("wav");
  }

  /**
   * The streaming WAV header Deepgram sends (PY4's recorded bodies): 44 bytes, RIFF size
   * 0x7FFF0024, data size 0x7FFF0000; format 1 (PCM, 16 bits), 7 (mu-law) or 6 (A-law, 8 bits).
   */
  byte[] wavHeader() {
    boolean pcm = encoding.equals("linear16");
    byte[] h = Wav.header(sampleRate, 1, pcm ? 16 : 8, 0x7FFF0000L);
    int format =
        pcm ? Wav.FORMAT_PCM : encoding.equals("mulaw") ? Wav.FORMAT_MULAW : Wav.FORMAT_ALAW;
    h[20] = (byte) format;
    h[21] = 0;
    return h;
  }

  /** The REST {@code Content-Type}. */
  String contentType() {
    if (wav()) {
      return "audio/wav";
    }
    return switch (encoding) {
      case "linear16" -> "audio/l16;rate=" + sampleRate;
      case "mulaw" -> "audio/mulaw;rate=" + sampleRate;
      case "alaw" -> "audio/alaw;rate=" + sampleRate;
      case "mp3" -> "audio/mpeg";
      case "opus" -> "audio/ogg;codecs=opus";
      case "flac" -> "audio/flac";
      default -> "audio/aac";
    };
  }

  /** One byte of silence in this encoding (for padding frames). */
  byte silence() {
    return switch (encoding) {
      case "mulaw" -> (byte) 0xFF;
      case "alaw" -> (byte) 0xD5;
      default -> 0;
    };
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "SpeakRequest[%s, %s, %d Hz, container %s, bit_rate %d, speed %s]",
        model,
        encoding,
        sampleRate,
        container,
        bitRate,
        speed);
  }
}
