package dev.voicebridge.kit.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PcmTest {

  @Test
  void convertsLittleEndianBytesToSamplesAndBack() {
    byte[] bytes = {0x34, 0x12, (byte) 0xFF, (byte) 0xFF, 0x00, (byte) 0x80, (byte) 0xFF, 0x7F};

    short[] samples = Pcm.toShorts(bytes);

    assertThat(samples)
        .containsExactly((short) 0x1234, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE);
    assertThat(Pcm.toBytes(samples)).isEqualTo(bytes);
  }

  @Test
  void respectsOffsetAndLength() {
    byte[] bytes = {9, 1, 0, 2, 0, 9};

    assertThat(Pcm.toShorts(bytes, 1, 4)).containsExactly((short) 1, (short) 2);
    assertThat(Pcm.toBytes(new short[] {7, 0x0102, 7}, 1, 1)).containsExactly(2, 1);
  }

  @Test
  void roundTripsEverySampleValue() {
    short[] all = new short[65536];
    for (int i = 0; i < all.length; i++) {
      all[i] = (short) (i - 32768);
    }
    assertThat(Pcm.toShorts(Pcm.toBytes(all))).isEqualTo(all);
  }

  @Test
  void rejectsOddByteCountsAndBadRanges() {
    assertThatThrownBy(() -> Pcm.toShorts(new byte[3], 0, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pcm.toShorts(new byte[4], 2, 4))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Pcm.toBytes(new short[4], -1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void computesDurations() {
    assertThat(Pcm.duration(48_000, 24_000, 2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Pcm.duration(320, 16_000, 2)).isEqualTo(Duration.ofMillis(10));
    assertThat(Pcm.duration(0, 8_000, 1)).isEqualTo(Duration.ZERO);
    assertThat(Pcm.duration(2 * 44_100 + 3, 44_100, 2)).isEqualTo(Duration.ofNanos(1_000_022_675));
    assertThat(Pcm.duration(4 * 48_000 * 3600L, 48_000, 4)).isEqualTo(Duration.ofHours(1));
    assertThat(Pcm.duration(Long.MAX_VALUE, 8_000, 1)).isPositive();
  }

  @Test
  void durationRejectsInvalidParameters() {
    assertThatThrownBy(() -> Pcm.duration(-1, 8000, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pcm.duration(2, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pcm.duration(2, 8000, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
