package dev.voicebridge.deepgram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.deepgram.DeepgramOptions;
import org.junit.jupiter.api.Test;

/** The per-session plan: formats to encoding, sample rate and container; validation before I/O. */
class DeepgramRequestTest {
  private static final DeepgramSettings WS = TestSettings.of("websocket");
  private static final DeepgramSettings HTTP = TestSettings.of("http");

  private static DeepgramRequest ws(SynthesisOptions o) {
    return DeepgramRequest.plan(o, WS);
  }

  private static DeepgramRequest http(SynthesisOptions o) {
    return DeepgramRequest.plan(o, HTTP);
  }

  private static SynthesisOptions format(AudioFormat f) {
    return SynthesisOptions.builder().format(f).build();
  }

  @Test
  void theDefaultsAreThalia24kLinear16() {
    DeepgramRequest r = ws(SynthesisOptions.defaults());
    assertThat(r.model()).isEqualTo("aura-2-thalia-en");
    assertThat(r.transport()).isEqualTo("websocket");
    assertThat(r.format()).isEqualTo(AudioFormat.pcm(24_000));
    assertThat(r.webSocketPath())
        .isEqualTo("/v1/speak?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000");
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void webSocketFormats() {
    assertThat(ws(format(AudioFormat.pcm(8_000))).webSocketPath())
        .isEqualTo("/v1/speak?model=aura-2-thalia-en&encoding=linear16&sample_rate=8000");
    DeepgramRequest wav = ws(format(AudioFormat.wav(48_000)));
    assertThat(wav.encoding()).isEqualTo("linear16");
    assertThat(wav.output()).isEqualTo(AudioOutput.Kind.WAV);
    DeepgramRequest mulaw = ws(format(AudioFormat.mulaw(8_000)));
    assertThat(mulaw.webSocketPath())
        .isEqualTo("/v1/speak?model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000");
    assertThat(mulaw.output()).isEqualTo(AudioOutput.Kind.PASS);
    assertThat(ws(format(AudioFormat.alaw(16_000))).encoding()).isEqualTo("alaw");
    // mu-law at a rate Deepgram does not produce it at: linear16, encoded here
    DeepgramRequest mulaw24 = ws(format(AudioFormat.mulaw(24_000)));
    assertThat(mulaw24.encoding()).isEqualTo("linear16");
    assertThat(mulaw24.sampleRate()).isEqualTo(24_000);
    assertThat(mulaw24.output()).isEqualTo(AudioOutput.Kind.TO_MULAW);
    assertThat(ws(format(AudioFormat.alaw(48_000))).output()).isEqualTo(AudioOutput.Kind.TO_ALAW);
  }

  @Test
  void theWebSocketRefusesWhatItCannotStream() {
    for (AudioFormat f :
        new AudioFormat[] {
          AudioFormat.mp3(22_050),
          AudioFormat.opus(),
          AudioFormat.pcm(44_100),
          AudioFormat.pcm(11_025),
          new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 24_000, 2)
        }) {
      assertThatThrownBy(() -> ws(format(f)))
          .as(f.toString())
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("[deepgram]")
          .hasMessageContaining("websocket");
    }
    assertThatThrownBy(() -> ws(format(AudioFormat.mp3(22_050))))
        .hasMessageContaining("only over transport http");
  }

  @Test
  void restFormats() {
    DeepgramRequest pcm = http(format(AudioFormat.pcm(16_000)));
    assertThat(pcm.restPath())
        .isEqualTo(
            "/v1/speak?model=aura-2-thalia-en&encoding=linear16&sample_rate=16000&container=none");
    assertThat(http(format(AudioFormat.wav(24_000))).restPath())
        .isEqualTo(
            "/v1/speak?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000&container=none");
    assertThat(http(format(AudioFormat.mulaw(8_000))).restPath())
        .isEqualTo(
            "/v1/speak?model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000&container=none");
    assertThat(http(format(AudioFormat.mp3(22_050))).restPath())
        .isEqualTo("/v1/speak?model=aura-2-thalia-en&encoding=mp3");
    assertThat(http(format(AudioFormat.opus())).restPath())
        .isEqualTo("/v1/speak?model=aura-2-thalia-en&encoding=opus");
    assertThatThrownBy(() -> http(format(AudioFormat.mp3(44_100))))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("mp3 at 22050 Hz");
  }

