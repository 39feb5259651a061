package dev.voicebridge.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where phrases are kept: in memory, bounded by an estimate of the bytes they hold (audio, text,
 * timings), least recently and least frequently used first out; optionally also in a directory, so
 * they survive a restart. One cache can serve several {@link CachingSynthesizer}s: the key names
 * the provider, so their phrases never mix.
 *
 * <pre>{@code
 * PhraseCache phrases = PhraseCache.builder()
 *     .maximumBytes(64 * 1024 * 1024)
 *     .directory(Path.of("var/phrases"))
 *     .build();
 * }</pre>
 *
 * <h2>On disk</h2>
 *
 * One file per phrase, named by the SHA-256 of its key, written to a temporary file and moved into
 * place atomically by one background thread ({@code voicebridge-cache-writer}, started on demand,
 * ending when idle and at {@link #close()}). A phrase evicted from memory stays on disk and is read
 * back on its next request. A file that cannot be read back whole (truncated, another version, a
 * failed CRC-32, another key) is ignored and replaced by the next synthesis. The directory is
 * bounded ({@link Builder#maximumDiskBytes(long)}, default 256 MiB): past the bound, the writer
 * deletes the phrases used least recently (by their files' modification times, which a read
 * refreshes).
 *
 * <p>Thread-safe. {@link #close()} waits for pending writes.
 */
public final class PhraseCache implements AutoCloseable {

  /**
   * What the cache did so far.
   *
   * @param hits sessions served from the cache
   * @param misses sessions that went to the vendor
   * @param shared sessions that joined a synthesis of the same phrase already running
   * @param evictions phrases evicted from memory by the byte bound
   * @param entries phrases in memory now
   * @param bytes their estimated size in bytes
   */
  public record Stats(
      long hits, long misses, long shared, long evictions, long entries, long bytes) {

    /**
     * The share of requests served without a synthesis of their own (hits and shared).
     *
     * @return the share of requests served without a synthesis of their own (hits and shared)
     */
    public double hitRate() {
      long all = hits + misses + shared;
      return all == 0 ? 0 : (double) (hits + shared) / all;
    }
  }

  private final Cache<String, Entry> memory;
  private final long maximumBytes;
  private final long maximumDiskBytes;
  private final DiskStore disk;
  private final Path diskDirectory;
  private final ThreadPoolExecutor writer;
  private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder shared = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private volatile boolean closed;

  private PhraseCache(Builder b) {
    this.maximumBytes = b.maximumBytes;
    this.maximumDiskBytes = b.maximumDiskBytes;
    this.diskDirectory = b.directory;
    this.memory =
        Caffeine.newBuilder()
            .maximumWeight(b.maximumBytes)
            .weigher((String k, Entry e) -> (int) Math.min(Integer.MAX_VALUE, e.weight()))
            // maintenance and listeners on the calling thread: no pool threads of the cache
            .executor(Runnable::run)
            .evictionListener(
                (String k, Entry e, com.github.benmanes.caffeine.cache.RemovalCause c) ->
                    evictions.increment())
            .build();
    if (b.directory != null) {
      this.disk =
          new DiskStore(b.directory, Math.max(b.maximumBytes, 64L << 20), b.maximumDiskBytes);
      AtomicInteger n = new AtomicInteger();
      this.writer =
          new ThreadPoolExecutor(
              1,
              1,
              1,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "voicebridge-cache-writer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.writer.allowCoreThreadTimeOut(true);
    } else {
      this.disk = null;
      this.writer = null;
    }
  }

  /**
   * A new builder: 32 MiB in memory, no directory.
   *
   * @return a new builder: 32 MiB in memory, no directory
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A cache of {@code maximumBytes} in memory only.
   *
   * @param maximumBytes the maximum bytes
   * @return a cache of {@code maximumBytes} in memory only
   */
  public static PhraseCache inMemory(long maximumBytes) {
    return builder().maximumBytes(maximumBytes).build();
  }

  /**
   * The bound of the memory tier, in bytes.
   *
   * @return the bound of the memory tier, in bytes
   */
  public long maximumBytes() {
    return maximumBytes;
  }

  /**
   * The bound of the disk tier's directory, in bytes (used only with a directory).
   *
   * @return the bound of the disk tier's directory, in bytes
   */
  public long maximumDiskBytes() {
    return maximumDiskBytes;
  }

  /**
   * The directory of the disk tier, if any.
   *
   * @return the directory of the disk tier, if any
   */
  public Optional<Path> directory() {
    return disk == null ? Optional.empty() : Optional.of(diskDirectory);
  }

  /**
   * What the cache did so far: sessions served from it ({@code hits}), sessions that synthesized
   * ({@code misses}), sessions that joined a synthesis of the same phrase already running ({@code
   * shared}), phrases evicted from memory by the byte bound, and what memory holds now (entries and
   * their estimated bytes).
   *
   * @return what the cache did so far: sessions served from it ({@code hits}), sessions that
   *     synthesized ({@code misses}), sessions that joined a synthesis of the same phrase already
   *     running ({@code shared}), phrases evicted from memory by the byte bound, and what memory
   *     holds now (entries and their estimated bytes)
   */
  public Stats stats() {
    memory.cleanUp();
    long bytes = memory.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    return new Stats(
        hits.sum(), misses.sum(), shared.sum(), evictions.sum(), memory.estimatedSize(), bytes);
  }

  /** Forgets every phrase in memory (files on disk stay). */
  public void invalidateAll() {
    memory.invalidateAll();
  }

  /**
   * A synthesizer that speaks only what this cache holds for {@code provider}, and never calls a
   * vendor: the last tier of a {@link dev.voicebridge.fallback.FallbackSynthesizer}, so that a
   * greeting recorded while the vendor was up still plays when every vendor is down. A phrase it
   * does not hold fails the session with a retryable {@link
   * dev.voicebridge.ProviderUnavailableException}. Input is held until {@code finish()} (a flush
   * gives no audio before it), and the whole text is looked up.
   *
   * @param provider the provider whose phrases to replay (the name of the synthesizer a {@link
   *     CachingSynthesizer} recorded them from)
   * @param capabilities what to declare (the recorded synthesizer's capabilities, so a fallback
   *     chain accepts the formats)
   * @return a synthesizer that speaks only what this cache holds for {@code provider}, and never
   *     calls a vendor: the last tier of a {@link dev.voicebridge.fallback.FallbackSynthesizer}, so
   *     that a greeting recorded while the vendor was up still plays when every vendor is down
   */
  public StreamingSynthesizer replayer(String provider, Capabilities capabilities) {
    return CachingSynthesizer.replayOnly(this, provider, null, capabilities);
  }

  /**
   * {@link #replayer(String, Capabilities)} for the phrases of a caching synthesizer built with a
   * scope ({@link CachingSynthesizer.Builder#scope(String)}; the Spring Boot starter's scope is the
   * synthesizer's name, {@code default} for the primary one).
   *
   * @param provider the provider whose phrases to replay
   * @param scope the scope they were recorded under, or null for none
   * @param capabilities what to declare
   * @return a synthesizer that speaks only what this cache holds for {@code provider} in {@code
   *     scope}
   */
  public StreamingSynthesizer replayer(String provider, String scope, Capabilities capabilities) {
    return CachingSynthesizer.replayOnly(this, provider, scope, capabilities);
  }

  /**
   * {@link #replayer(String, Capabilities)} with the name and capabilities of {@code source}, and
   * its scope when it is a {@link CachingSynthesizer} with one ({@link
   * CachingSynthesizer.Builder#scope(String)}).
   *
   * @param source the source
   * @return {@link #replayer(String, Capabilities)} with the name and capabilities of {@code
   *     source}
   */
  public StreamingSynthesizer replayer(StreamingSynthesizer source) {
    String scope = source instanceof CachingSynthesizer c ? c.scope().orElse(null) : null;
    return CachingSynthesizer.replayOnly(this, source.provider(), scope, source.capabilities());
  }

  /** Waits for pending disk writes and stops the writer thread. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (writer != null) {
      writer.shutdown();
      try {
        writer.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    Stats s = stats();
    return "PhraseCache["
        + s.entries()
        + " phrases, "
        + s.bytes()
        + "/"
        + maximumBytes
        + " bytes"
        + (disk == null ? "" : ", on disk")
        + "]";
  }

  // ------------------------------------------------------------------ package-private plumbing

  /**
   * The phrase for {@code key} from memory, else from disk (then kept in memory), else null. A hit
   * in memory refreshes the phrase's file time (at most once a minute, on the writer thread), so
   * the disk trim sees the phrases used most as recent, not as old as their writes.
   */
  Entry lookup(String key) {
    Entry e = memory.getIfPresent(key);
    if (e != null && disk != null && !closed && e.touchDue(System.nanoTime())) {
      try {
        writer.execute(() -> disk.touch(key));
      } catch (java.util.concurrent.RejectedExecutionException ignored) {
        // closed meanwhile
      }
    }
    if (e == null && disk != null) {
      e = disk.read(key);
      if (e != null) {
        memory.put(key, e);
      }
    }
    return e;
  }

  /** The phrase for {@code key} if memory holds it. */
  Entry memoryOnly(String key) {
    return memory.getIfPresent(key);
  }

  void store(Entry e) {
    memory.put(e.key, e);
    if (disk != null && !closed) {
      try {
        writer.execute(() -> disk.write(e));
      } catch (java.util.concurrent.RejectedExecutionException ignored) {
        // closed meanwhile: memory only
      }
    }
  }

  ConcurrentHashMap<String, Flight> flights() {
    return flights;
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void joined() {
    shared.increment();
  }

  /** Builds a {@link PhraseCache}. */
  public static final class Builder {
    private long maximumBytes = 32L << 20;
    private long maximumDiskBytes = 256L << 20;
    private Path directory;

    private Builder() {}

    /**
     * The bound of the memory tier in bytes (default 32 MiB): audio, text and timings.
     *
     * @param bytes the bytes
     * @return the bound of the memory tier in bytes (default 32 MiB): audio, text and timings
     */
    public Builder maximumBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maximumBytes must be positive");
      }
      this.maximumBytes = bytes;
      return this;
    }

    /**
     * The bound of the directory's phrase files in bytes (default 256 MiB). Past it, the cache's
     * writer deletes the phrases used least recently until the files take at most 90% of it; a
     * phrase larger than the bound is not kept on disk.
     *
     * @param bytes the bytes
     * @return this builder
     */
    public Builder maximumDiskBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maximumDiskBytes must be positive");
      }
      this.maximumDiskBytes = bytes;
      return this;
    }

    /**
     * A directory that keeps phrases across restarts (created if needed); null for none.
     *
     * @param directory the directory
     * @return a directory that keeps phrases across restarts (created if needed); null for none
     */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /**
     * The cache.
     *
     * @return the cache
     */
    public PhraseCache build() {
      return new PhraseCache(this);
    }
  }
}
