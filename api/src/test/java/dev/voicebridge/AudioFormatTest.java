package dev.voicebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioFormatTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"pcm_24000", "wav_16000", "mp3_44100", "opus_48000", "mulaw_8000", "alaw_8000"})
  void parseReadsBackToString(String s) {
    assertThat(AudioFormat.parse(s).toString()).isEqualTo(s);
  }

  @Test
  void parseDefaultsTheRate() {
    assertThat(AudioFormat.parse("ulaw")).isEqualTo(AudioFormat.mulaw(8000));
    assertThat(AudioFormat.parse("PCM")).isEqualTo(AudioFormat.pcm(24_000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"flac", "pcm_abc", "pcm_-5", ""})
  void parseRefusesNonsense(String s) {
    assertThatThrownBy(() -> AudioFormat.parse(s)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationOfUncompressedAudio() {
    assertThat(AudioFormat.pcm(16_000).durationOf(32_000)).isEqualTo(Duration.ofSeconds(1));
    assertThat(AudioFormat.mulaw(8000).durationOf(4000)).isEqualTo(Duration.ofMillis(500));
    assertThat(AudioFormat.mp3(44_100).durationOf(10_000)).isEqualTo(Duration.ZERO);
  }
}
