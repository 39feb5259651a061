package dev.voicebridge.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.kit.audio.G711;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Formats, options and reports; one synthesizer (one voice load) for the class. */
class LocalFormatsTest {
  private static LocalSynthesizer synth;
  private static final Map<Integer, byte[]> PCM = new HashMap<>();

  @BeforeAll
  static void start() {
    synth = Tts.create();
  }

  @AfterAll
  static void stop() {
    synth.close();
  }

  private static synchronized byte[] pcm(int rate) {
    return PCM.computeIfAbsent(rate, r -> Tts.speak(synth, Tts.HELLO, AudioFormat.pcm(r)));
  }

  @Test
  void theDefaultFormatIsPcmAt16kHz() {
    try (SynthesisSession s = synth.open()) {
      assertThat(s.format()).isEqualTo(AudioFormat.pcm(16_000));
    }
  }

  @Test
  void speechAt16kHzIsAudibleAndAFewSecondsLong() {
    byte[] audio = pcm(16_000);
    assertThat(audio.length % 2).isZero();
    double seconds = audio.length / 32_000.0;
    assertThat(seconds).isBetween(1.0, 10.0);
    assertThat(Tts.rms(audio, 0)).isGreaterThan(300);
  }

  @ParameterizedTest(name = "pcm at {0} Hz")
  @ValueSource(ints = {8000, 22050, 24000, 32000, 44100, 48000})
  void pcmAtEveryRateIsTheSameSpeechResampled(int rate) {
    byte[] base = pcm(16_000);
    byte[] audio = pcm(rate);
    assertThat(audio.length % 2).isZero();
    double expected = base.length / 2.0 * rate / 16_000;
    // each sentence is resampled on its own and rounded up: a few samples more at most
    assertThat(audio.length / 2.0).isCloseTo(expected, within(8.0));
    assertThat(Tts.rms(audio, 0)).isCloseTo(Tts.rms(base, 0), within(Tts.rms(base, 0) * 0.1));
  }

  @ParameterizedTest(name = "wav at {0} Hz")
  @ValueSource(ints = {8000, 16000, 22050, 24000, 32000, 44100, 48000})
  void wavIsOneStreamingHeaderThenThePcm(int rate) {
    byte[] wav = Tts.speak(synth, Tts.HELLO, AudioFormat.wav(rate));
    WavInfo info = Wav.read(wav);
    assertThat(info.sampleRate()).isEqualTo(rate);
    assertThat(info.channels()).isEqualTo(1);
    assertThat(info.bitsPerSample()).isEqualTo(16);
    assertThat(info.isStreaming()).isTrue();
    assertThat(info.dataOffset()).isEqualTo(Wav.HEADER_BYTES);
    assertThat(Arrays.copyOfRange(wav, Wav.HEADER_BYTES, wav.length)).isEqualTo(pcm(rate));
  }

  @Test
  void muLawIsOneBytePerSampleOf8kHzPcm() {
    byte[] pcm = pcm(8000);
    byte[] mulaw = Tts.speak(synth, Tts.HELLO, AudioFormat.mulaw(8000));
    assertThat(mulaw).hasSize(pcm.length / 2);
    assertThat(mulaw).isEqualTo(G711.encodeMuLaw(pcm, 0, pcm.length));
  }

  @Test
  void aLawIsOneBytePerSampleOf8kHzPcm() {
    byte[] pcm = pcm(8000);
    byte[] alaw = Tts.speak(synth, Tts.HELLO, AudioFormat.alaw(8000));
    assertThat(alaw).hasSize(pcm.length / 2);
    assertThat(alaw).isEqualTo(G711.encodeALaw(pcm, 0, pcm.length));
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(
      strings = {"mp3_44100", "opus", "pcm_11025", "wav_96000", "mulaw_16000", "alaw_16000"})
  void otherFormatsAreRefusedBeforeAnyWork(String spelling) {
    LocalSynthesizer fresh = Tts.create();
    try {
      AudioFormat f = AudioFormat.parse(spelling);
      assertThatThrownBy(() -> fresh.open(Tts.format(f)))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining(f.toString())
          .hasMessageContaining("mulaw_8000");
      assertThat(fresh.isStarted()).isFalse();
      assertThat(fresh.isLoaded()).isFalse();
    } finally {
      fresh.close();
    }
  }

  @Test
  void stereoIsRefused() {
    AudioFormat stereo = new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 16_000, 2);
    assertThatThrownBy(() -> synth.open(Tts.format(stereo)))
        .isInstanceOf(UnsupportedCapabilityException.class);
  }

