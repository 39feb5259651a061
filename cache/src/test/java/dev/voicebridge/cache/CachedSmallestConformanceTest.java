package dev.voicebridge.cache;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.NetworkFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import dev.voicebridge.smallest.SmallestOptions;
import dev.voicebridge.smallest.SmallestProvider;
import java.time.Duration;
import java.util.Set;

/**
 * The conformance suite on the Smallest adapter (WebSocket, word timings) behind the cache, against
 * the Smallest emulator, with a fresh cache per test.
 *
 * <p>The fault rules inject a fault into the server's next session and then speak the suite's text,
 * and warm up with one fixed phrase before each fault: a phrase replayed from the cache would never
 * reach the server, leaving the fault to a later session. So this fixture caches every phrase but
 * those two ({@link CachingSynthesizer.Builder#cacheable}); they still run through the cache's
 * single-flight path, so each fault is met there, and the flush rules run through its live path.
 * Hits are checked against the whole suite by {@link CachedLocalConformanceTest}.
 */
class CachedSmallestConformanceTest extends StreamingSynthesizerContract {
  static final String KEY = "sk-canary-cached-5m4ll35t";

  /** What the suite's warm-up says before each fault (StreamingSynthesizerContract#warmUp). */
  static final Set<String> FAULT_PHRASES = Set.of(TEXT, "Warm up the synthesizer.");

  static final NetworkFixture FIXTURE =
      NetworkFixture.of(
              new SmallestProvider(),
              () ->
                  SmallestEmulator.start(
                      EmulatorConfig.builder().apiKey(KEY).build(),
                      SmallestEmulator.Options.builder()
                          .maxConcurrentRequests(64)
                          .errorShape(SmallestEmulator.ErrorShape.BOTH)
                          .build()))
          .apiKey(KEY)
          .responseTimeout(Duration.ofSeconds(2))
          .maxFrameBytes(64 * 1024)
          .timeout(Duration.ofSeconds(15))
          .config("transport", "websocket")
          .options(
              SynthesisOptions.builder()
                  .format(AudioFormat.pcm(24_000))
                  .voice("liam")
                  .set(SmallestOptions.WORD_TIMESTAMPS, true)
                  .set(SmallestOptions.COMPLETE_BACKOFF_MS, 50)
                  .build());

  @Override
  protected ConformanceFixture createFixture() {
    return new CachedFixture(
        FIXTURE.create(),
        s ->
            CachingSynthesizer.builder(s).cacheable(text -> !FAULT_PHRASES.contains(text)).build());
  }
}
