package dev.voicebridge.cartesia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.cartesia.CartesiaEmulator;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions against the Cartesia emulator (written independently from the same protocol note): what
 * the server records of the adapter's messages, the note's switches (cancel semantics, versions,
 * the idle close, the concurrency limit) and per-sentence HTTP requests.
 */
class CartesiaEmulatorTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String KEY = "sk-emulator-cartesia-test";

  private CartesiaEmulator emulator;
  private StreamingSynthesizer synth;

  @AfterEach
  void close() {
    if (synth != null) {
      synth.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private void start(CartesiaEmulator.Options.Builder options, Map<String, String> config) {
    emulator =
        CartesiaEmulator.start(EmulatorConfig.builder().apiKey(KEY).build(), options.build());
    Map<String, String> c = new HashMap<>();
    c.put("voicebridge.cartesia.api-key", KEY);
    c.put("voicebridge.cartesia.base-url", emulator.baseUrl().toString());
    c.put("voicebridge.cartesia.response-timeout", "3s");
    c.putAll(config);
    synth = new CartesiaProvider().create(ProviderContext.of("cartesia", VoicebridgeConfig.of(c)));
  }

  private static CartesiaEmulator.Options.Builder emulator() {
    return CartesiaEmulator.Options.builder().concurrencyLimit(64);
  }

  private static SynthesisOptions.Builder pcm() {
    return SynthesisOptions.builder().format(AudioFormat.pcm(24_000));
  }

  /** Runs a session: null pieces are flushes. */
  private RecordingSubscriber run(SynthesisOptions options, String... pieces)
      throws InterruptedException {
    SynthesisSession s = synth.open(options);
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    for (String p : pieces) {
      if (p == null) {
        s.flush();
      } else {
        s.sendText(p);
      }
    }
    s.finish();
    assertThat(rec.awaitTerminal(WAIT)).as("terminal signal").isTrue();
    return rec;
  }

  private List<Map<String, String>> notes() {
    return emulator.control().sessionNotes();
  }

  private static void assertMonotonic(List<WordTiming> timings) {
    for (int i = 1; i < timings.size(); i++) {
      assertThat(timings.get(i).start()).isGreaterThanOrEqualTo(timings.get(i - 1).end());
    }
  }

  @Test
  void aWebSocketSessionIsOneContextTheServerTakesAsTheAdapterMeantIt() throws Exception {
    start(emulator(), Map.of());
    RecordingSubscriber rec = run(pcm().build(), "Hello ", "there, ", null, "second ", "turn.");

    assertThat(rec.error()).isNull();
    ServerRecord r = emulator.control().lastSession();
    assertThat(r.text()).isEqualTo("Hello there, second turn.");
    assertThat(r.flushes()).isEqualTo(1);
    assertThat(r.finished()).isTrue();
    assertThat(r.completed()).isTrue();
    assertThat(r.audioSha256()).isEqualTo(rec.audioSha256());
    Map<String, String> n = notes().get(0);
    assertThat(n)
        .containsEntry("endpoint", "websocket")
        .containsEntry("version", CartesiaProvider.DEFAULT_VERSION)
        .containsEntry("version-given", "true")
        .containsEntry("auth", "authorization")
        .containsEntry("model", CartesiaProvider.DEFAULT_MODEL)
        .containsEntry("voice", CartesiaProvider.DEFAULT_VOICE)
        // every message of the context carried the same configuration
        .doesNotContainKey("config-changed");
    List<WordTiming> t = rec.timings();
    assertThat(t)
        .extracting(WordTiming::word)
        .containsExactly("Hello", "there,", "second", "turn.");
    assertMonotonic(t);
    // the second turn (after the flush) lies after the first on the session's timeline
    assertThat(t.get(2).start()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(CartesiaEmulator.CancelMode.class)
  void aCancelledContextLeavesItsNeighbourOnTheSocketWhole(CartesiaEmulator.CancelMode mode)
      throws Exception {
    start(emulator().cancelMode(mode), Map.of());
    String text = "A context that will be cancelled once its first audio has arrived here.";
    SynthesisSession a = synth.open(pcm().build());
    RecordingSubscriber ra = new RecordingSubscriber();
    a.events().subscribe(ra);
    SynthesisSession b = synth.open(pcm().build());
    RecordingSubscriber rb = new RecordingSubscriber();
    b.events().subscribe(rb);
    a.sendText(text);
    b.sendText("The neighbour on the same socket. It goes on to the end.");
    assertThat(ra.awaitFirstAudio(WAIT)).isTrue();
    a.cancel();
    ra.fence();
    b.finish();

    assertThat(rb.awaitTerminal(WAIT)).isTrue();
    assertThat(ra.awaitTerminal(WAIT)).isTrue();
    assertThat(ra.error()).isInstanceOf(SynthesisCancelledException.class);
    assertThat(ra.eventsAfterFence()).as("events after cancel()").isZero();
    assertThat(rb.error()).as("the neighbour").isNull();
    ServerRecord rbServer =
        emulator.control().sessions().stream()
            .filter(r -> r.text().startsWith("The neighbour"))
            .findFirst()
            .orElseThrow();
    assertThat(rbServer.audioSha256()).isEqualTo(rb.audioSha256());
    assertThat(emulator.control().connectionsAccepted()).as("one socket").isEqualTo(1);
    await()
        .atMost(WAIT)
        .until(() -> notes().stream().anyMatch(n -> "true".equals(n.get("cancelled"))));

    // whatever the server still sends for the cancelled context, the socket keeps working
    RecordingSubscriber next = run(pcm().build(), "And one more.");
    assertThat(next.error()).isNull();
    assertThat(next.hasAudio()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Version.class,
      names = {"V2024_06_10", "V2024_11_13", "V2025_04_16", "V2025_11_04", "V2026_03_01"})
  void olderVersionsSendTheirVoiceShapeAndTheirErrorsAreRead(Version v) throws Exception {
    for (String transport : List.of(CartesiaOptions.WEBSOCKET, CartesiaOptions.SSE)) {
      start(emulator(), Map.of("voicebridge.cartesia.version", v.date()));
      SynthesisOptions o = pcm().set(CartesiaOptions.TRANSPORT, transport).build();
      RecordingSubscriber ok = run(o, "Hello from an older version.");
      assertThat(ok.error()).as("%s %s", v, transport).isNull();
      assertThat(notes().get(0)).containsEntry("version", v.date());

      emulator.control().inject(new Fault.ErrorFrame(0, Fault.ErrorKind.AUTHENTICATION));
      RecordingSubscriber failed = run(o, "This one meets an error.");
      assertThat(failed.error())
          .as("%s %s", v, transport)
          .isInstanceOf(AuthenticationException.class);
      assertThat(failed.error().getMessage()).contains(Fault.MESSAGE).doesNotContain(KEY);
      close();
    }
  }

  /** The versions before the default. */
  enum Version {
    V2024_06_10,
    V2024_11_13,
    V2025_04_16,
    V2025_11_04,
    V2026_03_01;

    String date() {
      return name().substring(1).replace('_', '-');
    }
  }

  @Test
  void afterTheServersIdleCloseTheNextSessionOpensAFreshSocket() throws Exception {
    start(emulator().idleTimeout(Duration.ofMillis(300)), Map.of());
    assertThat(run(pcm().build(), "Before the idle close.").error()).isNull();
    await().atMost(WAIT).until(() -> emulator.control().openConnections() == 0);

    RecordingSubscriber rec = run(pcm().build(), "After the idle close.");
    assertThat(rec.error()).isNull();
    assertThat(rec.hasAudio()).isTrue();
    assertThat(emulator.control().connectionsAccepted()).isEqualTo(2);
  }

  @Test
  void overTheConcurrencyLimitAContextFailsRetryablyAndTheOtherGoesOn() throws Exception {
    start(CartesiaEmulator.Options.builder().concurrencyLimit(1), Map.of());
    SynthesisSession a = synth.open(pcm().build());
    RecordingSubscriber ra = new RecordingSubscriber();
    a.events().subscribe(ra);
    a.sendText("The first context holds the only slot. ");
    assertThat(ra.awaitFirstAudio(WAIT)).isTrue();

    RecordingSubscriber rb = run(pcm().build(), "The second one is over the limit.");
    assertThat(rb.error()).isInstanceOf(RateLimitedException.class);
    assertThat(((VoicebridgeException) rb.error()).isRetryable()).isTrue();

    a.sendText("It still finishes.");
    a.finish();
    assertThat(ra.awaitTerminal(WAIT)).isTrue();
    assertThat(ra.error()).isNull();
    assertThat(emulator.control().sessions().get(0).text())
        .isEqualTo("The first context holds the only slot. It still finishes.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sse", "bytes"})
  void overHttpEachSentenceIsARequest(String transport) throws Exception {
    start(emulator(), Map.of());
    SynthesisOptions o = pcm().set(CartesiaOptions.TRANSPORT, transport).build();
    RecordingSubscriber rec =
        run(o, "The first sentence is here. ", "The second ", "sentence is there.");

    assertThat(rec.error()).isNull();
    // two requests in flight: the server may take the second first; the audio keeps the order
    List<ServerRecord> records = emulator.control().sessions();
    assertThat(records)
        .extracting(r -> r.text().strip())
        .containsExactlyInAnyOrder("The first sentence is here.", "The second sentence is there.");
    ServerRecord first =
        records.stream().filter(r -> r.text().startsWith("The first")).findFirst().orElseThrow();
    ServerRecord second = records.get(records.indexOf(first) == 0 ? 1 : 0);
    byte[] audio = rec.audio();
    assertThat(audio.length).isEqualTo(first.audioBytesSent() + second.audioBytesSent());
    int split = (int) first.audioBytesSent();
    assertThat(RecordingSubscriber.sha256(Arrays.copyOfRange(audio, 0, split)))
        .isEqualTo(first.audioSha256());
    assertThat(RecordingSubscriber.sha256(Arrays.copyOfRange(audio, split, audio.length)))
        .isEqualTo(second.audioSha256());
    assertThat(notes()).allSatisfy(n -> assertThat(n).containsEntry("endpoint", transport));
    if (transport.equals("sse")) {
      List<WordTiming> t = rec.timings();
      assertThat(t).extracting(WordTiming::word).contains("here.", "there.");
      assertMonotonic(t);
    }
  }
}
