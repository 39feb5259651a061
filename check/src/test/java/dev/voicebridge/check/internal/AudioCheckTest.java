package dev.voicebridge.check.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.check.internal.AudioCheck.Decoded;
import dev.voicebridge.emulator.AudioEncoder;
import dev.voicebridge.kit.audio.G711;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AudioCheckTest {

  /** {@code seconds} of a 440 Hz sine at {@code rate}, 16-bit little-endian mono. */
  static byte[] tone(int rate, double seconds) {
    int n = (int) Math.round(rate * seconds);
    byte[] out = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      short s = (short) Math.round(Math.sin(2 * Math.PI * 440 * i / rate) * 8000);
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void pcmIsWholeSamplesNotSilentAndItsDurationIsItsLength() {
    Decoded d = AudioCheck.decode(AudioFormat.pcm(24_000), tone(24_000, 1.0));
    assertThat(d.problems()).isEmpty();
    assertThat(d.duration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.description()).startsWith("pcm_24000").contains("1.00 s");
  }

  @Test
  void pcmWithAHalfSampleOrSilenceOrNothingIsWrong() {
    byte[] odd = Arrays.copyOf(tone(16_000, 0.1), 3201);
    assertThat(AudioCheck.decode(AudioFormat.pcm(16_000), odd).problems())
        .anyMatch(p -> p.contains("not whole samples"));
    assertThat(AudioCheck.decode(AudioFormat.pcm(16_000), new byte[3200]).problems())
        .anyMatch(p -> p.contains("silent"));
    assertThat(AudioCheck.decode(AudioFormat.pcm(16_000), new byte[0]).problems())
        .containsExactly("no audio");
  }

  @Test
  void theDurationIsHeldToTheText() {
    assertThat(AudioCheck.implausible(Duration.ofMillis(1200), 19)).isNull();
    assertThat(AudioCheck.implausible(Duration.ofMillis(100), 19)).contains("too little");
    // 19 characters: at most 0.2 s each plus 1.5 s of silence, 5.3 s
    assertThat(AudioCheck.implausible(Duration.ofMillis(5300), 19)).isNull();
    assertThat(AudioCheck.implausible(Duration.ofMillis(5400), 19)).contains("too much");
  }

  @Test
  void wavIsItsHeaderThenPcm() {
    byte[] pcm = tone(24_000, 0.5);
    Decoded ok =
        AudioCheck.decode(
            AudioFormat.wav(24_000), concat(Wav.header(24_000, 1, 16, pcm.length), pcm));
    assertThat(ok.problems()).isEmpty();
    assertThat(ok.duration()).isEqualTo(Duration.ofMillis(500));

    Decoded streaming =
        AudioCheck.decode(AudioFormat.wav(24_000), concat(Wav.streamingHeader(24_000, 1, 16), pcm));
    assertThat(streaming.problems()).isEmpty();

    Decoded wrongSize =
        AudioCheck.decode(AudioFormat.wav(24_000), concat(Wav.header(24_000, 1, 16, 100), pcm));
    assertThat(wrongSize.problems()).anyMatch(p -> p.contains("declares 100 data bytes"));

    Decoded wrongRate =
        AudioCheck.decode(
            AudioFormat.wav(16_000), concat(Wav.header(24_000, 1, 16, pcm.length), pcm));
    assertThat(wrongRate.problems()).anyMatch(p -> p.contains("24000 Hz"));

    assertThat(AudioCheck.decode(AudioFormat.wav(24_000), pcm).problems())
        .anyMatch(p -> p.contains("WAV header does not parse"));
  }

  @Test
  void g711IsDecodedBeforeItIsChecked() {
    byte[] pcm = tone(8_000, 0.25);
    Decoded mu = AudioCheck.decode(AudioFormat.mulaw(8_000), G711.encodeMuLaw(pcm, 0, pcm.length));
    assertThat(mu.problems()).isEmpty();
    assertThat(mu.duration()).isEqualTo(Duration.ofMillis(250));
    Decoded a = AudioCheck.decode(AudioFormat.alaw(8_000), G711.encodeALaw(pcm, 0, pcm.length));
    assertThat(a.problems()).isEmpty();
    // mu-law silence (0xFF) decodes to silence
    byte[] quiet = new byte[2000];
    Arrays.fill(quiet, (byte) 0xFF);
    assertThat(AudioCheck.decode(AudioFormat.mulaw(8_000), quiet).problems())
        .anyMatch(p -> p.contains("silent"));
  }

  static byte[] mp3(int rate, double seconds) {
    AudioEncoder enc = AudioEncoder.of(AudioFormat.mp3(rate), 64);
    return concat(enc.encode(tone(rate, seconds)), enc.finish());
  }

  @Test
  void mp3IsWalkedFrameByFrameAndItsDurationIsTheFramesSamples() {
    Decoded d = AudioCheck.decode(AudioFormat.mp3(44_100), mp3(44_100, 2.0));
    assertThat(d.problems()).isEmpty();
    assertThat(d.description()).contains("layer III frames");
    // the encoder adds up to a few frames of padding (1152 samples each)
    assertThat(d.duration()).isBetween(Duration.ofMillis(1950), Duration.ofMillis(2200));

    Decoded v2 = AudioCheck.decode(AudioFormat.mp3(22_050), mp3(22_050, 1.0));
    assertThat(v2.problems()).isEmpty();
    assertThat(v2.duration()).isBetween(Duration.ofMillis(950), Duration.ofMillis(1200));
  }

  @Test
  void anMp3WithACutFrameOrGarbageOrTheWrongRateIsWrong() {
    byte[] good = mp3(44_100, 1.0);
    assertThat(
            AudioCheck.decode(AudioFormat.mp3(44_100), Arrays.copyOf(good, good.length - 10))
                .problems())
        .anyMatch(p -> p.contains("cut short"));
    byte[] garbage = concat(Arrays.copyOf(good, 417), new byte[] {1, 2, 3, 4, 5}, good);
    assertThat(AudioCheck.decode(AudioFormat.mp3(44_100), garbage).problems())
        .anyMatch(p -> p.contains("no MPEG layer III frame header at byte"));
    assertThat(AudioCheck.decode(AudioFormat.mp3(22_050), good).problems())
        .anyMatch(p -> p.contains("44100 Hz, 22050 Hz was asked"));
  }

  @Test
  void anId3TagBeforeTheFramesIsSkipped() {
    byte[] tag = new byte[10 + 20];
    tag[0] = 'I';
    tag[1] = 'D';
    tag[2] = '3';
    tag[3] = 4;
    tag[9] = 20; // syncsafe size 20
    Decoded d = AudioCheck.decode(AudioFormat.mp3(44_100), concat(tag, mp3(44_100, 0.5)));
    assertThat(d.problems()).isEmpty();
    assertThat(d.description()).contains("1 ID3 tag");
  }
}
