package dev.voicebridge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the samples of docs/cache.md on the local voice. */
class CacheSamplesTest {
  static final SynthesisOptions OPTIONS =
      SynthesisOptions.builder().format(AudioFormat.PCM_16K).build();

  @TempDir Path dir;

  static StreamingSynthesizer local() {
    return StreamingSynthesizers.create("local", VoicebridgeConfig.of(Map.of()));
  }

  @Test
  void aGreetingIsSynthesizedOnceThenReplayed() {
    try (CachingSynthesizer tts = CacheSamples.wrap(local(), dir)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      CacheSamples.metrics(tts.cache(), registry);
      assertThat(CacheSamples.greet(tts, OPTIONS)).isTrue();
      assertThat(registry.get("voicebridge.cache.hits").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("voicebridge.cache.misses").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("voicebridge.cache.bytes").gauge().value()).isPositive();
      assertThat(registry.get("voicebridge.cache.entries").gauge().value()).isEqualTo(1);
      tts.cache().close();
    }
  }

  @Test
  void theChainPlaysTheGreetingFromTheCacheWhenTheVendorsAreDown() throws Exception {
    FakeVendor vendor = new FakeVendor("fake");
    String greeting = "Hello! How can I help you today?";
    try (CachingSynthesizer cached = CacheSamples.wrap(vendor, dir)) {
      cached.warm(greeting, SynthesisOptions.defaults()).toCompletableFuture().join();
      vendor.failure = new ProviderUnavailableException("fake", 503, null, "down");
      FakeVendor other = new FakeVendor("other");
      other.failure = new ProviderUnavailableException("other", 503, null, "down too");
      try (StreamingSynthesizer chain = CacheSamples.chain(cached, other, cached.cache())) {
        // a phrase never recorded: every tier fails, and the first vendor cools down
        try (SynthesisStream s = chain.synthesize("Something new.", SynthesisOptions.defaults())) {
          assertThat(s.session().completion().toCompletableFuture())
              .failsWithin(java.time.Duration.ofSeconds(10));
        }
        // the greeting plays from the cache (every tier cools down now, the cache's first)
        try (SynthesisStream s = chain.synthesize(greeting, SynthesisOptions.defaults())) {
          assertThat(s.readAllAudio()).isNotEmpty();
          assertThat(s.report().attributes())
              .containsEntry("fallback.provider", "fake")
              .containsEntry("fake.cache", "hit");
        }
        assertThat(vendor.opens)
            .as("the first vendor was asked once, for the new phrase")
            .hasValue(2);
      }
      cached.cache().close();
    }
  }
}
