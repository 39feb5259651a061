package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.UnsupportedCapabilityException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {

  @ParameterizedTest
  @CsvSource({
    "pcm_8000, , websocket, pcm_8000",
    "pcm_16000, , websocket, pcm_16000",
    "pcm_22050, , multi-context, pcm_22050",
    "pcm_24000, , http, pcm_24000",
    "pcm_32000, , websocket, pcm_32000",
    "pcm_44100, , http-timestamps, pcm_44100",
    "pcm_48000, , websocket, pcm_48000",
    "mulaw_8000, , websocket, ulaw_8000",
    "alaw_8000, , http, alaw_8000",
    "mp3_44100, , websocket, mp3_44100_128",
    "mp3_44100, 192, http, mp3_44100_192",
    "mp3_44100, 32, websocket, mp3_44100_32",
    "mp3_22050, , websocket, mp3_22050_32",
    "mp3_24000, , http, mp3_24000_48",
    "opus, , websocket, opus_48000_64",
    "opus, 128, http, opus_48000_128",
  })
  void mapsToTheVendorSpelling(String format, Integer bitrate, String transport, String wire) {
    AudioFormat f = AudioFormat.parse(format);
    assertThat(Formats.outputFormat(f, transport, bitrate)).isEqualTo(wire);
    assertThat(Formats.supportedAnywhere(f)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "pcm_11025, , http",
    "pcm_96000, , websocket",
    "wav_16000, , http",
    "wav_24000, , websocket",
    "mulaw_16000, , websocket",
    "alaw_44100, , http",
    "mp3_8000, , http",
    "mp3_24000, , websocket",
    "mp3_24000, , multi-context",
    "mp3_44100, 48, http",
    "mp3_22050, 64, http",
    "opus, 48, websocket",
    "pcm_24000, 128, http",
  })
  void refusesWhatTheEndpointLacks(String format, Integer bitrate, String transport) {
    AudioFormat f = AudioFormat.parse(format);
    assertThatThrownBy(() -> Formats.outputFormat(f, transport, bitrate))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("[elevenlabs]")
        .hasMessageContaining(transport);
  }

  @org.junit.jupiter.api.Test
  void stereoIsRefused() {
    AudioFormat stereo = new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 24000, 2);
    assertThat(Formats.supportedAnywhere(stereo)).isFalse();
    assertThatThrownBy(() -> Formats.outputFormat(stereo, "websocket", null))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("mono");
  }
}
