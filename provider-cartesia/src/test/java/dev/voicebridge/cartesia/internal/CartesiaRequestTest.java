package dev.voicebridge.cartesia.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.cartesia.CartesiaOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The session plan: everything invalid is refused before any I/O. */
class CartesiaRequestTest {
  private static final CartesiaSettings WS = Harness.settings(Map.of());

  private static CartesiaRequest plan(SynthesisOptions o) {
    return CartesiaRequest.plan(o, WS);
  }

  @Test
  void defaults() {
    CartesiaRequest r = plan(SynthesisOptions.defaults());
    assertThat(r.transport()).isEqualTo("websocket");
    assertThat(r.format()).isEqualTo(AudioFormat.PCM_24K);
    assertThat(r.wireEncoding()).isEqualTo("pcm_s16le");
    assertThat(r.model()).isEqualTo("sonic-3");
    assertThat(r.voice()).isEqualTo("794f9389-aac1-45b6-b726-9d9369183238");
    assertThat(r.version()).isEqualTo("2026-08-14");
    assertThat(r.wordTimestamps()).isTrue();
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void formats() {
    for (int rate : new int[] {8000, 16000, 22050, 24000, 44100, 48000}) {
      assertThat(plan(SynthesisOptions.builder().format(AudioFormat.pcm(rate)).build()).format())
          .isEqualTo(AudioFormat.pcm(rate));
    }
    assertThat(
            plan(SynthesisOptions.builder().format(AudioFormat.alaw(16000)).build()).wireEncoding())
        .isEqualTo("pcm_alaw");
    assertThat(
            plan(SynthesisOptions.builder().format(AudioFormat.mulaw(8000)).build()).wireEncoding())
        .isEqualTo("pcm_mulaw");
    assertThat(
            plan(SynthesisOptions.builder().format(AudioFormat.wav(44100)).build()).wireEncoding())
        .isEqualTo("pcm_s16le");
    for (AudioFormat f :
        new AudioFormat[] {
          AudioFormat.mp3(44100),
          AudioFormat.opus(),
          AudioFormat.pcm(32000),
          new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 24000, 2)
        }) {
      assertThatThrownBy(() -> plan(SynthesisOptions.builder().format(f).build()))
          .as(f.toString())
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("Cartesia cannot produce " + f);
    }
  }

  @Test
  void languageOrLocaleNeverBoth() {
    assertThat(plan(SynthesisOptions.builder().language("fr-CA").build()).language())
        .isEqualTo("fr");
    assertThat(
            plan(SynthesisOptions.builder()
                    .language("fr")
                    .set(CartesiaOptions.LOCALE, "en-GB")
                    .build())
                .language())
        .isNull();
    assertThatThrownBy(
            () ->
                plan(
                    SynthesisOptions.builder()
                        .set(CartesiaOptions.LANGUAGE, "en")
                        .set(CartesiaOptions.LOCALE, "en-GB")
                        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("never both");
    assertThatThrownBy(() -> plan(SynthesisOptions.builder().language("xx").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'xx'");
    assertThatThrownBy(
            () ->
                CartesiaRequest.plan(
                    SynthesisOptions.builder().set(CartesiaOptions.LOCALE, "en-GB").build(),
                    Harness.settings(Map.of("version", "2026-03-01"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("2026-08-14");
  }

  @Test
  void rangesAreCheckedWhenSetAndTheNeutralSpeedWhenOpened() {
    assertThatThrownBy(() -> SynthesisOptions.builder().set(CartesiaOptions.SPEED, 1.6))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SynthesisOptions.builder().set(CartesiaOptions.VOLUME, 0.4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> SynthesisOptions.builder().set(CartesiaOptions.MAX_BUFFER_DELAY_MS, 5001))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SynthesisOptions.builder().set(CartesiaOptions.LANGUAGE, "EN"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SynthesisOptions.builder().set(CartesiaOptions.EMOTION, "<script>"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(plan(SynthesisOptions.builder().speed(1.2).build()).speed()).isEqualTo(1.2);
    assertThatThrownBy(() -> plan(SynthesisOptions.builder().speed(2.0).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("0.6..1.5");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigurationException e =
        (ConfigurationException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    CartesiaRequest.plan(
                        SynthesisOptions.builder()
                            .speed(3.0)
                            .voice("bad\u0001voice")
                            .set(CartesiaOptions.LANGUAGE, "en")
                            .set(CartesiaOptions.LOCALE, "en-GB")
                            .build(),
                        Harness.settings(Map.of("version", "2025-04-16"))));
    assertThat(e.problems()).hasSize(4);
  }

  @Test
  void transportSpecificOptionsAreWarnedAboutOrRefused() {
    CartesiaRequest sse =
        CartesiaRequest.plan(
            SynthesisOptions.builder().set(CartesiaOptions.MAX_BUFFER_DELAY_MS, 0).build(),
            Harness.settings(Map.of("transport", "sse")));
    assertThat(sse.maxBufferDelayMs()).isNull();
    assertThat(sse.warnings()).anyMatch(w -> w.contains("max-buffer-delay-ms"));
    assertThat(sse.wordTimestamps()).isTrue();

    CartesiaRequest bytes =
        plan(
            SynthesisOptions.builder()
                .set(CartesiaOptions.TRANSPORT, "bytes")
                .set(CartesiaOptions.WORD_TIMESTAMPS, true)
                .build());
    assertThat(bytes.wordTimestamps()).isFalse();
    assertThat(bytes.warnings()).anyMatch(w -> w.contains("word-timestamps"));
    assertThat(
            plan(SynthesisOptions.builder().set(CartesiaOptions.TRANSPORT, "bytes").build())
                .warnings())
        .as("timestamps are off by default on bytes, without a warning")
        .isEmpty();
    assertThatThrownBy(
            () ->
                plan(
                    SynthesisOptions.builder()
                        .set(CartesiaOptions.TRANSPORT, "bytes")
                        .set(CartesiaOptions.PHONEME_TIMINGS, t -> {})
                        .build()))
        .isInstanceOf(ConfigurationException.class);

    CartesiaRequest ws =
        plan(SynthesisOptions.builder().set(CartesiaOptions.HTTP_REQUEST_UNIT, "flush").build());
    assertThat(ws.warnings()).anyMatch(w -> w.contains("http-request-unit"));
  }

  @Test
  void otherProvidersOptionsAreWarnedAbout() {
    SynthesisOption<String> foreign = SynthesisOption.of("fish", "latency", String.class, "x");
    CartesiaRequest r = plan(SynthesisOptions.builder().set(foreign, "low").build());
    assertThat(r.warnings()).anyMatch(w -> w.contains("fish.latency"));
  }

  @Test
  void generationConfigOnAnOlderModelIsWarnedAbout() {
    CartesiaRequest r =
        plan(SynthesisOptions.builder().model("sonic-2").set(CartesiaOptions.SPEED, 1.0).build());
    assertThat(r.warnings()).anyMatch(w -> w.contains("sonic-3"));
  }
}
