package dev.voicebridge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.WordTiming;
import dev.voicebridge.conformance.RecordingSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingSynthesizerTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final String GREETING = "Hello, how can I help you today?";

  final FakeVendor vendor = new FakeVendor("fake");
  final PhraseCache phrases = PhraseCache.inMemory(1 << 20);
  final CachingSynthesizer tts = CachingSynthesizer.builder(vendor).cache(phrases).build();

  @AfterEach
  void close() {
    tts.close();
    phrases.close();
  }

  /** A session that ran: its subscriber and its report. */
  record Ran(SynthesisSession session, RecordingSubscriber rec) {
    SynthesisReport report() throws Exception {
      return session.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static Ran start(CachingSynthesizer s, String text, SynthesisOptions o) {
    SynthesisSession session = s.open(o);
    RecordingSubscriber rec = new RecordingSubscriber();
    session.events().subscribe(rec);
    session.sendText(text);
    session.finish();
    return new Ran(session, rec);
  }

  static Ran run(CachingSynthesizer s, String text) throws InterruptedException {
    return run(s, text, SynthesisOptions.defaults());
  }

  static Ran run(CachingSynthesizer s, String text, SynthesisOptions o)
      throws InterruptedException {
    Ran r = start(s, text, o);
    assertThat(r.rec().awaitTerminal(TIMEOUT)).as("terminal signal").isTrue();
    return r;
  }

  /** The events as comparable values: chunk bytes in hex with their boundaries, timings as is. */
  static List<Object> shape(RecordingSubscriber rec) {
    List<Object> out = new ArrayList<>();
    for (SynthesisEvent e : rec.events()) {
      if (e instanceof AudioChunk c) {
        out.add(RecordingSubscriber.sha256(CachingSynthesizer.bytes(c)) + "@" + c.byteOffset());
      } else if (e instanceof WordTiming t) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void aSecondRequestIsReplayedWithTheSameEventsAndReportFieldsMarkedCached() throws Exception {
    Ran first = run(tts, GREETING);
    Ran second = run(tts, GREETING);

    assertThat(first.rec().completed()).isTrue();
    assertThat(second.rec().completed()).isTrue();
    assertThat(second.rec().terminalSignals()).isEqualTo(1);
    assertThat(vendor.opens).as("one vendor session for two requests").hasValue(1);
    assertThat(shape(second.rec())).isEqualTo(shape(first.rec())).isNotEmpty();
    assertThat(second.rec().timings()).hasSize(7);

    SynthesisReport a = first.report();
    SynthesisReport b = second.report();
    assertThat(CachingSynthesizer.isCached(a)).isFalse();
    assertThat(a.attributes()).containsEntry(CachingSynthesizer.ATTRIBUTE, "miss");
    assertThat(CachingSynthesizer.isCached(b)).isTrue();
    assertThat(b.provider()).isEqualTo("fake").isEqualTo(a.provider());
    assertThat(b.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
    assertThat(b.bytesReceived()).isEqualTo(a.bytesReceived()).isPositive();
    assertThat(b.chunks()).isEqualTo(a.chunks());
    assertThat(b.wordTimings()).isEqualTo(a.wordTimings()).isEqualTo(7);
    assertThat(b.charactersSent()).isEqualTo(a.charactersSent()).isEqualTo(GREETING.length());
    assertThat(b.audioDuration()).isEqualTo(a.audioDuration());
    assertThat(b.warnings()).isEqualTo(a.warnings()).containsExactly("fake warning");
    assertThat(b.attributes()).containsEntry("transport", "fake");
    assertThat(b.connectionReused()).as("a hit makes no connection").isTrue();
    assertThat(b.timeToFirstAudio()).isPresent();
    assertThat(b.timeToCompletion()).isPresent();

    PhraseCache.Stats s = phrases.stats();
    assertThat(s.hits()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.entries()).isEqualTo(1);
    assertThat(s.bytes()).isGreaterThan(a.bytesReceived());
  }

  @Test
  void synthesizersOfOneProviderWithScopesKeepTheirPhrasesApartInASharedCache() throws Exception {
    // two "fake" synthesizers configured differently (say, another default voice): a scope each
    FakeVendor other = new FakeVendor("fake");
    try (CachingSynthesizer a =
            CachingSynthesizer.builder(vendor).cache(phrases).scope("anna").build();
        CachingSynthesizer b =
            CachingSynthesizer.builder(other).cache(phrases).scope("bob").build()) {
      assertThat(a.scope()).hasValue("anna");
      assertThat(tts.scope()).isEmpty();
      assertThat(run(a, GREETING).report().attributes())
          .containsEntry(CachingSynthesizer.ATTRIBUTE, "miss");
      assertThat(run(b, GREETING).report().attributes())
          .containsEntry(CachingSynthesizer.ATTRIBUTE, "miss");
      assertThat(other.opens).hasValue(1);
      // unscoped: a phrase of its own too
      assertThat(CachingSynthesizer.isCached(run(tts, GREETING).report())).isFalse();
      assertThat(CachingSynthesizer.isCached(run(a, GREETING).report())).isTrue();
      assertThat(phrases.stats().entries()).isEqualTo(3);

      // the replayer of a scoped synthesizer replays its scope, and only its scope
      run(tts, "Only unscoped.");
      try (CachingSynthesizer replayer = (CachingSynthesizer) phrases.replayer(b)) {
        assertThat(replayer.scope()).hasValue("bob");
        assertThat(CachingSynthesizer.isCached(run(replayer, GREETING).report())).isTrue();
        assertThat(run(replayer, "Only unscoped.").rec().error())
            .isInstanceOf(ProviderUnavailableException.class);
      }
      try (CachingSynthesizer unscoped =
          (CachingSynthesizer) phrases.replayer("fake", vendor.capabilities())) {
        assertThat(unscoped.scope()).isEmpty();
        assertThat(CachingSynthesizer.isCached(run(unscoped, "Only unscoped.").report())).isTrue();
      }
    }
  }

  @Test
  void theKeyHoldsVoiceFormatAndOptions() throws Exception {
    run(tts, GREETING);
    Ran otherVoice = run(tts, GREETING, SynthesisOptions.builder().voice("anna").build());
    Ran otherFormat =
        run(
            tts,
            GREETING,
            SynthesisOptions.builder().format(dev.voicebridge.AudioFormat.pcm(24_000)).build());
    Ran otherSpeed = run(tts, GREETING, SynthesisOptions.builder().speed(1.2).build());
    Ran sameAsDefault =
        run(tts, GREETING, SynthesisOptions.builder().format(FakeVendor.FORMAT).build());

    assertThat(otherVoice.report().attributes()).containsEntry("cache", "miss");
    assertThat(otherFormat.report().attributes()).containsEntry("cache", "miss");
    assertThat(otherSpeed.report().attributes()).containsEntry("cache", "miss");
    assertThat(CachingSynthesizer.isCached(sameAsDefault.report()))
        .as("the provider's default format spelled out is the same phrase")
        .isTrue();
    assertThat(vendor.opens).hasValue(4);
    assertThat(shape(otherVoice.rec())).isNotEqualTo(shape(sameAsDefault.rec()));
  }

  @Test
  void theByteBoundEvictsPhrases() throws Exception {
    PhraseCache small = PhraseCache.inMemory(8 * 1024);
    try (CachingSynthesizer s = CachingSynthesizer.builder(vendor).cache(small).build()) {
      long audio = 0;
      for (int i = 0; i < 12; i++) {
        Ran r = run(s, "Phrase number " + i + " is a little longer than the others were");
        audio += r.report().bytesReceived();
      }
      PhraseCache.Stats st = small.stats();
      assertThat(audio).as("more audio than the bound").isGreaterThan(3 * 8 * 1024);
      assertThat(st.bytes()).isLessThanOrEqualTo(8 * 1024);
      assertThat(st.evictions()).isPositive();
      assertThat(st.entries()).isLessThan(12);
      int opens = vendor.opens.get();
      for (int i = 0; i < 12; i++) {
        run(s, "Phrase number " + i + " is a little longer than the others were");
      }
      assertThat(vendor.opens.get())
          .as("evicted phrases are synthesized again")
          .isGreaterThan(opens);
    } finally {
      small.close();
    }
  }

  @Test
  void concurrentRequestsForOnePhraseSynthesizeOnceAndShareTheAudio() throws Exception {
    vendor.hold();
    List<Ran> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(start(tts, GREETING, SynthesisOptions.defaults()));
    }
    assertThat(vendor.opens).as("one vendor session while the phrase is on its way").hasValue(1);
    vendor.release();
    List<String> markers = new ArrayList<>();
    for (Ran r : runs) {
      assertThat(r.rec().awaitTerminal(TIMEOUT)).isTrue();
      assertThat(r.rec().completed()).isTrue();
      assertThat(shape(r.rec())).isEqualTo(shape(runs.get(0).rec())).isNotEmpty();
      markers.add(r.report().attributes().get("cache"));
    }
    assertThat(markers).containsExactlyInAnyOrder("miss", "shared", "shared", "shared", "shared");
    assertThat(vendor.opens).hasValue(1);
    PhraseCache.Stats st = phrases.stats();
    assertThat(st.misses()).isEqualTo(1);
    assertThat(st.shared()).isEqualTo(4);
    assertThat(CachingSynthesizer.isCached(run(tts, GREETING).report())).isTrue();
  }

  @Test
  void sessionsOpenedOnManyThreadsAtOnceStillSynthesizeOnce() throws Exception {
    vendor.hold();
    int n = 8;
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger id = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            n, r -> new Thread(r, "cache-test-" + id.incrementAndGet()));
    try {
      List<java.util.concurrent.Future<Ran>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return start(tts, GREETING, SynthesisOptions.defaults());
                }));
      }
      go.countDown();
      List<Ran> runs = new ArrayList<>();
      for (var f : futures) {
        runs.add(f.get(10, TimeUnit.SECONDS));
      }
      vendor.release();
      for (Ran r : runs) {
        assertThat(r.rec().awaitTerminal(TIMEOUT)).isTrue();
        assertThat(r.rec().completed()).isTrue();
        assertThat(shape(r.rec())).isEqualTo(shape(runs.get(0).rec()));
      }
      assertThat(vendor.opens).hasValue(1);
      assertThat(phrases.stats().misses() + phrases.stats().shared()).isEqualTo(n);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aFailureIsSharedByTheWaitingSessionsAndNotCached() throws Exception {
    vendor.hold();
    vendor.failure = new ProviderUnavailableException("fake", 503, null, "down for a moment");
    Ran a = start(tts, GREETING, SynthesisOptions.defaults());
    Ran b = start(tts, GREETING, SynthesisOptions.defaults());
    vendor.release();
    for (Ran r : List.of(a, b)) {
      assertThat(r.rec().awaitTerminal(TIMEOUT)).isTrue();
      assertThat(r.rec().error()).isInstanceOf(ProviderUnavailableException.class);
      assertThat(r.rec().terminalSignals()).isEqualTo(1);
    }
    assertThat(vendor.opens).hasValue(1);
    assertThat(phrases.stats().entries()).isZero();

    vendor.failure = null;
    Ran again = run(tts, GREETING);
    assertThat(again.rec().completed()).isTrue();
    assertThat(again.report().attributes()).containsEntry("cache", "miss");
    assertThat(vendor.opens).as("the vendor is asked again").hasValue(2);
  }

  @Test
  void aCancelledSessionIsNotCachedAndCancelsTheVendor() throws Exception {
    vendor.hold();
    Ran a = start(tts, GREETING, SynthesisOptions.defaults());
    a.session().cancel();
    assertThat(a.rec().awaitTerminal(TIMEOUT)).isTrue();
    assertThat(a.rec().error()).isInstanceOf(SynthesisCancelledException.class);
    assertThat(vendor.cancels).as("the vendor's session is cancelled").hasValue(1);
    vendor.release();
    assertThat(phrases.stats().entries()).isZero();

    Ran again = run(tts, GREETING);
    assertThat(again.report().attributes()).containsEntry("cache", "miss");
    assertThat(vendor.opens).hasValue(2);
  }

  @Test
  void whenTheFirstOfTwoWaitingSessionsCancelsTheOtherStillGetsThePhrase() throws Exception {
    vendor.hold();
    Ran a = start(tts, GREETING, SynthesisOptions.defaults());
    Ran b = start(tts, GREETING, SynthesisOptions.defaults());
    a.session().cancel();
    vendor.release();
    assertThat(b.rec().awaitTerminal(TIMEOUT)).isTrue();
    assertThat(b.rec().completed()).isTrue();
    assertThat(b.rec().timings()).hasSize(7);
    assertThat(vendor.cancels).hasValue(0);
    assertThat(CachingSynthesizer.isCached(run(tts, GREETING).report())).isTrue();
    assertThat(vendor.opens).hasValue(1);
  }

  @Test
  void aStreamedSessionWithAFlushGoesLiveAndIsStoredUnderItsWholeText() throws Exception {
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText("Hello, how can ");
    s.sendText("I help you");
    s.flush();
    assertThat(rec.awaitFirstAudio(TIMEOUT)).as("audio after the flush, before finish").isTrue();
    s.sendText(" today?");
    s.finish();
    assertThat(rec.awaitTerminal(TIMEOUT)).isTrue();
    assertThat(rec.completed()).isTrue();
    SynthesisReport live = s.completion().toCompletableFuture().get();
    assertThat(live.attributes()).containsEntry("cache", "miss");
    assertThat(live.firstAudioAfterFlush()).hasSize(1);
    assertThat(vendor.texts).containsExactly(GREETING);

    Ran whole = run(tts, GREETING);
    assertThat(CachingSynthesizer.isCached(whole.report())).isTrue();
    assertThat(shape(whole.rec())).isEqualTo(shape(rec));
    assertThat(vendor.opens).hasValue(1);
  }

  @Test
  void tokensWithoutAFlushAreOnePhrase() throws Exception {
    run(tts, GREETING);
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    for (String token : GREETING.split("(?<= )")) {
      s.sendText(token);
    }
    s.finish();
    assertThat(rec.awaitTerminal(TIMEOUT)).isTrue();
    assertThat(CachingSynthesizer.isCached(s.completion().toCompletableFuture().get())).isTrue();
  }

  @Test
  void textsLongerThanAPhraseOrRefusedByThePredicateAreNotRecorded() throws Exception {
    try (CachingSynthesizer s =
        CachingSynthesizer.builder(vendor)
            .cache(phrases)
            .maxPhraseChars(20)
            .cacheable(t -> !t.contains("secret"))
            .build()) {
      String longText = "This text is longer than twenty characters.";
      assertThat(run(s, longText).report().attributes()).containsEntry("cache", "bypass");
      assertThat(run(s, longText).report().attributes()).containsEntry("cache", "bypass");
      assertThat(run(s, "My secret").report().attributes()).containsEntry("cache", "bypass");
      assertThat(run(s, "My secret").report().attributes()).containsEntry("cache", "bypass");
      assertThat(vendor.opens).hasValue(4);
      assertThat(vendor.texts).contains(longText);
      assertThat(phrases.stats().entries()).isZero();
    }
  }

  @Test
  void anEmptySessionCompletesWithoutTheVendor() throws Exception {
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.finish();
    assertThat(rec.awaitTerminal(TIMEOUT)).isTrue();
    assertThat(rec.completed()).isTrue();
    assertThat(rec.audio()).isEmpty();
    assertThat(vendor.opens).hasValue(0);
  }

  @Test
  void warmPutsAPhraseInTheCache() throws Exception {
    SynthesisReport r =
        tts.warm(GREETING, SynthesisOptions.defaults())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(r.attributes()).containsEntry("cache", "miss");
    assertThat(CachingSynthesizer.isCached(run(tts, GREETING).report())).isTrue();
  }

  @Test
  void closeCancelsRunningSessionsAndClosesTheVendor() throws Exception {
    vendor.hold();
    Ran a = start(tts, GREETING, SynthesisOptions.defaults());
    tts.close();
    assertThat(a.rec().awaitTerminal(TIMEOUT)).isTrue();
    assertThat(a.rec().error()).isInstanceOf(SynthesisCancelledException.class);
    assertThat(vendor.closed).isTrue();
  }
}
