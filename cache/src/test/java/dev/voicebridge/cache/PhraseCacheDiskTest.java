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
}
