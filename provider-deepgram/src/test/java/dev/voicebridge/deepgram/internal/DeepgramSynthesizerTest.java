package dev.voicebridge.deepgram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.conformance.ScriptedWebSocket;
import dev.voicebridge.deepgram.DeepgramOptions;
import dev.voicebridge.kit.ws.WebSocketConnection;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The synthesizer: the socket it opens (URL, header), capabilities, validation before I/O. */
class DeepgramSynthesizerTest {
  private final List<URI> uris = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private final List<ScriptedWebSocket> sockets = new CopyOnWriteArrayList<>();

  private final WebSocketConnection.Connector connector =
      (uri, h, timeout, listener) -> {
        uris.add(uri);
        headers.add(Map.copyOf(h));
        ScriptedWebSocket s = new ScriptedWebSocket();
        sockets.add(s);
        return s.open(listener);
      };

  private DeepgramSynthesizer synth(String transport) {
    return new DeepgramSynthesizer(TestSettings.of(transport), connector);
  }

  @Test
  void theSocketCarriesTheQueryAndTheKeyOnlyInTheHeader() throws Exception {
    try (DeepgramSynthesizer synth = synth("websocket")) {
      SynthesisSession s =
          synth.open(
              SynthesisOptions.builder()
                  .format(AudioFormat.mulaw(8_000))
                  .voice("aura-2-andromeda-en")
                  .set(DeepgramOptions.MIP_OPT_OUT, true)
                  .build());
      s.events().subscribe(new RecordingSubscriber());
      assertThat(uris)
          .containsExactly(
              URI.create(
                  "ws://127.0.0.1:9/v1/speak?model=aura-2-andromeda-en&encoding=mulaw"
                      + "&sample_rate=8000&mip_opt_out=true"));
      assertThat(headers.get(0)).containsEntry("Authorization", "Token " + TestSettings.KEY);
      assertThat(uris.get(0).toString()).doesNotContain(TestSettings.KEY);
      s.sendText("Hello.");
      s.finish();
      ScriptedWebSocket socket = sockets.get(0);
      socket.serverBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
      socket.serverText("{\"type\":\"Flushed\",\"sequence_id\":0}");
      SynthesisReport r = s.completion().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(r.bytesReceived()).isEqualTo(3);
      assertThat(socket.sentText())
          .containsExactly(DeepgramCodec.speak("Hello."), DeepgramCodec.FLUSH, DeepgramCodec.CLOSE);
      assertThat(r.toString()).doesNotContain(TestSettings.KEY);
      assertThat(synth.toString()).doesNotContain(TestSettings.KEY);
    }
  }

  @Test
  void eachSessionHasASocketOfItsOwn() throws Exception {
    try (DeepgramSynthesizer synth = synth("websocket")) {
      for (int i = 0; i < 2; i++) {
        SynthesisSession s = synth.open(SynthesisOptions.defaults());
        s.events().subscribe(new RecordingSubscriber());
        s.sendText("Hi.");
        s.finish();
        sockets.get(i).serverText("{\"type\":\"Flushed\",\"sequence_id\":0}");
        s.completion().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(sockets.get(i).sentCloses()).containsExactly(1000);
      }
      assertThat(sockets).hasSize(2);
    }
  }

  @Test
  void capabilitiesFollowTheDefaultTransport() {
    try (DeepgramSynthesizer ws = synth("websocket");
        DeepgramSynthesizer http = synth("http")) {
      assertThat(ws.capabilities().supports(AudioFormat.pcm(48_000))).isTrue();
      assertThat(ws.capabilities().supports(AudioFormat.mulaw(24_000))).isTrue();
      assertThat(ws.capabilities().supports(AudioFormat.mp3(22_050))).isFalse();
      assertThat(ws.capabilities().supports(AudioFormat.pcm(44_100))).isFalse();
      assertThat(ws.capabilities().transports()).containsExactly("websocket", "http");
      assertThat(http.capabilities().supports(AudioFormat.mp3(22_050))).isTrue();
      assertThat(http.capabilities().supports(AudioFormat.opus())).isTrue();
      assertThat(http.capabilities().transports()).containsExactly("http", "websocket");
      assertThat(ws.capabilities().defaultFormat()).isEqualTo(AudioFormat.pcm(24_000));
      assertThat(ws.capabilities().wordTimings()).isFalse();
      assertThat(ws.capabilities().streamingInput()).isTrue();
    }
  }

  @Test
  void whatCannotBeHonouredIsRefusedBeforeAnyConnection() {
    try (DeepgramSynthesizer synth = synth("websocket")) {
      assertThatThrownBy(
              () -> synth.open(SynthesisOptions.builder().format(AudioFormat.opus()).build()))
          .isInstanceOf(UnsupportedCapabilityException.class);
      assertThatThrownBy(() -> synth.open(SynthesisOptions.builder().speed(3.0).build()))
          .isInstanceOf(UnsupportedCapabilityException.class);
      assertThat(uris).isEmpty();
    }
  }

  @Test
  void closingTheSynthesizerCancelsItsSessions() throws Exception {
    DeepgramSynthesizer synth = synth("websocket");
    SynthesisSession s = synth.open(SynthesisOptions.defaults());
    s.sendText("Hi.");
    synth.close();
    assertThatThrownBy(() -> s.completion().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SynthesisCancelledException.class);
    assertThat(sockets.get(0).sentText()).endsWith(DeepgramCodec.CLEAR);
    assertThatThrownBy(() -> synth.open(SynthesisOptions.defaults()))
        .isInstanceOf(IllegalStateException.class);
  }
}
