package dev.voicebridge.kit.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class G711Test {

  @Test
  void encodesSilenceToTheStandardCodes() {
    assertThat(G711.linearToMuLaw((short) 0)).isEqualTo((byte) 0xFF);
    assertThat(G711.linearToALaw((short) 0)).isEqualTo((byte) 0xD5);
    assertThat(G711.linearToMuLaw((short) -1)).isEqualTo((byte) 0x7F);
    assertThat(G711.linearToALaw((short) -1)).isEqualTo((byte) 0x55);
  }

  @Test
  void encodesFullScaleToTheStandardCodes() {
    assertThat(G711.linearToMuLaw(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
    assertThat(G711.linearToMuLaw(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
    assertThat(G711.linearToALaw(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
    assertThat(G711.linearToALaw(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
  }

  @Test
  void decodesMuLawLikeTheReferenceTable() {
    // The first row and a few entries of the standard mu-law expansion table (16-bit scale).
    int[] firstRow = {
      -32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956,
      -23932, -22908, -21884, -20860, -19836, -18812, -17788, -16764
    };
    for (int i = 0; i < firstRow.length; i++) {
      assertThat(G711.muLawToLinear((byte) i)).as("code %02X", i).isEqualTo((short) firstRow[i]);
      assertThat(G711.muLawToLinear((byte) (0x80 | i))).isEqualTo((short) -firstRow[i]);
    }
    assertThat(G711.muLawToLinear((byte) 0x10)).isEqualTo((short) -15996);
    assertThat(G711.muLawToLinear((byte) 0x70)).isEqualTo((short) -120);
    assertThat(G711.muLawToLinear((byte) 0x7E)).isEqualTo((short) -8);
    assertThat(G711.muLawToLinear((byte) 0x7F)).isEqualTo((short) 0);
    assertThat(G711.muLawToLinear((byte) 0xFF)).isEqualTo((short) 0);
    assertThat(G711.muLawToLinear((byte) 0x80)).isEqualTo((short) 32124);
  }

  @Test
  void decodesALawLikeTheReferenceTable() {
    int[] firstRow = {
      -5504, -5248, -6016, -5760, -4480, -4224, -4992, -4736,
      -7552, -7296, -8064, -7808, -6528, -6272, -7040, -6784
    };
    int[] secondRow = {
      -2752, -2624, -3008, -2880, -2240, -2112, -2496, -2368,
      -3776, -3648, -4032, -3904, -3264, -3136, -3520, -3392
    };
    for (int i = 0; i < 16; i++) {
      assertThat(G711.aLawToLinear((byte) i)).as("code %02X", i).isEqualTo((short) firstRow[i]);
      assertThat(G711.aLawToLinear((byte) (16 + i))).isEqualTo((short) secondRow[i]);
      assertThat(G711.aLawToLinear((byte) (0x80 | i))).isEqualTo((short) -firstRow[i]);
    }
    assertThat(G711.aLawToLinear((byte) 0x55)).isEqualTo((short) -8);
    assertThat(G711.aLawToLinear((byte) 0xD5)).isEqualTo((short) 8);
    assertThat(G711.aLawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
    assertThat(G711.aLawToLinear((byte) 0x2A)).isEqualTo((short) -32256);
  }

  @Test
  void reEncodingADecodedCodeGivesTheSameCode() {
    for (int c = 0; c < 256; c++) {
      byte code = (byte) c;
      assertThat(G711.linearToALaw(G711.aLawToLinear(code))).as("A-law %02X", c).isEqualTo(code);
      // mu-law has two zeros (0x7F and 0xFF); 0 encodes as 0xFF.
      byte expected = c == 0x7F ? (byte) 0xFF : code;
      assertThat(G711.linearToMuLaw(G711.muLawToLinear(code)))
          .as("mu-law %02X", c)
          .isEqualTo(expected);
    }
  }

  @Test
  void muLawErrorIsWithinHalfAQuantizationStep() {
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      byte code = G711.linearToMuLaw((short) x);
      int decoded = G711.muLawToLinear(code);
      int exponent = ((~code) >> 4) & 0x07;
      int halfStep = 4 << exponent;
      int magnitude = x < 0 ? -x - 1 : x;
      if (magnitude < 32636) {
        // Half a step, plus one for the one's complement of negative values.
        assertThat(Math.abs(decoded - x)).as("x=%d", x).isLessThanOrEqualTo(halfStep + 1);
      } else {
        assertThat(Math.abs(decoded)).as("clipped x=%d", x).isEqualTo(32124);
      }
      assertThat(Integer.signum(decoded) * Integer.signum(x)).as("sign of x=%d", x).isNotNegative();
    }
  }

  @Test
  void aLawErrorIsWithinHalfAQuantizationStep() {
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      byte code = G711.linearToALaw((short) x);
      int decoded = G711.aLawToLinear(code);
      int exponent = ((code ^ 0x55) & 0x7F) >> 4;
      int halfStep = exponent <= 1 ? 8 : 8 << (exponent - 1);
      assertThat(Math.abs(decoded - x)).as("x=%d", x).isLessThanOrEqualTo(halfStep + 1);
    }
  }

  @Test
  void encodingIsMonotonic() {
    int previousMu = Integer.MIN_VALUE;
    int previousA = Integer.MIN_VALUE;
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int mu = G711.muLawToLinear(G711.linearToMuLaw((short) x));
      int a = G711.aLawToLinear(G711.linearToALaw((short) x));
      assertThat(mu).isGreaterThanOrEqualTo(previousMu);
      assertThat(a).isGreaterThanOrEqualTo(previousA);
      previousMu = mu;
      previousA = a;
    }
  }

  @Test
  void bufferMethodsMatchTheSampleMethods() {
    short[] samples = new short[4096];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) (i * 16 - 32768);
    }
    byte[] pcm = Pcm.toBytes(samples);
    byte[] framed = new byte[pcm.length + 3];
    System.arraycopy(pcm, 0, framed, 1, pcm.length);

    byte[] mu = G711.encodeMuLaw(framed, 1, pcm.length);
    byte[] a = G711.encodeALaw(framed, 1, pcm.length);

    assertThat(mu).hasSize(samples.length);
    assertThat(a).hasSize(samples.length);
    short[] muBack = Pcm.toShorts(G711.decodeMuLaw(mu, 0, mu.length));
    short[] aBack = Pcm.toShorts(G711.decodeALaw(a, 0, a.length));
    for (int i = 0; i < samples.length; i++) {
      assertThat(mu[i]).isEqualTo(G711.linearToMuLaw(samples[i]));
      assertThat(a[i]).isEqualTo(G711.linearToALaw(samples[i]));
      assertThat(muBack[i]).isEqualTo(G711.muLawToLinear(mu[i]));
      assertThat(aBack[i]).isEqualTo(G711.aLawToLinear(a[i]));
    }
    assertThat(G711.decodeMuLaw(new byte[] {9, (byte) 0x80, 9}, 1, 1))
        .containsExactly(0x7C, 0x7D); // 32124 little endian
  }

  @Test
  void bufferMethodsRejectOddLengthsAndBadRanges() {
    assertThatThrownBy(() -> G711.encodeMuLaw(new byte[3], 0, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> G711.encodeALaw(new byte[3], 0, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> G711.decodeALaw(new byte[3], 2, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> G711.decodeMuLaw(new byte[3], -1, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
