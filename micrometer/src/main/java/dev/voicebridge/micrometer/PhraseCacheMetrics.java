package dev.voicebridge.micrometer;

import dev.voicebridge.cache.PhraseCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The statistics of a {@link PhraseCache} ({@link PhraseCache#stats()}) as meters: {@value #HITS},
 * {@value #MISSES}, {@value #SHARED} and {@value #EVICTIONS} (function counters), {@value #BYTES}
 * (gauge, base unit bytes) and {@value #ENTRIES} (gauge). Needs {@code voicebridge-cache} on the
 * class path (an optional dependency of this module); the Spring Boot starter registers it for its
 * cache.
 *
 * <pre>{@code
 * new PhraseCacheMetrics(phrases).bindTo(registry);
 * }</pre>
 *
 * The meters read the statistics when the registry publishes them; like Micrometer's other function
 * meters they hold the cache weakly, so the application keeps a reference to it.
 */
public final class PhraseCacheMetrics implements MeterBinder {
  /** Function counter: sessions served from the cache. */
  public static final String HITS = "voicebridge.cache.hits";

  /** Function counter: sessions that went to the vendor. */
  public static final String MISSES = "voicebridge.cache.misses";

  /** Function counter: sessions that joined a synthesis of the same phrase already running. */
  public static final String SHARED = "voicebridge.cache.shared";

  /** Function counter: phrases evicted from memory by the byte bound. */
  public static final String EVICTIONS = "voicebridge.cache.evictions";

  /** Gauge: the estimated size of the phrases in memory, in bytes. */
  public static final String BYTES = "voicebridge.cache.bytes";

  /** Gauge: the phrases in memory. */
  public static final String ENTRIES = "voicebridge.cache.entries";

  private final PhraseCache cache;

  /**
   * Meters of {@code cache}'s statistics.
   *
   * @param cache the cache
   */
  public PhraseCacheMetrics(PhraseCache cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  /**
   * Registers the six meters in {@code registry}.
   *
   * @param registry the registry
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder(HITS, cache, c -> c.stats().hits())
        .description("Synthesis sessions served from the phrase cache")
        .register(registry);
    FunctionCounter.builder(MISSES, cache, c -> c.stats().misses())
        .description("Synthesis sessions of cacheable phrases that went to the vendor")
        .register(registry);
    FunctionCounter.builder(SHARED, cache, c -> c.stats().shared())
        .description("Synthesis sessions that joined a synthesis of the same phrase running")
        .register(registry);
    FunctionCounter.builder(EVICTIONS, cache, c -> c.stats().evictions())
        .description("Phrases evicted from memory by the cache's byte bound")
        .register(registry);
    Gauge.builder(BYTES, cache, c -> c.stats().bytes())
        .description("Estimated size of the phrases the cache holds in memory")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(ENTRIES, cache, c -> c.stats().entries())
        .description("Phrases the cache holds in memory")
        .register(registry);
  }
}
