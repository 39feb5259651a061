package dev.voicebridge.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class VoiceCatalogCacheTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Ticker ticker = now::get;
  private final List<VoiceQuery> asked = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<VoicePage>> fetches = new CopyOnWriteArrayList<>();

  /** A vendor whose answers the test gives by completing {@link #fetches}. */
  private final Function<VoiceQuery, CompletionStage<VoicePage>> vendor =
      q -> {
        asked.add(q);
        CompletableFuture<VoicePage> f = new CompletableFuture<>();
        fetches.add(f);
        return f;
      };

  private static VoicePage page(String id) {
    return VoicePage.last(List.of(Voice.builder(id, id).build()));
  }

  @Test
  void aPageIsKeptForItsTimeToLiveOnTheProvidersClock() {
    VoiceCatalogCache cache = new VoiceCatalogCache(Duration.ofMinutes(10), ticker, vendor);
    CompletableFuture<VoicePage> first = cache.get(VoiceQuery.all()).toCompletableFuture();
    fetches.get(0).complete(page("a"));
    assertThat(first).isCompletedWithValue(page("a"));

    now.addAndGet(Duration.ofMinutes(10).toNanos() - 1);
    assertThat(cache.get(VoiceQuery.all()).toCompletableFuture()).isCompletedWithValue(page("a"));
    assertThat(asked).as("within the time to live: no request").hasSize(1);

    now.addAndGet(1);
    CompletableFuture<VoicePage> later = cache.get(VoiceQuery.all()).toCompletableFuture();
    assertThat(asked).as("expired: the vendor is asked again").hasSize(2);
    fetches.get(1).complete(page("b"));
    assertThat(later).isCompletedWithValue(page("b"));
  }

  @Test
  void pagesAreKeptByQuery() {
    VoiceCatalogCache cache = new VoiceCatalogCache(Duration.ofMinutes(1), ticker, vendor);
    cache.get(VoiceQuery.all());
    cache.get(VoiceQuery.all().withPageToken("2"));
    cache.get(VoiceQuery.builder().language("en").build());
    assertThat(asked).hasSize(3);
    assertThat(asked.get(1).pageToken()).contains("2");
  }

  @Test
  void requestsForAPageBeingFetchedShareTheFetch() {
    VoiceCatalogCache cache = new VoiceCatalogCache(Duration.ofMinutes(1), ticker, vendor);
    CompletableFuture<VoicePage> a = cache.get(VoiceQuery.all()).toCompletableFuture();
    CompletableFuture<VoicePage> b = cache.get(VoiceQuery.all()).toCompletableFuture();
    assertThat(asked).hasSize(1);
    a.cancel(false);
    assertThat(fetches.get(0)).as("one caller's cancel leaves the shared fetch").isNotDone();
    fetches.get(0).complete(page("a"));
    assertThat(b).isCompletedWithValue(page("a"));
  }

  @Test
  void aFailureIsPassedOnAndNotKept() {
    VoiceCatalogCache cache = new VoiceCatalogCache(Duration.ofMinutes(1), ticker, vendor);
    CompletableFuture<VoicePage> failed = cache.get(VoiceQuery.all()).toCompletableFuture();
    AuthenticationException wrongKey =
        new AuthenticationException("fish", 401, null, "HTTP 401: Invalid Token");
    fetches.get(0).completeExceptionally(wrongKey);
    assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class).hasCause(wrongKey);
    assertThat(cache.size()).isZero();

    cache.get(VoiceQuery.all());
    assertThat(asked).as("the next request asks again").hasSize(2);
  }

  @Test
  void aFetchThatThrowsFailsTheStage() {
    VoiceCatalogCache cache =
        new VoiceCatalogCache(
            Duration.ofMinutes(1),
            ticker,
            q -> {
              throw new IllegalStateException("boom");
            });
    assertThatThrownBy(() -> cache.get(VoiceQuery.all()).toCompletableFuture().join())
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(cache.size()).isZero();
  }

  @Test
  void aZeroTimeToLiveAsksEveryTime() {
    VoiceCatalogCache cache = new VoiceCatalogCache(Duration.ZERO, ticker, vendor);
    cache.get(VoiceQuery.all());
    fetches.get(0).complete(page("a"));
    cache.get(VoiceQuery.all());
    assertThat(asked).hasSize(2);
  }

  @Test
  void closeCancelsTheFetchesInFlightAndRefusesMore() {
    VoiceCatalogCache cache = new VoiceCatalogCache(Duration.ofMinutes(1), ticker, vendor);
    CompletableFuture<VoicePage> pending = cache.get(VoiceQuery.all()).toCompletableFuture();
    cache.close();
    assertThat(fetches.get(0)).as("the vendor's request is cancelled").isCancelled();
    assertThat(pending).isCompletedExceptionally();
    assertThatThrownBy(() -> cache.get(VoiceQuery.all()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void atMostMaxEntriesPagesAreKeptTheLeastRecentlyUsedDroppedFirst() {
    VoiceCatalogCache cache = new VoiceCatalogCache(Duration.ofMinutes(1), ticker, vendor);
    List<VoiceQuery> queries = new ArrayList<>();
    for (int i = 0; i <= VoiceCatalogCache.MAX_ENTRIES; i++) {
      queries.add(VoiceQuery.all().withPageToken("p" + i));
    }
    cache.get(queries.get(0));
    for (int i = 1; i < VoiceCatalogCache.MAX_ENTRIES; i++) {
      cache.get(queries.get(i));
    }
    fetches.forEach(f -> f.complete(page("x")));
    cache.get(queries.get(0)); // used again: the second is now the least recently used
    cache.get(queries.get(VoiceCatalogCache.MAX_ENTRIES));
    assertThat(cache.size()).isEqualTo(VoiceCatalogCache.MAX_ENTRIES);
    int before = asked.size();
    cache.get(queries.get(0));
    assertThat(asked).as("the page used again was kept").hasSize(before);
    cache.get(queries.get(1));
    assertThat(asked).as("the least recently used page was dropped").hasSize(before + 1);
  }
}
