package dev.voicebridge.kit.audio;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changes the sample rate of 16-bit little-endian mono PCM, in a streaming fashion.
 *
 * <p>An instance converts one stream: feed it with {@link #process} in chunks of any size (even an
 * odd number of bytes: the half sample is carried to the next call) and end the stream with {@link
 * #finish}. The concatenated output is exactly the same, byte for byte, however the input was
 * chunked, and equals {@link #resample(byte[], int, int)} of the whole input.
 *
 * <p>Method: band-limited interpolation (Smith's resampling algorithm) with a Kaiser-windowed sinc
 * of 32 zero crossings per side, evaluated at the exact rational position of every output sample.
 * For the common rate pairs the weights of every output phase are precomputed once (a polyphase
 * filter bank, cached and shared); for unusual pairs with many phases they are interpolated from a
 * finely sampled kernel table. The cut-off sits at 92% of the lower of the two Nyquist frequencies,
 * so downsampling is low-pass filtered (no gross aliasing; about 80 dB stop-band attenuation) and
 * upsampling does not create images. Any two positive rates work, up to a ratio of {@value
 * #MAX_RATIO} in either direction; the common speech rates (8000, 16000, 22050, 24000, 32000,
 * 44100, 48000 Hz) are the tested ones. Equal rates pass the audio through unchanged.
 *
 * <p>Latency: the filter looks {@link #latencySamples()} input samples ahead, so {@code process}
 * holds back roughly that much audio until more input or {@code finish} arrives. The output has no
 * delay: output sample {@code n} lies at input time {@code n * fromRate / toRate}. The total output
 * for {@code k} input samples is {@code ceil(k * toRate / fromRate)} samples.
 *
 * <p>Not thread-safe: an instance belongs to one stream, used by one thread at a time.
 */
public final class Resampler {

  /** The largest supported ratio between the two rates, in either direction. */
  public static final int MAX_RATIO = 256;

  private static final int ZERO_CROSSINGS = 32;
  private static final int SAMPLES_PER_CROSSING = 256;
  private static final double KAISER_BETA = 8.0;
  private static final double ROLLOFF = 0.92;
  private static final int TABLE_END = ZERO_CROSSINGS * SAMPLES_PER_CROSSING;

  /** The largest polyphase filter bank (phases times taps) precomputed for a pair of rates. */
  private static final int MAX_BANK = 1 << 17;

  /** Polyphase filter banks of recently used rate pairs; immutable once published. */
  private static final Map<Long, float[]> BANKS = new ConcurrentHashMap<>();

  /** One side of the windowed sinc, sampled at {@code SAMPLES_PER_CROSSING} per zero crossing. */
  private static final double[] KERNEL = new double[TABLE_END + 2];

  /** {@code KERNEL[i + 1] - KERNEL[i]}, for linear interpolation within the table. */
  private static final double[] KERNEL_DELTA = new double[TABLE_END + 1];

  private static final double I0_BETA = besselI0(KAISER_BETA);

  static {
    for (int i = 0; i < TABLE_END; i++) {
      KERNEL[i] = kernel((double) i / SAMPLES_PER_CROSSING);
    }
    // KERNEL[TABLE_END] and KERNEL[TABLE_END + 1] stay 0: the window ends there.
    for (int i = 0; i <= TABLE_END; i++) {
      KERNEL_DELTA[i] = KERNEL[i + 1] - KERNEL[i];
    }
  }

  private final int fromRate;
  private final int toRate;
  private final boolean passThrough;

  /** Input-time step per output sample is {@code step / den} input samples. */
  private final long step;

  private final long den;

  /** The cut-off frequency as a fraction of the input Nyquist frequency. */
  private final double cutoff;

  /**
   * {@code cutoff * SAMPLES_PER_CROSSING}: converts a distance in input samples to a table index.
   */
  private final double tableScale;

  /** Half the filter length in input samples (rounded up). */
  private final int half;

  /**
   * The filter weights for each of the {@code den} output phases, {@code 2 * half + 1} per phase,
   * or {@code null} when there are too many phases; then weights are interpolated from {@code
   * KERNEL}.
   */
  private final float[] bank;

  // Stream state.
  private int carry = -1;
  private short[] buf;
  private int bufLen;
  private long bufStart;
  private long received;
  private long center;
  private long rem;

  private Resampler(int fromRate, int toRate) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.passThrough = fromRate == toRate;
    long g = gcd(fromRate, toRate);
    this.step = fromRate / g;
    this.den = toRate / g;
    this.cutoff = ROLLOFF * Math.min(1.0, (double) toRate / fromRate);
    this.tableScale = cutoff * SAMPLES_PER_CROSSING;
    this.half = passThrough ? 0 : (int) Math.ceil(ZERO_CROSSINGS / cutoff);
    this.bank = passThrough ? null : bank(fromRate, toRate);
    reset();
  }

  /**
   * Creates a resampler for one stream.
   *
   * @param fromRate the input sample rate in Hz, positive
   * @param toRate the output sample rate in Hz, positive
   * @return a new resampler
   * @throws IllegalArgumentException if a rate is not positive or the ratio between them exceeds
   *     {@value #MAX_RATIO}
   */
  public static Resampler of(int fromRate, int toRate) {
    if (fromRate <= 0 || toRate <= 0) {
      throw new IllegalArgumentException(
          "sample rates must be positive: from " + fromRate + " Hz to " + toRate + " Hz");
    }
    if ((long) fromRate > (long) toRate * MAX_RATIO
        || (long) toRate > (long) fromRate * MAX_RATIO) {
      throw new IllegalArgumentException(
          "resampling ratio above "
              + MAX_RATIO
              + " is not supported: from "
              + fromRate
              + " Hz to "
              + toRate
              + " Hz");
    }
    return new Resampler(fromRate, toRate);
  }

  /**
   * Resamples a whole buffer of 16-bit little-endian mono PCM in one go.
   *
   * @param pcm the input; a trailing odd byte is ignored
   * @param fromRate the input sample rate in Hz, positive
   * @param toRate the output sample rate in Hz, positive
   * @return the resampled PCM
   * @throws IllegalArgumentException as {@link #of(int, int)}
   */
  public static byte[] resample(byte[] pcm, int fromRate, int toRate) {
    Objects.requireNonNull(pcm, "pcm");
    Resampler r = of(fromRate, toRate);
    byte[] a = r.process(pcm, 0, pcm.length);
    byte[] b = r.finish();
    if (b.length == 0) {
      return a;
    }
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The input sample rate.
   *
   * @return Hz
   */
  public int fromRate() {
    return fromRate;
  }

  /**
   * The output sample rate.
   *
   * @return Hz
   */
  public int toRate() {
    return toRate;
  }

  /**
   * How many input samples the filter looks ahead, that is, how much input {@link #process} may
   * hold back until more input or {@link #finish} arrives. Zero for equal rates.
   *
   * @return a number of input samples
   */
  public int latencySamples() {
    return half;
  }

  /**
   * Feeds the next chunk of the input stream.
   *
   * @param pcm 16-bit little-endian mono PCM; a sample may be split across calls
   * @param off the first byte to read
   * @param len the number of bytes to read, any number including odd ones and zero
   * @return the output that became ready, possibly empty, never {@code null}
   * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within {@code pcm}
   */
  public byte[] process(byte[] pcm, int off, int len) {
    Objects.checkFromIndexSize(off, len, pcm.length);
    if (len == 0) {
      return new byte[0];
    }
    int total = len + (carry >= 0 ? 1 : 0);
    int samples = total / 2;
    // Input not yet turned into output, and so the most output this call can produce.
    long pending = passThrough ? samples : received + samples - center + half + 1;
    if (pending * toRate / fromRate + 2 > (Integer.MAX_VALUE - 8) / 2) {
      throw new IllegalArgumentException(
          "chunk too large: its output would not fit in an array; feed smaller chunks");
    }
    ensureCapacity(samples);
    int i = off;
    int end = off + len;
    if (carry >= 0 && samples > 0) {
      buf[bufLen++] = (short) (carry | (pcm[i++] << 8));
      carry = -1;
    }
    while (i + 1 < end) {
      buf[bufLen++] = (short) ((pcm[i] & 0xFF) | (pcm[i + 1] << 8));
      i += 2;
    }
    if (i < end) {
      carry = pcm[i] & 0xFF;
    }
    received += samples;
    if (passThrough) {
      byte[] out = toBytes(buf, 0, bufLen);
      bufLen = 0;
      return out;
    }
    return drain(false);
  }

  /**
   * Feeds the next chunk of the input stream.
   *
   * @param pcm 16-bit little-endian mono PCM; a sample may be split across calls
   * @return the output that became ready, possibly empty, never {@code null}
   */
  public byte[] process(byte[] pcm) {
    return process(pcm, 0, pcm.length);
  }

  /**
   * Ends the stream: returns the rest of the output and resets this resampler, so it can convert
   * another stream. A dangling half sample (an odd total number of input bytes) is dropped.
   *
   * @return the rest of the output, possibly empty, never {@code null}
   */
  public byte[] finish() {
    byte[] out;
    if (passThrough) {
      out = toBytes(buf, 0, bufLen);
    } else {
      // Samples after the end of the input count as silence.
      ensureCapacity(half + 1);
      Arrays.fill(buf, bufLen, bufLen + half + 1, (short) 0);
      bufLen += half + 1;
      out = drain(true);
    }
    reset();
    return out;
  }

  private void reset() {
    carry = -1;
    received = 0;
    center = 0;
    rem = 0;
    buf = new short[Math.max(1024, 4 * (half + 1))];
    // History before the start of the input counts as silence.
    bufLen = passThrough ? 0 : half + 1;
    bufStart = -bufLen;
  }

  /** Computes every output sample whose filter window is covered by the buffered input. */
  private byte[] drain(boolean finishing) {
    long ready = finishing ? received : received - half;
    // Output n is ready when center + half < received (or, at the end, center < received).
    long count = 0;
    if (center < ready) {
      // Number of n with floor(n * step / den) < ready, starting from the current one.
      count = outputsBefore(ready);
    }
    byte[] out = new byte[(int) (2 * count)];
    int o = 0;
    int taps = 2 * half + 1;
    for (long n = 0; n < count; n++) {
      int base = (int) (center - half - bufStart);
      double acc = 0.0;
      if (bank != null) {
        int w = (int) rem * taps;
        for (int k = 0; k < taps; k++) {
          acc += buf[base + k] * bank[w + k];
        }
      } else {
        // Input sample j = center - half + k lies at distance d = (center + rem / den) - j from
        // the output instant.
        double d = (double) rem / den + half;
        for (int k = 0; k < taps; k++, d -= 1.0) {
          double x = (d < 0 ? -d : d) * tableScale;
          if (x < TABLE_END) {
            int t = (int) x;
            acc += buf[base + k] * (KERNEL[t] + (x - t) * KERNEL_DELTA[t]);
          }
        }
        acc *= cutoff;
      }
      long v = Math.round(acc);
      if (v > Short.MAX_VALUE) {
        v = Short.MAX_VALUE;
      } else if (v < Short.MIN_VALUE) {
        v = Short.MIN_VALUE;
      }
      out[o++] = (byte) v;
      out[o++] = (byte) (v >> 8);
      rem += step;
      center += rem / den;
      rem %= den;
    }
    compact();
    return out;
  }

  /** How many further outputs have a centre below {@code limit}, from the current position. */
  private long outputsBefore(long limit) {
    // Outputs n, n+1, ... have centres floor((center*den + rem + m*step) / den) for m = 0, 1, ...
    // Count m with center*den + rem + m*step < limit*den, i.e. m < ((limit - center)*den - rem) /
    // step. The distance limit - center is at most the buffered input, so this does not overflow.
    long span = (limit - center) * den - rem;
    return (span + step - 1) / step;
  }

  /** Drops input that no future output needs. */
  private void compact() {
    long keepFrom = center - half;
    int drop = (int) (keepFrom - bufStart);
    if (drop > 0 && drop >= bufLen / 2) {
      System.arraycopy(buf, drop, buf, 0, bufLen - drop);
      bufLen -= drop;
      bufStart += drop;
    }
  }

  private void ensureCapacity(int more) {
    if (bufLen + more > buf.length) {
      long wanted = Math.max((long) bufLen + more, 2L * buf.length);
      if (wanted > Integer.MAX_VALUE - 8) {
        wanted = (long) bufLen + more;
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }

  private static byte[] toBytes(short[] s, int off, int len) {
    byte[] out = new byte[len * 2];
    for (int i = 0, j = 0; i < len; i++, j += 2) {
      short v = s[off + i];
      out[j] = (byte) v;
      out[j + 1] = (byte) (v >> 8);
    }
    return out;
  }

  /** The polyphase filter bank for a pair of rates, or {@code null} if it would be too large. */
  private float[] bank(int fromRate, int toRate) {
    int taps = 2 * half + 1;
    if (den * taps > MAX_BANK) {
      return null;
    }
    long key = ((long) fromRate << 32) | toRate;
    float[] cached = BANKS.get(key);
    if (cached != null) {
      return cached;
    }
    float[] weights = new float[(int) den * taps];
    for (int phase = 0; phase < den; phase++) {
      double d = (double) phase / den + half;
      for (int k = 0; k < taps; k++, d -= 1.0) {
        weights[phase * taps + k] = (float) (cutoff * kernel(Math.abs(d) * cutoff));
      }
    }
    if (BANKS.size() < 32) {
      BANKS.putIfAbsent(key, weights);
    }
    return weights;
  }

  /** The windowed sinc at {@code u} zero crossings from its centre. */
  private static double kernel(double u) {
    if (u >= ZERO_CROSSINGS) {
      return 0.0;
    }
    double sinc = u == 0 ? 1.0 : Math.sin(Math.PI * u) / (Math.PI * u);
    double r = u / ZERO_CROSSINGS;
    return sinc * besselI0(KAISER_BETA * Math.sqrt(1.0 - r * r)) / I0_BETA;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static double besselI0(double x) {
    double sum = 1.0;
    double term = 1.0;
    double half = x / 2.0;
    for (int k = 1; k < 200; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}
