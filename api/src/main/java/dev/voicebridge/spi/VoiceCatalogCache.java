package dev.voicebridge.spi;

import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.internal.Redaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The cache behind a provider's {@link dev.voicebridge.StreamingSynthesizer#voices(VoiceQuery)}:
 * pages by query, each kept for a time to live measured on the provider's {@link Ticker}; requests
 * for a page being fetched share that fetch; failures are not kept (the next request tries again).
 * At most {@value #MAX_ENTRIES} pages are kept, the least recently used dropped first.
 *
 * <p>A provider lists {@link #TTL} among its configuration keys and creates one cache per
 * synthesizer with the function that fetches a page from the vendor, then answers {@code voices}
 * with {@link #get}; {@link #close()} (from the synthesizer's {@code close()}) cancels the fetches
 * in flight. Thread-safe.
 */
public final class VoiceCatalogCache implements AutoCloseable {
  /** How many pages are kept at most. */
  public static final int MAX_ENTRIES = 256;

  /** Default of {@code voices-cache-ttl}: 10 minutes. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  /** How long a page of the voice catalog is kept ({@code 0s}: every request asks the vendor). */
  public static final ConfigKey<Duration> TTL =
      ConfigKey.duration(
              "voices-cache-ttl",
              "how long a page of the voice catalog (voices()) is kept before the vendor is asked"
                  + " again; 0s asks every time")
          .withCheck(d -> d.isNegative() ? "must not be negative" : null)
          .withDefault(DEFAULT_TTL);

  private final Duration ttl;
  private final Ticker ticker;
  private final Redactor redactor;
  private final Function<VoiceQuery, CompletionStage<VoicePage>> fetch;
  private final LinkedHashMap<VoiceQuery, Entry> entries =
      new LinkedHashMap<>(16, 0.75f, true); // this; access order
  private boolean closed; // this

  /** A page being fetched, or fetched at {@code loadedNanos}. */
  private static final class Entry {
    final CompletableFuture<VoicePage> page;
    volatile long loadedNanos;
    volatile boolean loaded;

    Entry(CompletableFuture<VoicePage> page) {
      this.page = page;
    }
  }

  /**
   * A cache.
   *
   * @param ttl how long a page is kept ({@link Duration#ZERO}: not at all)
   * @param ticker the clock of the time to live (the provider's, so tests can move it)
   * @param fetch asks the vendor for a page; its stage fails with the api's exceptions
   */
  public VoiceCatalogCache(
      Duration ttl, Ticker ticker, Function<VoiceQuery, CompletionStage<VoicePage>> fetch) {
    this(ttl, ticker, Redactor.none(), fetch);
  }

  /**
   * A cache whose failures have {@code redactor}'s secrets masked (a vendor's error body may echo
   * the key), as a session's have.
   *
   * @param ttl how long a page is kept ({@link Duration#ZERO}: not at all)
   * @param ticker the clock of the time to live (the provider's, so tests can move it)
   * @param redactor masks the provider's secrets in the exceptions the stages fail with
   * @param fetch asks the vendor for a page; its stage fails with the api's exceptions
   */
  public VoiceCatalogCache(
      Duration ttl,
      Ticker ticker,
      Redactor redactor,
      Function<VoiceQuery, CompletionStage<VoicePage>> fetch) {
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative");
    }
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.fetch = Objects.requireNonNull(fetch, "fetch");
  }

  /**
   * The page for {@code query}: kept, being fetched, or fetched now. The stage returned is the
   * caller's own (completing or cancelling it does not touch the shared fetch).
   *
   * @param query the query
   * @throws IllegalStateException after {@link #close()}
   * @return the page for {@code query}: kept, being fetched, or fetched now
   */
  public CompletionStage<VoicePage> get(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    Entry e;
    boolean start = false;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the synthesizer is closed");
      }
      e = entries.get(query);
      if (e != null && e.loaded && (ttl.isZero() || expired(e))) {
        entries.remove(query);
        e = null;
      }
      if (e == null) {
        e = new Entry(new CompletableFuture<>());
        start = true;
        entries.put(query, e);
        trim();
      }
    }
    if (start) {
      load(query, e);
    }
    return e.page.copy();
  }

  private void load(VoiceQuery query, Entry e) {
    CompletionStage<VoicePage> stage;
    try {
      stage = fetch.apply(query);
    } catch (RuntimeException ex) {
      forget(query, e);
      e.page.completeExceptionally(Redaction.apply(ex, redactor));
      return;
    }
    CompletableFuture<VoicePage> f = stage.toCompletableFuture();
    // cancelling the shared page (close) cancels the vendor's request
    e.page.whenComplete(
        (p, ex) -> {
          if (e.page.isCancelled()) {
            f.cancel(true);
          }
        });
    f.whenComplete(
        (page, ex) -> {
          if (ex != null) {
            forget(query, e);
            e.page.completeExceptionally(Redaction.apply(unwrap(ex), redactor));
          } else {
            e.loadedNanos = ticker.nanoTime();
            e.loaded = true;
            if (ttl.isZero()) {
              forget(query, e);
            }
            e.page.complete(page);
          }
        });
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause()
        : t;
  }

  private boolean expired(Entry e) {
    return ticker.nanoTime() - e.loadedNanos >= ttl.toNanos();
  }

  private synchronized void forget(VoiceQuery query, Entry e) {
    entries.remove(query, e);
  }

  /** Drops expired pages, then the least recently used beyond the bound. Called holding this. */
  private void trim() {
    if (entries.size() <= MAX_ENTRIES) {
      return;
    }
    entries.values().removeIf(x -> x.loaded && expired(x));
    Iterator<Entry> it = entries.values().iterator();
    while (entries.size() > MAX_ENTRIES && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /**
   * Pages kept or being fetched now (for tests).
   *
   * @return pages kept or being fetched now (for tests)
   */
  public synchronized int size() {
    return entries.size();
  }

  /** Forgets every page (the next request asks the vendor); fetches in flight go on. */
  public synchronized void clear() {
    entries.clear();
  }

  /** Cancels the fetches in flight and keeps nothing more; {@link #get} then throws. */
  @Override
  public void close() {
    List<Entry> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(entries.values());
      entries.clear();
    }
    for (Entry e : all) {
      e.page.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "VoiceCatalogCache[ttl=" + ttl + ", pages=" + size() + "]";
  }
}
