package dev.voicebridge.cartesia.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class AudioOutputTest {

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return a;
  }

  @Test
  void pcmSamplesSplitAcrossChunksAreJoinedAndTheClockCountsThem() {
    AudioOutput out = new AudioOutput(AudioFormat.pcm(8000), "pcm_s16le");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] chunk : new byte[][] {{1, 2, 3}, {4}, {5}, {6, 7, 8}}) {
      byte[] b = bytes(out.accept(chunk));
      assertThat(b.length % 2).isZero();
      all.writeBytes(b);
    }
    assertThat(all.toByteArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(out.seconds()).isEqualTo(4 / 8000.0);
    assertThat(out.danglingWarning()).isNull();
    out.accept(new byte[] {9});
    assertThat(out.danglingWarning()).contains("delivered");
    assertThat(bytes(out.finish())).containsExactly(9);
  }

  @Test
  void float32IsClippedAndConverted() {
    ByteBuffer f = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    f.putFloat(0f).putFloat(1f).putFloat(-1f).putFloat(2f).putFloat(Float.NaN);
    ByteBuffer s = ByteBuffer.wrap(AudioOutput.toS16(f.array())).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(s.getShort()).isEqualTo((short) 0);
    assertThat(s.getShort()).isEqualTo((short) 32767);
    assertThat(s.getShort()).isEqualTo((short) -32767);
    assertThat(s.getShort()).isEqualTo((short) 32767);
    assertThat(s.getShort()).isEqualTo((short) 0);
    AudioOutput out = new AudioOutput(AudioFormat.pcm(24000), "pcm_f32le");
    assertThat(bytes(out.accept(new byte[] {0, 0, 0}))).isEmpty();
    assertThat(bytes(out.accept(new byte[] {0, 0, 0, 0, 0}))).hasSize(4);
    assertThat(out.seconds()).isEqualTo(2 / 24000.0);
    out.accept(new byte[] {1});
    assertThat(out.danglingWarning()).contains("dropped");
    assertThat(bytes(out.finish())).isEmpty();
  }

  @Test
  void wavGetsOneStreamingHeaderEvenWithoutAudio() {
    AudioOutput out = new AudioOutput(AudioFormat.wav(16000), "pcm_s16le");
    assertThat(bytes(out.accept(new byte[0]))).isEmpty();
    byte[] first = bytes(out.accept(new byte[] {1, 2}));
    assertThat(first).hasSize(46);
    assertThat(new String(first, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("RIFF");
    assertThat(bytes(out.accept(new byte[] {3, 4}))).containsExactly(3, 4);
    assertThat(bytes(out.finish())).isEmpty();
    AudioOutput empty = new AudioOutput(AudioFormat.wav(16000), "pcm_s16le");
    assertThat(bytes(empty.finish())).hasSize(44);
  }

  @Test
  void g711PassesThrough() {
    AudioOutput out = new AudioOutput(AudioFormat.mulaw(8000), "pcm_mulaw");
    assertThat(bytes(out.accept(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
    assertThat(out.seconds()).isEqualTo(3 / 8000.0);
  }
}
