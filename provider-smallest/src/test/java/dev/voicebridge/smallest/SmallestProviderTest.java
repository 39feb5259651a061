package dev.voicebridge.smallest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.smallest.internal.SmallestSynthesizer;
import dev.voicebridge.spi.ProviderContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmallestProviderTest {
  private static final String SECRET = "sk_super_secret_value_123";

  private static StreamingSynthesizer create(Map<String, String> props, Map<String, String> env) {
    VoicebridgeConfig config =
        VoicebridgeConfig.of(props).withFallback(VoicebridgeConfig.fromEnvironment(env));
    return new SmallestProvider().create(ProviderContext.of("smallest", config));
  }

  private static StreamingSynthesizer create(Map<String, String> props) {
    return create(props, Map.of());
  }

  @Nested
  class Configuration {
    @Test
    void nameAndKeys() {
      SmallestProvider p = new SmallestProvider();
      assertThat(p.name()).isEqualTo("smallest");
      assertThat(p.configKeys())
          .extracting(k -> k.name())
          .containsExactly(
              "api-key",
              "base-url",
              "model",
              "voice",
              "transport",
              "response-timeout",
              "connect-timeout",
              "keep-alive",
              "voices-cache-ttl",
              "allow-insecure",
              "max-frame-bytes",
              "max-buffered-audio-bytes",
              "max-text-chars",
              "max-audio-per-char",
              "max-audio-floor");
      assertThat(SmallestProvider.API_KEY.isSecret()).isTrue();
      assertThat(SmallestProvider.API_KEY.environmentFallbacks())
          .containsExactly("SMALLEST_API_KEY");
    }

    @Test
    void foundByServiceLoader() {
      assertThat(StreamingSynthesizers.providers()).containsKey("smallest");
      assertThat(StreamingSynthesizers.providers().get("smallest"))
          .isInstanceOf(SmallestProvider.class);
    }

    @Test
    void defaults() {
      try (StreamingSynthesizer s = create(Map.of("voicebridge.smallest.api-key", SECRET))) {
        var settings = ((SmallestSynthesizer) s).settings();
        assertThat(settings.baseUrl()).hasToString("https://api.smallest.ai");
        assertThat(settings.webSocketUri()).hasToString("wss://api.smallest.ai/waves/v1/tts/live");
        assertThat(settings.sseUri()).hasToString("https://api.smallest.ai/waves/v1/tts/live");
        assertThat(settings.model()).isEqualTo("lightning_v3.1");
        assertThat(settings.voice()).isEqualTo("meher");
        assertThat(settings.transport()).isEqualTo("websocket");
        assertThat(settings.responseTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.toString()).doesNotContain(SECRET);
        assertThat(s.toString()).doesNotContain(SECRET);
      }
    }

    @Test
    void vendorEnvironmentVariableIsAFallback() {
      try (StreamingSynthesizer s = create(Map.of(), Map.of("SMALLEST_API_KEY", SECRET))) {
        assertThat(((SmallestSynthesizer) s).settings().apiKey().reveal()).isEqualTo(SECRET);
      }
    }

    @Test
    void missingKeyNamesBothSpellings() {
      assertThatThrownBy(() -> create(Map.of()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("voicebridge.smallest.api-key is required")
          .hasMessageContaining("SMALLEST_API_KEY");
    }

    @Test
    void everyProblemAtOnceAndNoSecretInTheMessage() {
      Map<String, String> props = new HashMap<>();
      props.put("voicebridge.smallest.api-key", SECRET);
      props.put("voicebridge.smallest.base-url", "ftp://example.com");
      props.put("voicebridge.smallest.model", "lightning-v2");
      props.put("voicebridge.smallest.transport", "grpc");
      props.put("voicebridge.smallest.response-timeout", "soon");
      props.put("voicebridge.smallest.keep-alive", "-5s");
      props.put("voicebridge.smallest.colour", "blue");
      assertThatThrownBy(() -> create(props))
          .isInstanceOfSatisfying(
              ConfigurationException.class,
              e -> {
                assertThat(e.problems()).hasSize(6);
                assertThat(e.getMessage())
                    .contains("base-url", "model", "transport", "response-timeout", "keep-alive")
                    .contains("colour")
                    .doesNotContain(SECRET);
              });
    }

    @Test
    void plainHttpIsRefusedForRemoteHostsUnlessAllowed() {
      assertThatThrownBy(
              () ->
                  create(
                      Map.of(
                          "voicebridge.smallest.api-key",
                          SECRET,
                          "voicebridge.smallest.base-url",
                          "http://api.example.com")))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("allow-insecure")
          .hasMessageNotContaining(SECRET);
      try (StreamingSynthesizer s =
          create(
              Map.of(
                  "voicebridge.smallest.api-key", SECRET,
                  "voicebridge.smallest.base-url", "http://api.example.com/",
                  "voicebridge.smallest.allow-insecure", "true"))) {
        assertThat(((SmallestSynthesizer) s).settings().webSocketUri())
            .hasToString("ws://api.example.com/waves/v1/tts/live");
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"})
    void plainHttpToLoopbackIsFine(String url) {
      try (StreamingSynthesizer s =
          create(
              Map.of(
                  "voicebridge.smallest.api-key", SECRET, "voicebridge.smallest.base-url", url))) {
        assertThat(((SmallestSynthesizer) s).settings().webSocketUri().getScheme()).isEqualTo("ws");
      }
    }
  }

  @Nested
  class Capabilities {
    @Test
    void declared() {
      try (StreamingSynthesizer s = create(Map.of("voicebridge.smallest.api-key", SECRET))) {
        var c = s.capabilities();
        assertThat(c.streamingInput()).isTrue();
        assertThat(c.wordTimings()).isTrue();
        assertThat(c.multiplexing()).isFalse();
        assertThat(c.network()).isTrue();
        assertThat(c.defaultFormat()).isEqualTo(AudioFormat.pcm(24000));
        assertThat(c.transports()).containsExactly("websocket", "sse");
        for (int rate : new int[] {8000, 16000, 24000, 44100}) {
          assertThat(c.supports(AudioFormat.pcm(rate))).isTrue();
          assertThat(c.supports(AudioFormat.wav(rate))).isTrue();
          assertThat(c.supports(AudioFormat.mulaw(rate))).isTrue();
        }
        assertThat(c.supports(AudioFormat.pcm(22050))).isFalse();
        assertThat(c.supports(AudioFormat.mp3(44100))).isFalse();
        assertThat(c.supports(AudioFormat.opus())).isFalse();
        assertThat(c.supports(new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 24000, 2))).isFalse();
      }
    }

    @Test
    void sseByDefaultHasNoWordTimings() {
      try (StreamingSynthesizer s =
          create(
              Map.of(
                  "voicebridge.smallest.api-key",
                  SECRET,
                  "voicebridge.smallest.transport",
                  "sse"))) {
        assertThat(s.capabilities().wordTimings()).isFalse();
        assertThat(s.capabilities().transports()).containsExactly("sse", "websocket");
      }
    }
  }

  /** A server socket that counts connections: proves refusals happen before any I/O. */
  @Nested
  class RefusedBeforeAnyIo {
    @ParameterizedTest
    @ValueSource(strings = {"pcm_22050", "pcm_48000", "mp3_44100", "opus", "wav_11025"})
    void unsupportedFormats(String format) throws Exception {
      assertRefused(SynthesisOptions.builder().format(AudioFormat.parse(format)).build(), format);
    }

    @Test
    void speedOutOfRange() throws Exception {
      assertRefused(SynthesisOptions.builder().speed(2.5).build(), "speed");
      assertRefused(SynthesisOptions.builder().speed(0.25).build(), "speed");
    }

    @Test
    void unknownLanguage() throws Exception {
      assertRefused(SynthesisOptions.builder().language("xx").build(), "language");
    }

    @Test
    void retiredModel() throws Exception {
      assertRefused(SynthesisOptions.builder().model("lightning-v2").build(), "lightning-v2");
    }

    @Test
    void blankVoice() throws Exception {
      assertRefused(SynthesisOptions.builder().voice(" ").build(), "voice");
    }

    private void assertRefused(SynthesisOptions options, String mention) throws Exception {
      AtomicInteger accepted = new AtomicInteger();
      try (ServerSocket server =
          new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
        Thread acceptor =
            new Thread(
                () -> {
                  try (Socket ignored = server.accept()) {
                    accepted.incrementAndGet();
                  } catch (IOException closed) {
                    // the server socket was closed
                  }
                },
                "smallest-test-acceptor");
        acceptor.start();
        try (StreamingSynthesizer s =
            create(
                Map.of(
                    "voicebridge.smallest.api-key",
                    SECRET,
                    "voicebridge.smallest.base-url",
                    "http://127.0.0.1:" + server.getLocalPort()))) {
          assertThatThrownBy(() -> s.open(options))
              .isInstanceOf(UnsupportedCapabilityException.class)
              .hasMessageContaining(mention);
        }
        server.close();
        acceptor.join(5000);
        assertThat(acceptor.isAlive()).isFalse();
      }
      assertThat(accepted).hasValue(0);
    }
  }

  @Nested
  class Options {
    @Test
    void rangesAreCheckedWhenSet() {
      var b = SynthesisOptions.builder();
      assertThatThrownBy(() -> b.set(SmallestOptions.MAX_BUFFER_FLUSH_MS, 1001))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("smallest.max-buffer-flush-ms");
      assertThatThrownBy(() -> b.set(SmallestOptions.COMPLETE_BACKOFF_MS, -1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.set(SmallestOptions.TRANSPORT, "http"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.set(SmallestOptions.REQUEST_ID, "has space"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must match");
      assertThatThrownBy(() -> b.set(SmallestOptions.SESSION_ID, "x".repeat(129)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("128");
      assertThatThrownBy(() -> b.set(SmallestOptions.SESSION_ID, ""))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.set(SmallestOptions.PRONUNCIATION_DICTS, List.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.set(SmallestOptions.PRONUNCIATION_DICTS, List.of(" ")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.set(SmallestOptions.NUMBER_PRONUNCIATION_LANGUAGE, "xx"))
          .isInstanceOf(IllegalArgumentException.class);
      b.set(SmallestOptions.REQUEST_ID, "req_1-a.b")
          .set(SmallestOptions.SESSION_ID, "x".repeat(128))
          .set(SmallestOptions.MAX_BUFFER_FLUSH_MS, 0)
          .set(SmallestOptions.MAX_BUFFER_FLUSH_MS, 1000)
          .set(SmallestOptions.COMPLETE_BACKOFF_MS, 10_000)
          .set(SmallestOptions.PRONUNCIATION_DICTS, List.of("d1"));
      assertThat(b.build().vendorOptions()).hasSize(5);
    }

    @Test
    void everyOptionBelongsToSmallest() {
      for (SynthesisOption<?> o : SmallestOptions.ALL) {
        assertThat(o.provider()).isEqualTo("smallest");
        assertThat(o.description()).isNotBlank();
      }
    }
  }
}
