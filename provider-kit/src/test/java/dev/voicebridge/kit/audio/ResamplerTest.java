package dev.voicebridge.kit.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

  private static final double AMPLITUDE = 16000;

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({
    "16000, 8000",
    "16000, 22050",
    "16000, 24000",
    "16000, 32000",
    "16000, 44100",
    "16000, 48000",
    "48000, 16000",
    "44100, 16000",
    "24000, 8000",
    "22050, 48000",
    "44100, 48000",
    "48000, 44100",
    "8000, 48000"
  })
  void keepsA1kHzSineAndTheExpectedLength(int from, int to) {
    int inSamples = from; // one second
    byte[] in = sine(1000, from, inSamples, AMPLITUDE);

    short[] out = Pcm.toShorts(Resampler.resample(in, from, to));

    double expectedLength = (double) inSamples * to / from;
    assertThat((double) out.length).isCloseTo(expectedLength, within(1.0));
    // Ignore the edges, where the filter sees the silence before and after the input.
    int margin = to / 50;
    assertThat(dominantFrequency(out, margin, out.length - margin, to))
        .isCloseTo(1000.0, within(2.0));
    double amplitude = goertzelAmplitude(out, margin, out.length - margin, 1000, to);
    assertThat(amplitude).isCloseTo(AMPLITUDE, within(AMPLITUDE * 0.01));
  }

  @ParameterizedTest(name = "{2} Hz tone, {0} Hz -> {1} Hz")
  @CsvSource({
    "16000, 8000, 6000",
    "48000, 16000, 10000",
    "44100, 8000, 7000",
    "48000, 24000, 15000"
  })
  void removesFrequenciesAboveTheNewNyquistInsteadOfAliasing(int from, int to, int tone) {
    byte[] in = sine(tone, from, from, AMPLITUDE);

    short[] out = Pcm.toShorts(Resampler.resample(in, from, to));

    int margin = to / 50;
    assertThat(rms(out, margin, out.length - margin)).isLessThan(AMPLITUDE * 0.005); // < -46 dB
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({"16000, 24000", "16000, 8000", "44100, 16000", "24000, 48000", "22050, 16000"})
  void feedingInArbitraryChunksGivesTheSameOutputAsOneCall(int from, int to) {
    byte[] in = noisySine(from, from / 2 + 1, 7); // odd number of bytes? no: samples * 2 + 1 below
    byte[] odd = new byte[in.length + 1];
    System.arraycopy(in, 0, odd, 0, in.length);
    odd[in.length] = 0x55; // a dangling half sample, dropped at finish

    byte[] whole = Resampler.resample(odd, from, to);

    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      Resampler r = Resampler.of(from, to);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int pos = 0;
      while (pos < odd.length) {
        int n = Math.min(odd.length - pos, random.nextInt(seed == 1 ? 4 : 777));
        out.writeBytes(r.process(odd, pos, n));
        pos += n;
      }
      out.writeBytes(r.finish());
      assertThat(out.toByteArray()).as("seed %d", seed).isEqualTo(whole);
    }
  }

  @Test
  void oneByteChunksGiveTheSameOutputAsOneCall() {
    byte[] in = noisySine(16000, 1601, 3);
    byte[] whole = Resampler.resample(in, 16000, 44100);

    Resampler r = Resampler.of(16000, 44100);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < in.length; i++) {
      out.writeBytes(r.process(in, i, 1));
    }
    out.writeBytes(r.finish());

    assertThat(out.toByteArray()).isEqualTo(whole);
  }

  @Test
  void producesOutputBeforeFinishAndHoldsBackOnlyTheFilterLookahead() {
    Resampler r = Resampler.of(16000, 24000);
    byte[] in = sine(1000, 16000, 1600, AMPLITUDE);

    byte[] early = r.process(in, 0, in.length);
    byte[] rest = r.finish();

    int expectedTotal = 2400;
    assertThat((early.length + rest.length) / 2).isEqualTo(expectedTotal);
    // What is held back corresponds to the look-ahead (in input samples) at the output rate.
    int heldBack = rest.length / 2;
    assertThat(heldBack).isBetween(1, (r.latencySamples() + 1) * 24000 / 16000 + 1);
  }

  @Test
  void finishResetsSoAnInstanceCanBeReused() {
    byte[] in = noisySine(24000, 5000, 11);
    Resampler r = Resampler.of(24000, 16000);

    byte[] first = concat(r.process(in, 0, in.length), r.finish());
    byte[] second = concat(r.process(in, 0, in.length), r.finish());

    assertThat(second).isEqualTo(first).isEqualTo(Resampler.resample(in, 24000, 16000));
  }

  @Test
  void equalRatesPassThroughAndCarryOddBytes() {
    byte[] in = noisySine(16000, 1000, 5);
    Resampler r = Resampler.of(16000, 16000);

    byte[] a = r.process(in, 0, 3);
    byte[] b = r.process(in, 3, 4);
    byte[] c = r.process(in, 7, in.length - 7);

    assertThat(a).hasSize(2);
    assertThat(b).hasSize(4);
    assertThat(concat(concat(a, b), concat(c, r.finish()))).isEqualTo(in);
    assertThat(r.latencySamples()).isZero();
    assertThat(Resampler.resample(in, 8000, 8000)).isEqualTo(in);
  }

  @Test
  void keepsDcLevel() {
    short[] dc = new short[8000];
    java.util.Arrays.fill(dc, (short) 10000);

    short[] out = Pcm.toShorts(Resampler.resample(Pcm.toBytes(dc), 8000, 22050));

    for (int i = 200; i < out.length - 200; i++) {
      assertThat((int) out[i]).isCloseTo(10000, within(10));
    }
  }

  @Test
  void clipsInsteadOfWrappingAround() {
    short[] square = new short[4000];
    for (int i = 0; i < square.length; i++) {
      square[i] = (i / 20) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
    }

    short[] out = Pcm.toShorts(Resampler.resample(Pcm.toBytes(square), 16000, 48000));

    // Gibbs overshoot is clipped: right after a rising edge the signal stays near the top.
    int nearTop = 0;
    for (short s : out) {
      if (s == Short.MAX_VALUE) {
        nearTop++;
      }
    }
    assertThat(nearTop).isPositive();
    for (int i = 1; i < out.length; i++) {
      assertThat(Math.abs(out[i] - out[i - 1])).as("jump at %d", i).isLessThan(40000);
    }
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    assertThat(Resampler.resample(new byte[0], 16000, 48000)).isEmpty();
    assertThat(Resampler.resample(new byte[1], 16000, 48000)).isEmpty();
    Resampler r = Resampler.of(8000, 16000);
    assertThat(r.process(new byte[0], 0, 0)).isEmpty();
    assertThat(r.finish()).isEmpty();
  }

  @Test
  void supportsUnusualRates() {
    byte[] in = sine(440, 11025, 11025, AMPLITUDE);

    short[] out = Pcm.toShorts(Resampler.resample(in, 11025, 7919));

    assertThat(out.length).isEqualTo(7919);
    assertThat(dominantFrequency(out, 200, out.length - 200, 7919)).isCloseTo(440.0, within(2.0));
    assertThat(goertzelAmplitude(out, 200, out.length - 200, 440, 7919))
        .isCloseTo(AMPLITUDE, within(AMPLITUDE * 0.01));
  }

  @Test
  void rejectsInvalidRates() {
    assertThatThrownBy(() -> Resampler.of(0, 16000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Resampler.of(16000, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Resampler.of(1_000_000, 1000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Resampler.of(100, 100_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Resampler.of(48000, 8000).fromRate()).isEqualTo(48000);
    assertThat(Resampler.of(48000, 8000).toRate()).isEqualTo(8000);
  }

  // --- signals and measurements ---

  static byte[] sine(double freq, int rate, int samples, double amplitude) {
    short[] s = new short[samples];
    for (int i = 0; i < samples; i++) {
      s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * i / rate));
    }
    return Pcm.toBytes(s);
  }

  /** A sine plus fixed-seed noise, so that chunking bugs cannot hide in a regular signal. */
  static byte[] noisySine(int rate, int samples, long seed) {
    Random random = new Random(seed);
    short[] s = new short[samples];
    for (int i = 0; i < samples; i++) {
      s[i] =
          (short)
              Math.round(
                  8000 * Math.sin(2 * Math.PI * 700.0 * i / rate) + random.nextGaussian() * 3000);
    }
    return Pcm.toBytes(s);
  }

  /** Frequency from the number of sign changes between the first and the last crossing. */
  static double dominantFrequency(short[] s, int from, int to, int rate) {
    int first = -1;
    int last = -1;
    int crossings = 0;
    for (int i = from + 1; i < to; i++) {
      if ((s[i - 1] < 0) != (s[i] < 0)) {
        if (first < 0) {
          first = i;
        } else {
          crossings++;
        }
        last = i;
      }
    }
    return crossings / 2.0 / ((double) (last - first) / rate);
  }

  /** The amplitude of one frequency component (Goertzel). */
  static double goertzelAmplitude(short[] s, int from, int to, double freq, int rate) {
    int n = to - from;
    double w = 2 * Math.PI * freq / rate;
    double coeff = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < to; i++) {
      double s0 = s[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double re = s1 - s2 * Math.cos(w);
    double im = s2 * Math.sin(w);
    return 2 * Math.sqrt(re * re + im * im) / n;
  }

  static double rms(short[] s, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) s[i] * s[i];
    }
    return Math.sqrt(sum / (to - from));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
