package dev.voicebridge.fish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.LimitExceededException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.Fault;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared limits ({@link Limits}) are listed, resolved and take effect against the emulator:
 * text between flushes, the size of one server message, undelivered audio.
 */
class FishLimitsTest {
  private static final String KEY = "test-key";
  private static final String TEXT = "Hello from Fish. This is the second sentence of the test.";

  private FishEmulator emulator;
  private StreamingSynthesizer synth;

  @AfterEach
  void stop() {
    if (synth != null) {
      synth.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private StreamingSynthesizer start(Map<String, String> extra) {
    emulator = FishEmulator.start(EmulatorConfig.builder().build());
    Map<String, String> values = new HashMap<>(extra);
    values.put("voicebridge.fish.api-key", KEY);
    values.put("voicebridge.fish.base-url", emulator.baseUrl().toString());
    values.put("voicebridge.fish.response-timeout", "5s");
    synth = new FishProvider().create(ProviderContext.of("fish", VoicebridgeConfig.of(values)));
    return synth;
  }

  private static SynthesisOptions options(String transport) {
    return SynthesisOptions.builder()
        .format(AudioFormat.pcm(24_000))
        .set(FishOptions.TRANSPORT, transport)
        .build();
  }

  private static Throwable failure(SynthesisSession s) {
    try {
      s.completion().toCompletableFuture().get(20, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theSharedLimitKeysAreListedOnceWithTheirDefaults() {
    Map<String, ConfigKey<?>> keys =
        new FishProvider().configKeys().stream().collect(Collectors.toMap(ConfigKey::name, k -> k));
    assertThat(new FishProvider().configKeys()).containsAll(Limits.keys());
    assertThat(keys.get("max-frame-bytes")).isSameAs(Limits.MAX_FRAME_BYTES);
    assertThat(keys.get("max-frame-bytes").defaultValue()).isEqualTo(16 << 20);
    assertThat(keys).containsKeys("max-buffered-audio-bytes", "max-text-chars");
  }

  @Test
  void limitValuesAreValidated() {
    Throwable t =
        catchThrowable(
            () ->
                new FishProvider()
                    .create(
                        ProviderContext.of(
                            "fish",
                            VoicebridgeConfig.of(
                                Map.of(
                                    "voicebridge.fish.api-key", KEY,
                                    "voicebridge.fish.max-text-chars", "0",
                                    "voicebridge.fish.max-frame-bytes", "12",
                                    "voicebridge.fish.max-buffered-audio-bytes", "-1")))));
    assertThat(t).isInstanceOf(ConfigurationException.class);
    assertThat(((ConfigurationException) t).problems()).hasSize(3);
    assertThat(t)
        .hasMessageContaining("voicebridge.fish.max-text-chars")
        .hasMessageContaining("voicebridge.fish.max-frame-bytes")
        .hasMessageContaining("voicebridge.fish.max-buffered-audio-bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {FishOptions.WEBSOCKET, FishOptions.HTTP})
  void moreTextBetweenFlushesThanMaxTextCharsEndsTheSession(String transport) {
    start(Map.of("voicebridge.fish.max-text-chars", "10"));
    // ten characters, a flush, ten more: within the limit
    SynthesisSession ok = synth.open(options(transport));
    SynthesisStream okStream = ok.stream();
    ok.sendText("Hello you.");
    ok.flush();
    ok.sendText("Bye, then.");
    ok.finish();
    assertThat(okStream.readAllAudio()).isNotEmpty();

    SynthesisSession s = synth.open(options(transport));
    s.sendText("Hello ");
    s.sendText("there.");
    Throwable t = failure(s);
    assertThat(t).isInstanceOf(LimitExceededException.class).hasMessageContaining("[fish]");
    assertThat(((LimitExceededException) t).key()).isEqualTo("max-text-chars");
    assertThat(((LimitExceededException) t).limit()).isEqualTo(10);
    assertThat(((LimitExceededException) t).isRetryable()).isFalse();
  }

  @Test
  void aServerMessageLargerThanMaxFrameBytesIsAProtocolErrorAfterThePrefix() {
    // 100 ms of 24 kHz PCM is a 4.8 kB message: within 8 KiB; the injected one is not
    start(Map.of("voicebridge.fish.max-frame-bytes", "8192"));
    emulator.control().inject(new Fault.OversizeFrame(2, 20_000));
    SynthesisSession s = synth.open(options(FishOptions.WEBSOCKET));
    SynthesisStream stream = s.stream();
    s.sendText(TEXT);
    s.finish();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Throwable t =
        catchThrowable(
            () -> {
              while (stream.hasNext()) {
                if (stream.next() instanceof AudioChunk c) {
                  byte[] b = new byte[c.size()];
                  c.data().get(b);
                  got.writeBytes(b);
                }
              }
            });
    assertThat(t)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("max-frame-bytes")
        .hasMessageContaining("8192");
    assertThat(got.size()).isEqualTo(2 * 4800);
    // the synthesizer still works (on a new connection: the bad one was dropped)
    SynthesisSession next = synth.open(options(FishOptions.WEBSOCKET));
    SynthesisStream nextStream = next.stream();
    next.sendText("Works again.");
    next.finish();
    assertThat(nextStream.readAllAudio()).isNotEmpty();
  }

  @Test
  void aTinyMaxFrameBytesRefusesEvenANormalAudioMessage() {
    start(Map.of("voicebridge.fish.max-frame-bytes", "1024"));
    SynthesisSession s = synth.open(options(FishOptions.WEBSOCKET));
    s.sendText(TEXT);
    s.finish();
    assertThat(failure(s))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("exceeds max-frame-bytes (1024)");
  }

  @ParameterizedTest
  @ValueSource(strings = {FishOptions.WEBSOCKET, FishOptions.HTTP})
  void maxBufferedAudioBytesIsTheConfiguredValue(String transport) throws Exception {
    // a subscriber that never requests: up to prefetchEvents (32) chunks of 4.8 kB wait, more
    // than a 64 KiB limit allows, far less than the 64 MiB default
    start(Map.of("voicebridge.fish.max-buffered-audio-bytes", "65536"));
    SynthesisSession s = synth.open(options(transport));
    CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
    s.events()
        .subscribe(
            new Flow.Subscriber<SynthesisEvent>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscribed.complete(subscription);
              }

              @Override
              public void onNext(SynthesisEvent item) {}

              @Override
              public void onError(Throwable throwable) {}

              @Override
              public void onComplete() {}
            });
    subscribed.get(5, TimeUnit.SECONDS);
    s.sendText(TEXT + " " + TEXT);
    s.finish();
    assertThat(failure(s))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("max-buffered-audio-bytes")
        .hasMessageContaining("65536");
  }
}
