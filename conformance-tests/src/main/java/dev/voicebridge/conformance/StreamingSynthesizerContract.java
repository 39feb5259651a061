package dev.voicebridge.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InputEvent;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TransportException;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every provider passes. A provider's test extends this class (naming it {@code
 * XConformanceTest}) and implements {@link #createFixture()}; the nested groups hold the rules,
 * each with a rule id in its display name (listed in docs/conformance.md). Rules that need an
 * optional capability or a server fault the fixture cannot inject are skipped (JUnit assumptions),
 * never passed.
 */
public abstract class StreamingSynthesizerContract {

  /** Text the rules synthesize: two sentences, long enough to span several chunks. */
  protected static final String TEXT =
      "Hello from the conformance suite. This second sentence makes the audio a little longer.";

  private ConformanceFixture fixture;
  private Set<Thread> threadsBefore;

  /** A fresh fixture for one test. */
  protected abstract ConformanceFixture createFixture() throws Exception;

  @BeforeEach
  void openFixture() throws Exception {
    threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
    fixture = createFixture();
  }

  @AfterEach
  void closeFixture() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** The current fixture. */
  protected final ConformanceFixture fixture() {
    return fixture;
  }

  private StreamingSynthesizer synth() {
    return fixture.synthesizer();
  }

  private SynthesisOptions options() {
    return fixture.options();
  }

  private Duration timeout() {
    return fixture.timeout();
  }

  private ServerControl control() {
    assumeTrue(fixture.control().isPresent(), "the fixture has no server control");
    return fixture.control().get();
  }

  private ServerControl controlWith(Class<? extends Fault> kind) {
    ServerControl c = control();
    assumeTrue(
        c.supportedFaults().contains(kind), "the server cannot inject " + kind.getSimpleName());
    return c;
  }

  private RecordingSubscriber run(String text) throws InterruptedException {
    SynthesisSession s = synth().open(options());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText(text);
    s.finish();
    assertThat(rec.awaitTerminal(timeout())).as("terminal signal within the timeout").isTrue();
    return rec;
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  private ServerRecord recordFor(ServerControl c, String text) {
    String want = squash(text);
    List<ServerRecord> all = c.sessions();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (squash(all.get(i).text()).equals(want)) {
        return all.get(i);
      }
    }
    return fail(
        "the server has no session whose text is '"
            + want
            + "'; it has "
            + all.stream().map(r -> "'" + squash(r.text()) + "'").collect(Collectors.toList()));
  }

  private static void await(Duration timeout, BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      TimeUnit.MILLISECONDS.sleep(
          10); // polling an external condition, not timing the code under test
    }
  }

  private void assertSucceeded(RecordingSubscriber rec) {
    if (rec.error() != null) {
      throw new AssertionError("the session failed: " + rec.error(), rec.error());
    }
    assertThat(rec.completed()).isTrue();
    assertThat(rec.terminalSignals()).isEqualTo(1);
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("D: discovery and configuration")
  class Discovery {

    @Test
    @DisplayName("[D1] the provider is discoverable by its name through ServiceLoader")
    void discoverable() {
      assertThat(StreamingSynthesizers.providers()).containsKey(synth().provider());
    }

    @Test
    @DisplayName("[D2] capabilities declare a supported default format and the fixture's format")
    void capabilities() {
      assertThat(synth().capabilities().supports(synth().capabilities().defaultFormat())).isTrue();
      AudioFormat f = options().format().orElse(synth().capabilities().defaultFormat());
      assertThat(synth().capabilities().supports(f)).isTrue();
      assertThat(f.isUncompressed()).as("the fixture's format must be uncompressed").isTrue();
    }

    @Test
    @DisplayName("[D3] the configuration keys are self-describing")
    void configKeys() {
      var p = StreamingSynthesizers.providers().get(synth().provider());
      assumeTrue(p != null);
      assertThat(p.configKeys()).isNotEmpty();
      p.configKeys()
          .forEach(
              k -> {
                assertThat(k.name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
                assertThat(k.description()).isNotBlank();
              });
    }
  }

  @Nested
  @DisplayName("O: one-shot synthesis")
  class OneShot {

    @Test
    @DisplayName("[O1] a whole text gives audio and exactly one completion")
    void wholeText() throws Exception {
      RecordingSubscriber rec = run(TEXT);
      assertSucceeded(rec);
      assertThat(rec.audio()).isNotEmpty();
    }

    @Test
    @DisplayName("[O2] synthesize() returns a stream whose audio can be read to the end")
    void pullStream() {
      try (SynthesisStream stream = synth().synthesize(TEXT, options())) {
        byte[] audio = stream.readAllAudio();
        SynthesisReport r = stream.report();
        assertThat(audio).isNotEmpty();
        assertThat(r.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
        assertThat(r.bytesReceived()).isEqualTo(audio.length);
      }
    }

    @Test
    @DisplayName("[O3] the InputStream view gives the same bytes as the events")
    void inputStream() throws IOException {
      try (SynthesisStream stream = synth().synthesize(TEXT, options())) {
        InputStream in = stream.audio();
        byte[] audio = in.readAllBytes();
        assertThat(audio).isNotEmpty();
        assertThat(stream.report().bytesReceived()).isEqualTo(audio.length);
      }
    }

    @Test
    @DisplayName("[O4] an unsupported format is refused before any network I/O")
    void unsupportedFormat() {
      List<AudioFormat> candidates =
          List.of(
              AudioFormat.pcm(11_025),
              AudioFormat.mulaw(44_100),
              AudioFormat.wav(96_000),
              new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 24_000, 2),
              AudioFormat.mp3(8_000),
              AudioFormat.opus());
      AudioFormat unsupported =
          candidates.stream()
              .filter(f -> !synth().capabilities().supports(f))
              .findFirst()
              .orElse(null);
      assumeTrue(unsupported != null, "the provider supports every candidate format");
      int connections = fixture.control().map(ServerControl::connectionsAccepted).orElse(0);
      assertThatThrownBy(
              () -> synth().open(options().toBuilder().format(unsupported).build()).close())
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining(synth().provider());
      fixture.control().ifPresent(c -> assertThat(c.connectionsAccepted()).isEqualTo(connections));
    }

    @Test
    @DisplayName("[O5] audio is in the requested format: whole samples, duration as reported")
    void format() throws Exception {
      RecordingSubscriber rec = run(TEXT);
      assertSucceeded(rec);
      AudioFormat f = options().format().orElse(synth().capabilities().defaultFormat());
      for (AudioChunk c : rec.chunks()) {
        assertThat(c.format()).isEqualTo(f);
      }
      if (f.encoding() == AudioFormat.Encoding.PCM_S16LE) {
        assertThat(rec.audio().length % (2 * f.channels())).as("whole 16-bit samples").isZero();
      }
    }
  }

  @Nested
  @DisplayName("S: streaming input")
  class StreamingInput {

    @Test
    @DisplayName("[S1] text given in pieces reaches the server whole and in order")
    void textInOrder() throws Exception {
      ServerControl c = control();
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      for (String token : TEXT.split("(?<= )")) {
        s.sendText(token);
      }
      s.finish();
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertSucceeded(rec);
      assertThat(squash(recordFor(c, TEXT).text())).isEqualTo(squash(TEXT));
    }

    @Test
    @DisplayName("[S2] a flush gives audio before finish() is called")
    void flushGivesAudio() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText("Hello there, this is the first turn. ");
      s.flush();
      assertThat(rec.awaitFirstAudio(timeout())).as("audio after flush, before finish").isTrue();
      s.sendText("And this is the second turn.");
      s.finish();
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertSucceeded(rec);
      assertThat(s.report().firstAudioAfterFlush()).hasSize(1);
    }

    @Test
    @DisplayName("[S3] LLM tokens from an iterable give audio and one completion")
    void tokens() {
      List<InputEvent> events = new ArrayList<>();
      for (String t : TEXT.split("(?<=[ ,.])")) {
        events.add(InputEvent.text(t));
      }
      events.add(InputEvent.flush());
      try (SynthesisStream stream = synth().stream(events, options())) {
        assertThat(stream.readAllAudio()).isNotEmpty();
        assertThat(stream.report().charactersSent()).isEqualTo(TEXT.length());
      }
    }

    @Test
    @DisplayName("[S4] finish() without any text completes with no audio")
    void emptySession() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.finish();
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertSucceeded(rec);
      assertThat(rec.audio()).isEmpty();
    }

    @Test
    @DisplayName("[S5] sessions in a row on one synthesizer each complete")
    void sequential() throws Exception {
      for (int i = 0; i < 3; i++) {
        RecordingSubscriber rec = run("Session number " + i + " says hello.");
        assertSucceeded(rec);
        assertThat(rec.audio()).isNotEmpty();
      }
    }

    @Test
    @DisplayName("[S6] input after finish() is refused")
    void inputAfterFinish() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText("Short.");
      s.finish();
      assertThatThrownBy(() -> s.sendText("more")).isInstanceOf(IllegalStateException.class);
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertSucceeded(rec);
    }
  }

  @Nested
  @DisplayName("OUT: output")
  class Output {

    @Test
    @DisplayName("[OUT1] chunks arrive in order with contiguous offsets")
    void order() throws Exception {
      RecordingSubscriber rec = run(TEXT);
      assertSucceeded(rec);
      long offset = 0;
      long seq = 0;
      for (AudioChunk c : rec.chunks()) {
        assertThat(c.sequence()).isEqualTo(seq++);
        assertThat(c.byteOffset()).isEqualTo(offset);
        offset += c.size();
      }
    }

    @Test
    @DisplayName("[OUT2] every byte the server sent arrives intact (SHA-256)")
    void integrity() throws Exception {
      ServerControl c = control();
      RecordingSubscriber rec = run(TEXT);
      assertSucceeded(rec);
      ServerRecord r = recordFor(c, TEXT);
      assertThat(r.audioBytesSent()).isEqualTo(rec.audio().length);
      assertThat(rec.audioSha256()).isEqualTo(r.audioSha256());
    }

    @Test
    @DisplayName("[OUT3] a consumer that requests one event at a time still gets every byte")
    void backPressure() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber(1);
      s.events().subscribe(rec);
      s.sendText(TEXT);
      s.finish();
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertSucceeded(rec);
      assertThat(rec.audio().length).isEqualTo(s.report().bytesReceived());
    }

    @Test
    @DisplayName("[OUT4] nothing is delivered without demand")
    void noDemandNoEvents() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber(0);
      s.events().subscribe(rec);
      s.sendText(TEXT);
      s.finish();
      await(timeout(), () -> s.report().bytesReceived() > 0, "audio reaches the library");
      assertThat(rec.events()).isEmpty();
      rec.request(Long.MAX_VALUE);
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertSucceeded(rec);
      assertThat(rec.audio()).isNotEmpty();
    }

    @Test
    @DisplayName("[OUT5] a second subscriber is refused with an error")
    void oneSubscriber() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber first = new RecordingSubscriber();
      RecordingSubscriber second = new RecordingSubscriber();
      s.events().subscribe(first);
      s.events().subscribe(second);
      assertThat(second.error()).isInstanceOf(IllegalStateException.class);
      s.sendText("One subscriber only.");
      s.finish();
      assertThat(first.awaitTerminal(timeout())).isTrue();
      assertSucceeded(first);
    }
  }

  @Nested
  @DisplayName("C: cancellation")
  class Cancellation {

    @Test
    @DisplayName("[C1] no audio is delivered after cancel() returns; one terminal signal")
    void noAudioAfterCancel() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText(TEXT + " " + TEXT);
      s.flush();
      assertThat(rec.awaitFirstAudio(timeout())).isTrue();
      s.cancel();
      rec.fence();
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertThat(rec.error()).isInstanceOf(SynthesisCancelledException.class);
      assertThat(rec.terminalSignals()).isEqualTo(1);
      assertThat(rec.eventsAfterFence()).isZero();
      assertThat(s.report().outcome()).isEqualTo(SynthesisReport.Outcome.CANCELLED);
    }

    @Test
    @DisplayName("[C2] cancel before any audio ends the session with one terminal signal")
    void cancelEarly() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText(TEXT);
      s.cancel();
      s.cancel();
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertThat(rec.error()).isInstanceOf(SynthesisCancelledException.class);
      assertThat(rec.terminalSignals()).isEqualTo(1);
      assertThatThrownBy(() -> s.completion().toCompletableFuture().join())
          .hasCauseInstanceOf(SynthesisCancelledException.class);
    }

    @Test
    @DisplayName("[C3] after a cancel the synthesizer still works")
    void worksAfterCancel() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText(TEXT);
      s.flush();
      rec.awaitFirstAudio(timeout());
      s.cancel();
      RecordingSubscriber next = run("After the cancel.");
      assertSucceeded(next);
      assertThat(next.audio()).isNotEmpty();
    }

    @Test
    @DisplayName("[C4] a cancelled session leaves no connection open on the server")
    void serverSideClosed() throws Exception {
      ServerControl c = control();
      assumeTrue(
          !synth().capabilities().multiplexing(),
          "multiplexed sessions close a context, not a connection");
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText(TEXT + " " + TEXT);
      s.flush();
      assertThat(rec.awaitFirstAudio(timeout())).isTrue();
      s.cancel();
      await(timeout(), () -> c.openConnections() == 0, "the server sees no open connection");
    }

    @Test
    @DisplayName("[C5] closing the synthesizer leaves none of its threads behind")
    void noLeakedThreads() throws Exception {
      assertSucceeded(run(TEXT));
      synth().close();
      await(
          timeout(),
          () -> {
            System.gc();
            return leakedThreads().isEmpty();
          },
          "the synthesizer's threads end (left: " + leakedThreads() + ")");
    }
  }

  private List<String> leakedThreads() {
    List<String> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String n = t.getName();
      if (t.isAlive()
          && !threadsBefore.contains(t)
          && (n.startsWith("voicebridge-") || n.startsWith("HttpClient-"))
          && !n.contains("emulator")
          && !n.startsWith("voicebridge-timer")) {
        out.add(n);
      }
    }
    return out;
  }

  @Nested
  @DisplayName("E: errors")
  class Errors {

    private RecordingSubscriber runWithFault(Fault f) throws InterruptedException {
      ServerControl c = controlWith(f.getClass());
      c.inject(f);
      return run(TEXT);
    }

    private void assertOneError(RecordingSubscriber rec, Class<? extends Throwable> type) {
      assertThat(rec.terminalSignals()).as("exactly one terminal signal").isEqualTo(1);
      assertThat(rec.error()).isInstanceOf(type);
      assertThat(rec.error().getMessage()).contains(synth().provider());
    }

    private void assertWorksAgain() throws InterruptedException {
      RecordingSubscriber next = run("The next session works.");
      assertSucceeded(next);
    }

    @Test
    @DisplayName("[E1] 401 at the handshake is an AuthenticationException, not retryable")
    void unauthorized() throws Exception {
      RecordingSubscriber rec = runWithFault(new Fault.HandshakeStatus(401, null));
      assertOneError(rec, AuthenticationException.class);
      assertThat(((VoicebridgeException) rec.error()).isRetryable()).isFalse();
      assertWorksAgain();
    }

    @Test
    @DisplayName("[E2] 403 at the handshake is a PermissionDeniedException")
    void forbidden() throws Exception {
      RecordingSubscriber rec = runWithFault(new Fault.HandshakeStatus(403, null));
      assertOneError(rec, PermissionDeniedException.class);
      assertThat(((VoicebridgeException) rec.error()).isRetryable()).isFalse();
    }

    @Test
    @DisplayName("[E3] 429 with Retry-After is a retryable RateLimitedException carrying the delay")
    void rateLimited() throws Exception {
      RecordingSubscriber rec = runWithFault(new Fault.HandshakeStatus(429, Duration.ofSeconds(7)));
      assertOneError(rec, RateLimitedException.class);
      RateLimitedException e = (RateLimitedException) rec.error();
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
      assertWorksAgain();
    }

    @Test
    @DisplayName("[E4] 500 and 503 are retryable ProviderUnavailableExceptions")
    void unavailable() throws Exception {
      for (int status : new int[] {500, 503}) {
        RecordingSubscriber rec = runWithFault(new Fault.HandshakeStatus(status, null));
        assertOneError(rec, ProviderUnavailableException.class);
        assertThat(((ProviderUnavailableException) rec.error()).status()).isEqualTo(status);
        assertThat(((VoicebridgeException) rec.error()).isRetryable()).isTrue();
      }
      assertWorksAgain();
    }

    @Test
    @DisplayName(
        "[E5] the vendor's error frame before any audio is a ProviderException with its message")
    void errorFrameBeforeAudio() throws Exception {
      RecordingSubscriber rec = runWithFault(new Fault.ErrorFrame(0, Fault.ErrorKind.SERVER));
      assertOneError(rec, ProviderException.class);
      assertThat(rec.error().getMessage()).contains(Fault.MESSAGE);
      assertThat(rec.audio()).isEmpty();
      assertWorksAgain();
    }

    @Test
    @DisplayName("[E6] the vendor's error frame after audio: the audio before it is intact")
    void errorFrameAfterAudio() throws Exception {
      ServerControl c = control();
      RecordingSubscriber rec = runWithFault(new Fault.ErrorFrame(1, Fault.ErrorKind.SERVER));
      assertOneError(rec, ProviderException.class);
      assertThat(rec.error().getMessage()).contains(Fault.MESSAGE);
      assertThat(rec.audioSha256()).isEqualTo(c.lastSession().audioSha256());
      assertWorksAgain();
    }

    @Test
    @DisplayName(
        "[E7] a clean close without completion is a retryable TransportException, never success")
    void cleanDisconnect() throws Exception {
      ServerControl c = control();
      for (int after : new int[] {0, 1, 3}) {
        RecordingSubscriber rec = runWithFault(new Fault.Disconnect(after, false));
        assertOneError(rec, TransportException.class);
        assertThat(((VoicebridgeException) rec.error()).isRetryable()).isTrue();
        assertThat(rec.audioSha256()).isEqualTo(c.lastSession().audioSha256());
      }
      assertWorksAgain();
    }

    @Test
    @DisplayName(
        "[E8] an abrupt reset is a retryable TransportException; what arrived is whole frames,"
            + " in order")
    void abruptDisconnect() throws Exception {
      ServerControl c = control();
      for (int after : new int[] {0, 1}) {
        RecordingSubscriber rec = runWithFault(new Fault.Disconnect(after, true));
        assertOneError(rec, TransportException.class);
        assertThat(((VoicebridgeException) rec.error()).isRetryable()).isTrue();
        // A reset may destroy frames the server wrote but the client had not read (the kernel
        // drops its receive queue), so the client may hold fewer frames than were sent: but only
        // whole frames, from the first, never a torn or reordered one.
        ServerRecord sent = c.lastSession();
        assertThat(sent.isFramePrefix(rec.audioSha256()))
            .as("received %d bytes; sent %s", rec.audio().length, sent)
            .isTrue();
      }
      assertWorksAgain();
    }

    @Test
    @DisplayName("[E9] a server that stalls ends in a SynthesisTimeoutException")
    void stall() throws Exception {
      for (int after : new int[] {0, 1}) {
        RecordingSubscriber rec = runWithFault(new Fault.Stall(after));
        assertOneError(rec, SynthesisTimeoutException.class);
        assertThat(((VoicebridgeException) rec.error()).isRetryable()).isTrue();
      }
      assertWorksAgain();
    }

    @Test
    @DisplayName("[E10] a malformed frame is a ProtocolException")
    void malformed() throws Exception {
      RecordingSubscriber rec = runWithFault(new Fault.MalformedFrame(1));
      assertOneError(rec, ProtocolException.class);
      assertWorksAgain();
    }

    @Test
    @DisplayName("[E11] a server that closes after completion does not break the next session")
    void closeAfterCompletion() throws Exception {
      RecordingSubscriber rec = runWithFault(new Fault.CloseAfterCompletion());
      assertSucceeded(rec);
      assertWorksAgain();
      assertWorksAgain();
    }
  }

  @Nested
  @DisplayName("SEC: secrets")
  class Secrets {

    private void collect(Throwable t, List<String> texts) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        texts.add(String.valueOf(c.getMessage()));
        texts.add(c.toString());
        for (Throwable s : c.getSuppressed()) {
          collect(s, texts);
        }
      }
    }

    @Test
    @DisplayName("[SEC1] the API key never appears in an exception, a report or a toString")
    void keyNeverLeaks() throws Exception {
      String key = fixture.apiKey().orElse(null);
      assumeTrue(key != null && key.length() >= 6, "the fixture names no distinctive API key");
      List<String> texts = new ArrayList<>();
      texts.add(synth().toString());
      texts.add(synth().capabilities().toString());
      List<Fault> faults = new ArrayList<>();
      faults.add(null);
      faults.add(new Fault.HandshakeStatus(401, null));
      faults.add(new Fault.HandshakeStatus(429, Duration.ofSeconds(1)));
      faults.add(new Fault.ErrorFrame(0, Fault.ErrorKind.AUTHENTICATION));
      faults.add(new Fault.ErrorFrame(1, Fault.ErrorKind.SERVER));
      faults.add(new Fault.Disconnect(1, false));
      faults.add(new Fault.MalformedFrame(1));
      for (Fault f : faults) {
        if (f != null) {
          ServerControl c = fixture.control().orElse(null);
          if (c == null || !c.supportedFaults().contains(f.getClass())) {
            continue;
          }
          c.inject(f);
        }
        SynthesisSession s = synth().open(options());
        texts.add(s.toString());
        RecordingSubscriber rec = new RecordingSubscriber();
        s.events().subscribe(rec);
        s.sendText("Keep the key secret.");
        s.finish();
        assertThat(rec.awaitTerminal(timeout())).isTrue();
        collect(rec.error(), texts);
        SynthesisReport r = s.report();
        texts.add(r.toString());
        texts.addAll(r.warnings());
        texts.add(r.attributes().toString());
      }
      for (String t : texts) {
        assertThat(t).as("a message, report or toString").doesNotContain(key);
      }
    }
  }

  @Nested
  @DisplayName("K: concurrency")
  class Concurrency {

    @Test
    @DisplayName("[K1] concurrent sessions each get their own audio, intact")
    void concurrentSessions() throws Exception {
      int n = 4;
      List<SynthesisSession> sessions = new ArrayList<>();
      List<RecordingSubscriber> recs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        SynthesisSession s = synth().open(options());
        RecordingSubscriber rec = new RecordingSubscriber();
        s.events().subscribe(rec);
        sessions.add(s);
        recs.add(rec);
      }
      for (int i = 0; i < n; i++) {
        sessions.get(i).sendText("Concurrent session number " + i + " is speaking now.");
      }
      sessions.forEach(SynthesisSession::finish);
      for (int i = 0; i < n; i++) {
        assertThat(recs.get(i).awaitTerminal(timeout())).isTrue();
        assertSucceeded(recs.get(i));
        assertThat(recs.get(i).audio()).isNotEmpty();
      }
      fixture
          .control()
          .ifPresent(
              c -> {
                for (int i = 0; i < n; i++) {
                  ServerRecord r =
                      recordFor(c, "Concurrent session number " + i + " is speaking now.");
                  assertThat(recs.get(i).audioSha256()).isEqualTo(r.audioSha256());
                }
              });
    }
  }

  @Nested
  @DisplayName("T: timing")
  class Timing {

    @Test
    @DisplayName("[T1] the report's figures are present and coherent")
    void coherent() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText(TEXT);
      s.finish();
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertSucceeded(rec);
      SynthesisReport r = s.completion().toCompletableFuture().get();
      assertThat(r.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
      assertThat(r.provider()).isEqualTo(synth().provider());
      assertThat(r.connectionSetup()).isPresent();
      assertThat(r.timeToFirstAudio()).isPresent();
      assertThat(r.timeToLastAudio()).isPresent();
      assertThat(r.timeToFirstAudio().get()).isLessThanOrEqualTo(r.timeToLastAudio().get());
      assertThat(r.lastAudioAfterFinish()).isPresent();
      assertThat(r.charactersSent()).isEqualTo(TEXT.length());
      assertThat(r.bytesReceived()).isEqualTo(rec.audio().length);
      assertThat(r.chunks()).isEqualTo(rec.chunks().size());
      AudioFormat f = r.format();
      if (f.isUncompressed()) {
        assertThat(r.audioDuration()).isEqualTo(f.durationOf(r.bytesReceived()));
      }
      for (AudioChunk c : rec.chunks()) {
        assertThat(c.sinceFirstText()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
      }
    }

    @Test
    @DisplayName("[T2] one figure per flush that followed new text")
    void flushFigures() throws Exception {
      SynthesisSession s = synth().open(options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText("First turn of the dialogue. ");
      s.flush();
      s.flush();
      assertThat(rec.awaitFirstAudio(timeout())).isTrue();
      s.sendText("Second turn of the dialogue.");
      s.flush();
      s.finish();
      assertThat(rec.awaitTerminal(timeout())).isTrue();
      assertSucceeded(rec);
      await(
          timeout(),
          () -> s.report().firstAudioAfterFlush().size() >= 1,
          "the first flush is answered");
      assertThat(s.report().firstAudioAfterFlush()).hasSizeBetween(1, 2);
    }

    @Test
    @DisplayName("[T3] word timings, where declared, are monotonic and within the audio")
    void wordTimings() throws Exception {
      assumeTrue(synth().capabilities().wordTimings(), "the provider declares no word timings");
      RecordingSubscriber rec = run(TEXT);
      assertSucceeded(rec);
      var timings = rec.timings();
      assertThat(timings).isNotEmpty();
      Duration prev = Duration.ZERO;
      for (var t : timings) {
        assertThat(t.start()).isGreaterThanOrEqualTo(prev);
        prev = t.start();
      }
    }
  }
}
