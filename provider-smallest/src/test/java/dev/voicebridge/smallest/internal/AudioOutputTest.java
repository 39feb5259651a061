package dev.voicebridge.smallest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.kit.audio.G711;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioOutputTest {

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return a;
  }

  @Test
  void oddLengthChunksAreJoinedNeverDropped() {
    byte[] pcm = new byte[1001];
    new Random(7).nextBytes(pcm);
    AudioOutput out = new AudioOutput(AudioFormat.pcm(24000));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    int[] sizes = {1, 3, 0, 7, 2, 5, 983};
    int pos = 0;
    for (int n : sizes) {
      byte[] chunk = java.util.Arrays.copyOfRange(pcm, pos, pos + n);
      pos += n;
      byte[] delivered = bytes(out.accept(chunk));
      assertThat(delivered.length % 2).as("whole samples only").isZero();
      got.writeBytes(delivered);
    }
    assertThat(out.hasDanglingByte()).isTrue();
    got.writeBytes(bytes(out.finish()));
    assertThat(got.toByteArray()).isEqualTo(pcm);
    assertThat(out.pcmBytes()).isEqualTo(1001);
  }

  @Test
  void elapsedFollowsThePcmReceived() {
    AudioOutput out = new AudioOutput(AudioFormat.pcm(16000));
    out.accept(new byte[32000]);
    assertThat(out.elapsed()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void wavGetsAStreamingHeaderBeforeTheFirstAudio() {
    AudioOutput out = new AudioOutput(AudioFormat.wav(16000));
    assertThat(bytes(out.accept(new byte[] {5}))).isEmpty();
    byte[] first = bytes(out.accept(new byte[] {6, 7, 8}));
    assertThat(first).hasSize(Wav.HEADER_BYTES + 4);
    WavInfo info = Wav.read(first);
    assertThat(info.sampleRate()).isEqualTo(16000);
    assertThat(java.util.Arrays.copyOfRange(first, Wav.HEADER_BYTES, first.length))
        .containsExactly(5, 6, 7, 8);
    assertThat(bytes(out.accept(new byte[] {1, 2}))).containsExactly(1, 2);
    assertThat(bytes(out.finish())).isEmpty();
  }

  @Test
  void wavWithoutAudioStillGetsAHeader() {
    AudioOutput out = new AudioOutput(AudioFormat.wav(8000));
    assertThat(bytes(out.finish())).hasSize(Wav.HEADER_BYTES);
  }

  @Test
  void muLawAndALawAreEncodedFromWholeSamples() {
    byte[] pcm = {0x10, 0x20, 0x30, (byte) 0xF0};
    AudioOutput mu = new AudioOutput(AudioFormat.mulaw(8000));
    byte[] a = bytes(mu.accept(new byte[] {pcm[0], pcm[1], pcm[2]}));
    byte[] b = bytes(mu.accept(new byte[] {pcm[3]}));
    assertThat(concat(a, b)).isEqualTo(G711.encodeMuLaw(pcm, 0, 4));
    AudioOutput al = new AudioOutput(AudioFormat.alaw(8000));
    assertThat(bytes(al.accept(pcm))).isEqualTo(G711.encodeALaw(pcm, 0, 4));
    al.accept(new byte[] {1});
    assertThat(bytes(al.finish())).as("half a sample cannot be encoded").isEmpty();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
