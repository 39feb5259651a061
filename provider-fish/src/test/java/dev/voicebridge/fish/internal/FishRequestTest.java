package dev.voicebridge.fish.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.fish.FishOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Format mapping and option validation, all before any I/O. */
class FishRequestTest {

  private static FishRequest plan(SynthesisOptions o) {
    return FishRequest.plan(o, FishCodecTest.SETTINGS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pcm_8000", "pcm_16000", "pcm_24000", "pcm_32000", "pcm_44100",
        "wav_8000", "wav_16000", "wav_24000", "wav_32000", "wav_44100",
        "mp3_32000", "mp3_44100", "opus_48000"
      })
  void supportedFormatsMapToFormatAndSampleRate(String spelling) {
    AudioFormat f = AudioFormat.parse(spelling);
    FishRequest r = plan(SynthesisOptions.builder().format(f).build());
    String encoding = spelling.substring(0, spelling.indexOf('_'));
    assertThat(r.request()).containsEntry("format", encoding);
    assertThat(r.request()).containsEntry("sample_rate", f.sampleRate());
    assertThat(r.format()).isEqualTo(f);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pcm_22050",
        "pcm_48000",
        "pcm_11025",
        "wav_48000",
        "mp3_24000",
        "mp3_16000",
        "mp3_48000",
        "opus_24000",
        "mulaw_8000",
        "alaw_8000"
      })
  void otherFormatsAreRefusedUpFront(String spelling) {
    AudioFormat f = AudioFormat.parse(spelling);
    SynthesisOptions o = SynthesisOptions.builder().format(f).build();
    assertThatThrownBy(() -> plan(o))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("[fish]")
        .hasMessageContaining(f.toString());
  }

  @Test
  void stereoIsRefused() {
    SynthesisOptions o =
        SynthesisOptions.builder()
            .format(new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 24000, 2))
            .build();
    assertThatThrownBy(() -> plan(o)).isInstanceOf(UnsupportedCapabilityException.class);
  }

  @Test
  void outOfRangeOptionsFailWhenSetNamingKeyAndRange() {
    SynthesisOptions.Builder b = SynthesisOptions.builder();
    assertThatThrownBy(() -> b.set(FishOptions.CHUNK_LENGTH, 50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fish.chunk-length")
        .hasMessageContaining("100..300");
    assertThatThrownBy(() -> b.set(FishOptions.MIN_CHUNK_LENGTH, 101))
        .hasMessageContaining("fish.min-chunk-length")
        .hasMessageContaining("0..100");
    assertThatThrownBy(() -> b.set(FishOptions.SPEED, 2.5))
        .hasMessageContaining("fish.speed")
        .hasMessageContaining("0.5..2.0");
    assertThatThrownBy(() -> b.set(FishOptions.VOLUME, -21.0))
        .hasMessageContaining("fish.volume")
        .hasMessageContaining("-20.0..20.0");
    assertThatThrownBy(() -> b.set(FishOptions.TEMPERATURE, 1.5))
        .hasMessageContaining("fish.temperature");
    assertThatThrownBy(() -> b.set(FishOptions.TOP_P, -0.1)).hasMessageContaining("fish.top-p");
    assertThatThrownBy(() -> b.set(FishOptions.LATENCY, "fast"))
        .hasMessageContaining("fish.latency")
        .hasMessageContaining("normal");
    assertThatThrownBy(() -> b.set(FishOptions.MP3_BITRATE, 96))
        .hasMessageContaining("fish.mp3-bitrate")
        .hasMessageContaining("64, 128, 192");
    assertThatThrownBy(() -> b.set(FishOptions.OPUS_BITRATE, 32))
        .hasMessageContaining("fish.opus-bitrate")
        .hasMessageContaining("24000");
    assertThatThrownBy(() -> b.set(FishOptions.TRANSPORT, "grpc"))
        .hasMessageContaining("fish.transport");
    assertThatThrownBy(() -> b.set(FishOptions.REFERENCE_ID, " "))
        .hasMessageContaining("fish.reference-id");
  }

  @Test
  void genericSpeedMapsToProsodyAndIsCheckedAgainstFishRange() {
    FishRequest r = plan(SynthesisOptions.builder().speed(1.5).build());
    assertThat(r.request().get("prosody")).isEqualTo(java.util.Map.of("speed", 1.5, "volume", 0.0));
    assertThatThrownBy(() -> plan(SynthesisOptions.builder().speed(3.0).build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("0.5..2.0");
    // the Fish key wins over the generic one
    FishRequest both =
        plan(SynthesisOptions.builder().speed(3.0).set(FishOptions.SPEED, 0.75).build());
    assertThat(both.request().get("prosody"))
        .isEqualTo(java.util.Map.of("speed", 0.75, "volume", 0.0));
  }

  @Test
  void voicePrecedenceIsReferenceIdThenOptionsVoiceThenConfig() {
    FishSettings withVoice = FishCodecTest.settings("config-voice");
    assertThat(FishRequest.plan(SynthesisOptions.defaults(), withVoice).request())
        .containsEntry("reference_id", "config-voice");
    assertThat(
            FishRequest.plan(SynthesisOptions.builder().voice("opt-voice").build(), withVoice)
                .request())
        .containsEntry("reference_id", "opt-voice");
    assertThat(
            FishRequest.plan(
                    SynthesisOptions.builder()
                        .voice("opt-voice")
                        .set(FishOptions.REFERENCE_ID, "ref")
                        .build(),
                    withVoice)
                .request())
        .containsEntry("reference_id", "ref");
    assertThat(plan(SynthesisOptions.defaults()).request()).doesNotContainKey("reference_id");
  }

  @Test
  void foreignOptionsAndMismatchedBitratesAreWarningsNotErrors() {
    SynthesisOption<Integer> foreign =
        SynthesisOption.intRange("elevenlabs", "chunk-length", 0, 10, "x");
    FishRequest r =
        plan(
            SynthesisOptions.builder()
                .set(foreign, 3)
                .set(FishOptions.MP3_BITRATE, 64)
                .set(FishOptions.OPUS_BITRATE, 24000)
                .language("de")
                .build());
    assertThat(r.request()).doesNotContainKeys("mp3_bitrate", "opus_bitrate");
    assertThat(r.warnings())
        .hasSize(4)
        .anySatisfy(w -> assertThat(w).contains("elevenlabs.chunk-length"))
        .anySatisfy(w -> assertThat(w).contains("fish.mp3-bitrate"))
        .anySatisfy(w -> assertThat(w).contains("fish.opus-bitrate"))
        .anySatisfy(w -> assertThat(w).contains("language"));
  }

  @Test
  void transportAndModelComeFromOptionsOverConfig() {
    FishRequest r =
        plan(
            SynthesisOptions.builder()
                .model("s1")
                .set(FishOptions.TRANSPORT, FishOptions.HTTP)
                .set(FishOptions.HTTP_REQUEST_UNIT, FishOptions.PER_FLUSH)
                .build());
    assertThat(r.model()).isEqualTo("s1");
    assertThat(r.transport()).isEqualTo("http");
    assertThat(r.httpUnit()).isEqualTo("flush");
    assertThat(plan(SynthesisOptions.defaults()).httpUnit()).isEqualTo("sentence");
  }
}