  @Test
  void anotherVoiceIsRefusedListingKevin16() {
    assertThatThrownBy(() -> synth.open(SynthesisOptions.builder().voice("alice").build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("alice")
        .hasMessageContaining("kevin16");
    assertThat(Tts.speak(synth, "Hi.", SynthesisOptions.builder().voice("kevin16").build()))
        .isNotEmpty();
  }

  @Test
  void speedChangesTheSpeakingRate() {
    byte[] normal = pcm(16_000);
    byte[] fast =
        Tts.speak(
            synth,
            Tts.HELLO,
            SynthesisOptions.builder().format(AudioFormat.pcm(16_000)).speed(2.0).build());
    byte[] slow =
        Tts.speak(
            synth,
            Tts.HELLO,
            SynthesisOptions.builder().format(AudioFormat.pcm(16_000)).speed(0.5).build());
    assertThat(fast.length).isLessThan(normal.length * 3 / 4);
    assertThat(slow.length).isGreaterThan(normal.length * 5 / 4);
    // the rate is per session: the voice is back to normal afterwards
    assertThat(Tts.speak(synth, Tts.HELLO, AudioFormat.pcm(16_000))).isEqualTo(normal);
  }

  @ParameterizedTest(name = "speed {0} is refused")
  @ValueSource(doubles = {0.1, 5.0})
  void extremeSpeedsAreRefused(double speed) {
    assertThatThrownBy(() -> synth.open(SynthesisOptions.builder().speed(speed).build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("speed");
  }

  @Test
  void ignoredOptionsAreReportedAsWarnings() {
    dev.voicebridge.SynthesisOption<Integer> foreign =
        dev.voicebridge.SynthesisOption.intRange("fish", "chunk-length", 100, 300, "test");
    SynthesisReport r =
        Tts.report(
            synth,
            "Hi.",
            SynthesisOptions.builder().language("de").model("fancy").set(foreign, 200).build());
    assertThat(r.warnings())
        .anyMatch(w -> w.contains("language 'de'"))
        .anyMatch(w -> w.contains("model 'fancy'"))
        .anyMatch(w -> w.contains("fish.chunk-length"));
    assertThat(Tts.report(synth, "Hi.", SynthesisOptions.builder().language("en-US").build()))
        .satisfies(q -> assertThat(q.warnings()).isEmpty());
  }

  @Test
  void anOptionNamedForTheLocalProviderIsRefused() {
    dev.voicebridge.SynthesisOption<String> bogus =
        dev.voicebridge.SynthesisOption.of("local", "pitch", String.class, "test");
    assertThatThrownBy(() -> synth.open(SynthesisOptions.builder().set(bogus, "high").build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("local.pitch");
  }

  @Test
  void theReportShowsSetUpTransportAndAudio() {
    SynthesisReport r = Tts.report(synth, Tts.HELLO, Tts.format(AudioFormat.pcm(16_000)));
    assertThat(r.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    assertThat(r.connectionSetup()).isPresent();
    assertThat(r.timeToFirstAudio()).isPresent();
    assertThat(r.attributes()).containsEntry("transport", "local");
    assertThat(r.audioDuration().toMillis()).isBetween(1000L, 10_000L);
    assertThat(r.charactersSent()).isEqualTo(Tts.HELLO.length());
  }
}