  @Test
  void everyOptionOnTheWire() {
    SynthesisOptions o =
        SynthesisOptions.builder()
            .format(AudioFormat.mp3(22_050))
            .voice("aura-2-andromeda-en")
            .set(DeepgramOptions.SPEED, 1.25)
            .set(DeepgramOptions.MIP_OPT_OUT, true)
            .set(DeepgramOptions.BIT_RATE, 32_000)
            .set(DeepgramOptions.TAG, "my app")
            .build();
    assertThat(http(o).restPath())
        .isEqualTo(
            "/v1/speak?model=aura-2-andromeda-en&encoding=mp3&bit_rate=32000&speed=1.25"
                + "&mip_opt_out=true&tag=my%20app");
    SynthesisOptions w =
        SynthesisOptions.builder()
            .speed(1.0)
            .set(DeepgramOptions.MIP_OPT_OUT, false)
            .set(DeepgramOptions.TAG, "ignored")
            .build();
    DeepgramRequest r = ws(w);
    // booleans lower case: the server refuses mip_opt_out=False at the handshake
    assertThat(r.webSocketPath())
        .isEqualTo(
            "/v1/speak?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000&speed=1"
                + "&mip_opt_out=false");
    assertThat(r.warnings()).anyMatch(s -> s.contains("tag") && s.contains("REST only"));
  }

  @Test
  void voiceAndModelBothNameTheModel() {
    assertThat(ws(SynthesisOptions.builder().voice("aura-2-luna-en").build()).model())
        .isEqualTo("aura-2-luna-en");
    assertThat(ws(SynthesisOptions.builder().model("aura-asteria-en").build()).model())
        .isEqualTo("aura-asteria-en");
    assertThat(
            ws(SynthesisOptions.builder().voice("aura-2-luna-en").model("aura-2-luna-en").build())
                .model())
        .isEqualTo("aura-2-luna-en");
    assertThatThrownBy(
            () ->
                ws(
                    SynthesisOptions.builder()
                        .voice("aura-2-luna-en")
                        .model("aura-2-thalia-en")
                        .build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("differ");
    assertThatThrownBy(() -> ws(SynthesisOptions.builder().voice("aura&x=1").build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("letters, digits");
    assertThatThrownBy(() -> ws(SynthesisOptions.builder().voice("aura\r\nX: y").build()))
        .isInstanceOf(UnsupportedCapabilityException.class);
  }

  @Test
  void invalidValuesFailBeforeAnyIo() {
    assertThatThrownBy(() -> ws(SynthesisOptions.builder().speed(2.0).build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("0.7..1.5");
    assertThatThrownBy(() -> SynthesisOptions.builder().set(DeepgramOptions.SPEED, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SynthesisOptions.builder().set(DeepgramOptions.TAG, " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                http(
                    SynthesisOptions.builder()
                        .format(AudioFormat.mp3(22_050))
                        .set(DeepgramOptions.BIT_RATE, 64_000)
                        .build()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("32000 or 48000");
    assertThatThrownBy(
            () -> ws(SynthesisOptions.builder().set(DeepgramOptions.TRANSPORT, "sse").build()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ignoredOptionsAreWarnedNeverDropped() {
    SynthesisOption<String> foreign =
        SynthesisOption.of("fish", "latency", String.class, "Fish's latency");
    DeepgramRequest r =
        ws(
            SynthesisOptions.builder()
                .language("de")
                .set(foreign, "low")
                .set(DeepgramOptions.BIT_RATE, 48_000)
                .set(DeepgramOptions.HTTP_REQUEST_UNIT, "flush")
                .build());
    assertThat(r.warnings())
        .anyMatch(w -> w.contains("fish"))
        .anyMatch(w -> w.contains("language 'de'"))
        .anyMatch(w -> w.contains("bit-rate"))
        .anyMatch(w -> w.contains("http-request-unit"));
    DeepgramRequest aura1 =
        ws(SynthesisOptions.builder().model("aura-asteria-en").speed(1.2).build());
    assertThat(aura1.warnings()).anyMatch(w -> w.contains("Aura-2"));
  }

  @Test
  void theTransportOptionOverridesTheConfiguration() {
    assertThat(
            ws(SynthesisOptions.builder()
                    .format(AudioFormat.opus())
                    .set(DeepgramOptions.TRANSPORT, DeepgramOptions.HTTP)
                    .build())
                .transport())
        .isEqualTo("http");
    assertThat(
            http(SynthesisOptions.builder().set(DeepgramOptions.TRANSPORT, "websocket").build())
                .transport())
        .isEqualTo("websocket");
  }

  @Test
  void numbersOnTheWire() {
    assertThat(DeepgramRequest.number(1.0)).isEqualTo("1");
    assertThat(DeepgramRequest.number(0.75)).isEqualTo("0.75");
  }
}
