package dev.voicebridge.cache;

import static dev.voicebridge.cache.CachingSynthesizerTest.GREETING;
import static dev.voicebridge.cache.CachingSynthesizerTest.run;
import static dev.voicebridge.cache.CachingSynthesizerTest.shape;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhraseCacheDiskTest {
  @TempDir Path dir;

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** Runs GREETING on a fresh vendor and a fresh cache over {@link #dir}; closes both. */
  private CachingSynthesizerTest.Ran once(FakeVendor vendor) throws Exception {
    PhraseCache phrases = PhraseCache.builder().maximumBytes(1 << 20).directory(dir).build();
    try (CachingSynthesizer tts = CachingSynthesizer.builder(vendor).cache(phrases).build()) {
      CachingSynthesizerTest.Ran r = run(tts, GREETING);
      r.report();
      return r;
    } finally {
      phrases.close(); // waits for the write
    }
  }

  @Test
  void phrasesSurviveANewCacheOnTheSameDirectory() throws Exception {
    FakeVendor first = new FakeVendor("fake");
    CachingSynthesizerTest.Ran recorded = once(first);
    assertThat(first.opens).hasValue(1);
    assertThat(files()).hasSize(1);
    assertThat(files().get(0).getFileName().toString()).matches("[0-9a-f]{64}\\.phrase");

    FakeVendor second = new FakeVendor("fake");
    CachingSynthesizerTest.Ran replayed = once(second);
    assertThat(second.opens).as("served from disk").hasValue(0);
    assertThat(CachingSynthesizer.isCached(replayed.report())).isTrue();
    assertThat(recorded.rec().timings()).isNotEmpty().allMatch(t -> t.hasTextOffsets());
    assertThat(shape(replayed.rec())).isEqualTo(shape(recorded.rec())); // offsets included
    assertThat(replayed.report().warnings()).isEqualTo(recorded.report().warnings());
    assertThat(replayed.report().attributes()).containsEntry("transport", "fake");
  }

  @Test
  void anotherProviderDoesNotReadTheFile() throws Exception {
    once(new FakeVendor("fake"));
    FakeVendor other = new FakeVendor("other");
    once(other);
    assertThat(other.opens).hasValue(1);
    assertThat(files()).hasSize(2);
  }

  @Test
  void aCorruptFileIsIgnoredAndReplaced() throws Exception {
    once(new FakeVendor("fake"));
    Path file = files().get(0);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a; // one flipped byte in the audio
    Files.write(file, bytes);

    FakeVendor afterCorruption = new FakeVendor("fake");
    CachingSynthesizerTest.Ran r = once(afterCorruption);
    assertThat(afterCorruption.opens).as("the corrupt phrase is synthesized again").hasValue(1);
    assertThat(r.rec().completed()).isTrue();
    assertThat(r.report().attributes()).containsEntry("cache", "miss");

    FakeVendor afterRewrite = new FakeVendor("fake");
    once(afterRewrite);
    assertThat(afterRewrite.opens).as("the file was replaced by a good one").hasValue(0);
  }

  @Test
  void aTruncatedOrForeignFileIsIgnored() throws Exception {
    once(new FakeVendor("fake"));
    Path file = files().get(0);
    byte[] bytes = Files.readAllBytes(file);
    for (byte[] bad :
        List.of(
            java.util.Arrays.copyOf(bytes, bytes.length - 9),
            java.util.Arrays.copyOf(bytes, 10),
            new byte[0],
            "not a phrase file at all, just some text".getBytes())) {
      Files.write(file, bad);
      FakeVendor v = new FakeVendor("fake");
      CachingSynthesizerTest.Ran r = once(v);
      assertThat(v.opens).as("%d bytes", bad.length).hasValue(1);
      assertThat(r.rec().completed()).isTrue();
    }
  }

  @Test
  void aFileHoldingAnotherKeyIsNotServed() throws Exception {
    once(new FakeVendor("fake"));
    Path file = files().get(0);
    Entry e = DiskStore.decode(Files.readAllBytes(file), null);
    // the same content under another key: a digest collision, or a file copied over another
    Entry forged = new Entry("another key", e.format, e.events, e.warnings, e.attributes);
    Files.write(file, DiskStore.encode(forged));
    FakeVendor v = new FakeVendor("fake");
    once(v);
    assertThat(v.opens).hasValue(1);
  }

  @Test
  void thePhraseEvictedFromMemoryIsReadBackFromDisk() throws Exception {
    FakeVendor vendor = new FakeVendor("fake");
    PhraseCache phrases = PhraseCache.builder().maximumBytes(1 << 20).directory(dir).build();
    try (CachingSynthesizer tts = CachingSynthesizer.builder(vendor).cache(phrases).build()) {
      run(tts, GREETING).report();
      phrases.close(); // the write is done
      phrases.invalidateAll();
      assertThat(phrases.stats().entries()).isZero();
      assertThat(CachingSynthesizer.isCached(run(tts, GREETING).report())).isTrue();
      assertThat(vendor.opens).hasValue(1);
    }
  }

  /**
   * Speaks each of {@code texts} through a fresh cache over {@link #dir} bounded at {@code max}.
   */
  private FakeVendor speak(long max, String... texts) throws Exception {
    FakeVendor vendor = new FakeVendor("fake");
    PhraseCache phrases =
        PhraseCache.builder().maximumBytes(1 << 20).maximumDiskBytes(max).directory(dir).build();
    try (CachingSynthesizer tts = CachingSynthesizer.builder(vendor).cache(phrases).build()) {
      for (String t : texts) {
        assertThat(run(tts, t).rec().completed()).isTrue();
      }
    } finally {
      phrases.close(); // waits for the writes
    }
    return vendor;
  }

  private Path fileOf(String text) throws IOException {
    List<Path> before = files();
    Path found = null;
    for (Path p : before) {
      Entry e = DiskStore.decode(Files.readAllBytes(p), null);
      if (e.key.endsWith(text)) {
        found = p;
      }
    }
    return found;
  }

  private long directoryBytes() throws IOException {
    long sum = 0;
    for (Path p : files()) {
      sum += Files.size(p);
    }
    return sum;
  }

  @Test
  void theDirectoryIsBoundedAndTheLeastRecentlyUsedPhrasesGoFirst() throws Exception {
    String[] texts = {
      "Phrase alpha one.", "Phrase bravo two.", "Phrase delta six.", "Phrase eagle ten."
    };
    speak(1L << 30, texts);
    assertThat(files()).hasSize(4);
    long one = Files.size(files().get(0));
    // ages set by hand (file times of writes in one clock tick tie): alpha oldest, eagle newest
    java.time.Instant past = java.time.Instant.now().minus(java.time.Duration.ofHours(2));
    for (int i = 0; i < texts.length; i++) {
      Files.setLastModifiedTime(
          fileOf(texts[i]),
          java.nio.file.attribute.FileTime.from(past.plus(java.time.Duration.ofMinutes(i))));
    }
    // a read makes alpha the most recently used
    FakeVendor reader = speak(1L << 30, texts[0]);
    assertThat(reader.opens).as("served from disk").hasValue(0);

    // room for about three phrases: the next write trims to 90% of it
    long max = one * 3 + one / 2;
    speak(max, "Phrase hotel new.");
    assertThat(directoryBytes()).isLessThanOrEqualTo(max);
    assertThat(fileOf("Phrase hotel new.")).as("the phrase just written").isNotNull();
    assertThat(fileOf(texts[0])).as("alpha, read since").isNotNull();
    assertThat(fileOf(texts[1])).as("bravo, the least recently used").isNull();
    assertThat(fileOf(texts[2])).as("delta, the next least recently used").isNull();
    assertThat(fileOf(texts[3])).as("eagle").isNotNull();
  }

  @Test
  void aPhraseLargerThanTheBoundIsNotWrittenAndLeavesTheOthers() throws Exception {
    speak(1L << 30, "Hi.");
    Path small = files().get(0);
    long bound = Files.size(small) + 1;
    speak(bound, GREETING); // more words, a larger file than the bound
    assertThat(files()).containsExactly(small);
  }

  @Test
  void aPhraseUsedFromMemoryRefreshesItsFileAtMostOnceAMinute() {
    long created = System.nanoTime();
    Entry e =
        new Entry(
            "k", dev.voicebridge.AudioFormat.pcm(16_000), List.of(), List.of(), java.util.Map.of());
    assertThat(e.touchDue(created)).as("just written").isFalse();
    long later =
        created + Entry.TOUCH_EVERY_NANOS + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    assertThat(e.touchDue(later)).isTrue();
    assertThat(e.touchDue(later)).as("claimed once").isFalse();
    assertThat(e.touchDue(later + Entry.TOUCH_EVERY_NANOS)).isTrue();
  }

  @Test
  void aStaleTemporaryFileIsDeletedAndAFreshOneKept() throws Exception {
    Path stale = Files.write(dir.resolve(".tmp-123.phrase"), new byte[10]);
    Files.setLastModifiedTime(
        stale,
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(java.time.Duration.ofDays(1))));
    Path fresh = Files.write(dir.resolve(".tmp-456.phrase"), new byte[10]);
    speak(1L << 30, GREETING);
    assertThat(stale).doesNotExist();
    assertThat(fresh).as("perhaps another process writing it").exists();
  }

  @Test
  void theDiskBoundMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PhraseCache.builder().maximumDiskBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximumDiskBytes");
  }
}
