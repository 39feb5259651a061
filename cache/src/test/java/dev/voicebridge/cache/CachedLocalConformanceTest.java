package dev.voicebridge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.local.LocalProvider;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.ServerControl;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * The conformance suite on the local provider behind the cache, with one phrase cache shared by
 * every test: after the first test that speaks the suite's text, every whole-text session of it is
 * a hit, so the rules (order, integrity, back pressure, demand, the report's figures, cancel, one
 * terminal signal) are checked on replayed phrases too.
 */
class CachedLocalConformanceTest extends StreamingSynthesizerContract {
  static final PhraseCache PHRASES = PhraseCache.inMemory(16 << 20);

  /** The suite did meet replayed phrases: a run where nothing was a hit would prove nothing. */
  @AfterAll
  static void replayedPhrasesWereChecked() {
    PhraseCache.Stats stats = PHRASES.stats();
    PHRASES.close();
    System.out.println("phrase cache after the suite: " + stats);
    assertThat(stats.hits()).as("sessions of the suite served from the cache").isGreaterThan(5);
  }

  @Override
  protected ConformanceFixture createFixture() {
    StreamingSynthesizer local =
        new LocalProvider()
            .create(
                ProviderContext.of(
                    "local",
                    VoicebridgeConfig.of(Map.of("voicebridge.local.response-timeout", "10s"))));
    ConformanceFixture inner =
        new ConformanceFixture() {
          @Override
          public StreamingSynthesizer synthesizer() {
            return local;
          }

          @Override
          public Optional<ServerControl> control() {
            return Optional.empty();
          }

          @Override
          public SynthesisOptions options() {
            return SynthesisOptions.builder().format(AudioFormat.pcm(16_000)).build();
          }

          @Override
          public void close() {
            local.close();
          }
        };
    return new CachedFixture(inner, s -> CachingSynthesizer.builder(s).cache(PHRASES).build());
  }
}
