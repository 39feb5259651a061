package dev.voicebridge.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Test;

class PcmPlayerTest {

  private static final class Collector implements PcmPlayer.Target {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rate;
    boolean answer = true;
    RuntimeException failure;

    @Override
    public boolean accept(byte[] pcmLe, int off, int len, int sampleRate) {
      out.write(pcmLe, off, len);
      rate = sampleRate;
      return answer;
    }

    @Override
    public void failed(RuntimeException error) {
      failure = error;
    }
  }

  @Test
  void bigEndianSamplesBecomeLittleEndianHoweverTheWritesAreCut() {
    PcmPlayer p = new PcmPlayer();
    p.setAudioFormat(new AudioFormat(16_000, 16, 1, true, true));
    Collector c = new Collector();
    p.target(c);
    byte[] be = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
    p.begin(be.length);
    assertThat(p.write(be, 0, 1)).isTrue();
    assertThat(p.write(be, 1, 4)).isTrue();
    assertThat(p.write(be, 5, 1)).isTrue();
    assertThat(c.out.toByteArray()).containsExactly(0x02, 0x01, 0x04, 0x03, 0x06, 0x05);
    assertThat(c.rate).isEqualTo(16_000);
  }

  @Test
  void littleEndianSamplesPassUnchanged() {
    PcmPlayer p = new PcmPlayer();
    p.setAudioFormat(new AudioFormat(22_050, 16, 1, true, false));
    Collector c = new Collector();
    p.target(c);
    assertThat(p.write(new byte[] {0x01, 0x02, 0x03, 0x04})).isTrue();
    assertThat(c.out.toByteArray()).containsExactly(0x01, 0x02, 0x03, 0x04);
    assertThat(c.rate).isEqualTo(22_050);
  }

  @Test
  void aTargetThatRefusesStopsFreeTtsAndNoTargetDiscards() {
    PcmPlayer p = new PcmPlayer();
    Collector c = new Collector();
    c.answer = false;
    p.target(c);
    assertThat(p.write(new byte[] {0, 1})).isFalse();
    p.target(null);
    assertThat(p.write(new byte[] {0, 1})).isTrue();
    assertThat(c.out.size()).isEqualTo(2);
  }

  @Test
  void aNewUtteranceDropsADanglingByte() {
    PcmPlayer p = new PcmPlayer();
    Collector c = new Collector();
    p.target(c);
    p.write(new byte[] {0x01, 0x02, 0x03}, 0, 3);
    p.begin(2);
    p.write(new byte[] {0x0A, 0x0B}, 0, 2);
    assertThat(c.out.toByteArray()).containsExactly(0x02, 0x01, 0x0B, 0x0A);
  }

  @Test
  void unexpectedAudioIsReportedNotThrownOnFreeTtsThread() {
    PcmPlayer p = new PcmPlayer();
    p.setAudioFormat(new AudioFormat(16_000, 8, 1, true, false));
    Collector c = new Collector();
    p.target(c);
    assertThat(p.write(new byte[] {1, 2})).isFalse();
    assertThat(c.failure).hasMessageContaining("unexpected audio");
    assertThat(c.out.size()).isZero();
  }
}
