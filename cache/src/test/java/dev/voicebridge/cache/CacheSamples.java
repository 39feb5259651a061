package dev.voicebridge.cache;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.fallback.FallbackSynthesizer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;

/** The samples of docs/cache.md, run by {@link CacheSamplesTest}. */
final class CacheSamples {
  private CacheSamples() {}

  static CachingSynthesizer wrap(StreamingSynthesizer vendor, Path directory) {
    // tag::wrap[]
    PhraseCache phrases =
        PhraseCache.builder()
            .maximumBytes(64L * 1024 * 1024) // audio, text and timings held in memory
            .directory(directory) // optional: phrases survive a restart
            .maximumDiskBytes(512L * 1024 * 1024) // the directory's bound (default 256 MiB)
            .build();
    CachingSynthesizer tts = CachingSynthesizer.builder(vendor).cache(phrases).build();
    // end::wrap[]
    return tts;
  }

  static boolean greet(CachingSynthesizer tts, SynthesisOptions options) {
    // tag::greet[]
    String greeting = "Hello! How can I help you today?";
    tts.warm(greeting, options).toCompletableFuture().join(); // at start-up: synthesized once
    try (SynthesisStream stream = tts.synthesize(greeting, options)) {
      byte[] audio = stream.readAllAudio(); // all of it at once, with the same word timings
      return audio.length > 0 && CachingSynthesizer.isCached(stream.report()); // true
    }
    // end::greet[]
  }

  static StreamingSynthesizer chain(
      CachingSynthesizer cached, StreamingSynthesizer other, PhraseCache phrases) {
    // tag::fallback[]
    StreamingSynthesizer tts =
        FallbackSynthesizer.builder()
            .add(cached) // the vendor behind the cache: records what it speaks
            .add(other)
            .add(phrases.replayer(cached)) // last: what the cache holds for the first vendor
            .build();
    // end::fallback[]
    return tts;
  }

  static void metrics(PhraseCache phrases, MeterRegistry registry) {
    // tag::metrics[]
    FunctionCounter.builder("voicebridge.cache.hits", phrases, c -> c.stats().hits())
        .register(registry);
    FunctionCounter.builder("voicebridge.cache.misses", phrases, c -> c.stats().misses())
        .register(registry);
    FunctionCounter.builder("voicebridge.cache.shared", phrases, c -> c.stats().shared())
        .register(registry);
    FunctionCounter.builder("voicebridge.cache.evictions", phrases, c -> c.stats().evictions())
        .register(registry);
    Gauge.builder("voicebridge.cache.bytes", phrases, c -> c.stats().bytes())
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("voicebridge.cache.entries", phrases, c -> c.stats().entries())
        .register(registry);
    // end::metrics[]
  }
}
