package dev.voicebridge.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.cache.CachingSynthesizer;
import dev.voicebridge.cache.PhraseCache;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.micrometer.PhraseCacheMetrics;
import dev.voicebridge.observe.SessionInfo;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionObserver;
import dev.voicebridge.spi.conformance.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * {@code voicebridge.cache.*}: the phrase cache in front of every synthesizer, against the local
 * voice (and Fish's emulator where a vendor must fail). Whether a session was served by the cache
 * is read from its report ({@link CachingSynthesizer#isCached}), which only a caching synthesizer
 * writes.
 */
class VoicebridgeCacheAutoConfigurationTest {
  static final String KEY = "fish-cache-test-key-81d3";
  static VendorEmulator fish;

  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(VoicebridgeAutoConfiguration.class))
          .withPropertyValues("voicebridge.provider=local");

  @BeforeAll
  static void start() {
    fish = Emulators.start("fish", EmulatorConfig.builder().apiKey(KEY).build());
  }

  @BeforeEach
  void clearFaults() {
    fish.control().clearFaults();
  }

  @AfterAll
  static void stop() {
    fish.close();
  }

  static SynthesisReport say(StreamingSynthesizer tts, String text) {
    try (SynthesisStream s = tts.synthesize(text)) {
      assertThat(s.readAllAudio()).isNotEmpty();
      return s.report();
    }
  }

  static StreamingSynthesizer named(ApplicationContext ctx, String name) {
    return BeanFactoryAnnotationUtils.qualifiedBeanOfType(
        ctx.getAutowireCapableBeanFactory(), StreamingSynthesizer.class, name);
  }

  @Test
  void theCacheIsOffByDefault() {
    runner.run(
        ctx -> {
          assertThat(ctx).hasNotFailed().doesNotHaveBean(PhraseCache.class);
          StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
          say(tts, "Twice, please.");
          SynthesisReport second = say(tts, "Twice, please.");
          assertThat(second.attributes()).doesNotContainKey(CachingSynthesizer.ATTRIBUTE);
          assertThat(CachingSynthesizer.isCached(second)).isFalse();
        });
  }

  @Test
  void enabledTheSecondIdenticalPhraseIsAHitAndTheObserversSeeIt() {
    List<SynthesisReport> observed = new CopyOnWriteArrayList<>();
    CountDownLatch twoObserved = new CountDownLatch(2);
    SessionListener listener =
        (SessionInfo info) ->
            new SessionObserver() {
              @Override
              public void completed(SynthesisReport report) {
                observed.add(report);
                twoObserved.countDown();
              }
            };
    runner
        .withPropertyValues("voicebridge.cache.enabled=true")
        .withBean(SessionListener.class, () -> listener)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(PhraseCache.class);
              StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
              assertThat(tts.provider()).isEqualTo("local");
              SynthesisReport first = say(tts, "Twice, please.");
              SynthesisReport second = say(tts, "Twice, please.");
              assertThat(first.attributes())
                  .containsEntry(CachingSynthesizer.ATTRIBUTE, CachingSynthesizer.MISS);
              assertThat(CachingSynthesizer.isCached(second)).isTrue();
              assertThat(second.provider()).isEqualTo("local");
              assertThat(second.bytesReceived()).isEqualTo(first.bytesReceived());
              // observation outside the cache: the hit is observed too (listeners hear of a
              // session's end after the application does, in either order across sessions)
              assertThat(twoObserved.await(10, TimeUnit.SECONDS)).as("both observed").isTrue();
              assertThat(observed).hasSize(2);
              assertThat(observed).filteredOn(CachingSynthesizer::isCached).hasSize(1);
              PhraseCache.Stats stats = ctx.getBean(PhraseCache.class).stats();
              assertThat(stats.hits()).isEqualTo(1);
              assertThat(stats.misses()).isEqualTo(1);
            });
  }

  @Test
  void namedSynthesizersAndChainMembersShareOneCacheEachWithItsOwnPhrases() {
    runner
        .withPropertyValues(
            "voicebridge.cache.enabled=true",
            "voicebridge.synthesizers.a.provider=local",
            "voicebridge.synthesizers.b.provider=local",
            "voicebridge.fallback.chain=a,local")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              StreamingSynthesizer a = named(ctx, "a");
              StreamingSynthesizer b = named(ctx, "b");
              say(a, "Mine.");
              assertThat(CachingSynthesizer.isCached(say(a, "Mine."))).isTrue();
              // b may be configured otherwise (voicebridge.synthesizers.b.properties): its own key
              assertThat(CachingSynthesizer.isCached(say(b, "Mine."))).isFalse();
              assertThat(CachingSynthesizer.isCached(say(b, "Mine."))).isTrue();

              // the chain speaks through member a, whose cache already holds the phrase
              StreamingSynthesizer chain = ctx.getBean(StreamingSynthesizer.class);
              assertThat(chain.provider()).isEqualTo("fallback(local,local)");
              SynthesisReport r = say(chain, "Mine.");
              assertThat(r.attributes())
                  .containsEntry("local." + CachingSynthesizer.ATTRIBUTE, CachingSynthesizer.HIT);

              assertThat(ctx.getBean(PhraseCache.class).stats().entries()).isEqualTo(2);
            });
  }

  @Test
  void behindTheCacheTheCatalogAndPrewarmAreTheProvidersInAChainToo() {
    runner
        .withPropertyValues(
            "voicebridge.cache.enabled=true",
            "voicebridge.synthesizers.a.provider=local",
            "voicebridge.fallback.chain=a")
        .run(
            ctx -> {
              StreamingSynthesizer chain = ctx.getBean(StreamingSynthesizer.class);
              VoicePage page = chain.voices(VoiceQuery.all()).toCompletableFuture().get();
              assertThat(page.voices()).extracting(Voice::id).containsExactly("kevin16");
              // the local voice refuses a voice it does not have: the call reached it
              SynthesisOptions nobody = SynthesisOptions.builder().voice("nobody").build();
              assertThatThrownBy(() -> named(ctx, "a").prewarm(nobody))
                  .isInstanceOf(UnsupportedCapabilityException.class);
            });
  }

  @Test
  void warmPhrasesAreHitsOnTheirFirstUse() {
    runner
        .withPropertyValues(
            "voicebridge.cache.enabled=true",
            "voicebridge.cache.warm[0]=Hello! How can I help you today?",
            "voicebridge.cache.warm[1]=One moment, please.")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              PhraseCache phrases = ctx.getBean(PhraseCache.class);
              assertThat(phrases.stats().entries()).isEqualTo(2);
              StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
              assertThat(CachingSynthesizer.isCached(say(tts, "One moment, please."))).isTrue();
              assertThat(CachingSynthesizer.isCached(say(tts, "Hello! How can I help you today?")))
                  .isTrue();
              assertThat(CachingSynthesizer.isCached(say(tts, "Not warmed."))).isFalse();
            });
  }

  @Test
  void aPhraseThatCannotBeWarmedIsLoggedAndTheApplicationStarts() {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
              warnings.add(r);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger("dev.voicebridge.cache");
    logger.addHandler(capture);
    // the vendor refuses the first session (the first phrase), then answers
    fish.control().inject(new Fault.HandshakeStatus(401, null));
    try {
      runner
          .withPropertyValues(
              "voicebridge.provider=fish",
              "voicebridge.fish.api-key=" + KEY,
              "voicebridge.fish.base-url=" + fish.baseUrl(),
              "voicebridge.cache.enabled=true",
              "voicebridge.cache.warm[0]=Refused at start-up.",
              "voicebridge.cache.warm[1]=Warmed after all.")
          .run(
              ctx -> {
                assertThat(ctx).hasNotFailed();
                StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
                assertThat(CachingSynthesizer.isCached(say(tts, "Warmed after all."))).isTrue();
                assertThat(CachingSynthesizer.isCached(say(tts, "Refused at start-up."))).isFalse();
              });
    } finally {
      logger.removeHandler(capture);
    }
    assertThat(warnings).hasSize(1);
    String line = new java.util.logging.SimpleFormatter().formatMessage(warnings.get(0));
    assertThat(line)
        .contains("voicebridge.cache.warm")
        .contains("Refused at start-up.")
        .contains("fish")
        .contains("AuthenticationException")
        .doesNotContain(KEY);
  }

  @Test
  void theStatisticsAreMeters() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class, VoicebridgeAutoConfiguration.class))
        .withBean(MeterRegistry.class, () -> meters)
        .withPropertyValues("voicebridge.provider=local", "voicebridge.cache.enabled=true")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(PhraseCacheMetrics.class);
              assertThat(meters.get("voicebridge.cache.hits").functionCounter().count()).isZero();
              StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
              say(tts, "Counted.");
              say(tts, "Counted.");
              assertThat(meters.get("voicebridge.cache.hits").functionCounter().count())
                  .isEqualTo(1);
              assertThat(meters.get("voicebridge.cache.misses").functionCounter().count())
                  .isEqualTo(1);
              assertThat(meters.get("voicebridge.cache.shared").functionCounter().count()).isZero();
              assertThat(meters.get("voicebridge.cache.evictions").functionCounter().count())
                  .isZero();
              assertThat(meters.get("voicebridge.cache.entries").gauge().value()).isEqualTo(1);
              assertThat(meters.get("voicebridge.cache.bytes").gauge().value())
                  .isEqualTo((double) ctx.getBean(PhraseCache.class).stats().bytes())
                  .isPositive();
            });
    // off with the rest of Voicebridge's instrumentation
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class, VoicebridgeAutoConfiguration.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues(
            "voicebridge.provider=local",
            "voicebridge.cache.enabled=true",
            "voicebridge.observation.enabled=false")
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .hasSingleBean(PhraseCache.class)
                    .doesNotHaveBean(PhraseCacheMetrics.class));
  }

  @Test
  void aDirectoryKeepsPhrasesAcrossRestarts(@TempDir Path dir) throws Exception {
    ApplicationContextRunner onDisk =
        runner.withPropertyValues(
            "voicebridge.cache.enabled=true",
            "voicebridge.cache.directory=" + dir,
            "voicebridge.cache.maximum-disk-bytes=8MB");
    onDisk.run(
        ctx -> {
          assertThat(ctx.getBean(PhraseCache.class).directory()).hasValue(dir);
          assertThat(ctx.getBean(PhraseCache.class).maximumDiskBytes()).isEqualTo(8L << 20);
          say(ctx.getBean(StreamingSynthesizer.class), "Kept on disk.");
        });
    // the context closed the cache, which waited for its writes
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .singleElement()
          .asString()
          .endsWith(".phrase");
    }
    onDisk.run(
        ctx -> {
          SynthesisReport r = say(ctx.getBean(StreamingSynthesizer.class), "Kept on disk.");
          assertThat(CachingSynthesizer.isCached(r)).isTrue();
        });
  }

  @Test
  void withoutTheCacheJarTheApplicationStartsWithoutIt() {
    runner
        .withClassLoader(new FilteredClassLoader(PhraseCache.class))
        .withPropertyValues("voicebridge.cache.enabled=true")
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasNotFailed()
                  .hasSingleBean(StreamingSynthesizer.class)
                  .doesNotHaveBean("voicebridgePhraseCache")
                  .doesNotHaveBean("voicebridgePhraseCacheWrapper");
              StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
              say(tts, "Twice, please.");
              assertThat(say(tts, "Twice, please.").attributes())
                  .doesNotContainKey(CachingSynthesizer.ATTRIBUTE);
            });
  }

  @Test
  void aBadSizeStopsTheApplicationNamingTheProperty() {
    runner
        .withPropertyValues(
            "voicebridge.cache.enabled=true",
            "voicebridge.cache.maximum-bytes=-1MB",
            "voicebridge.cache.max-phrase-chars=0")
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              Throwable root = ctx.getStartupFailure();
              while (root.getCause() != null && !(root instanceof ConfigurationException)) {
                root = root.getCause();
              }
              assertThat(root)
                  .isInstanceOf(ConfigurationException.class)
                  .hasMessageContaining("voicebridge.cache.maximum-bytes must be positive")
                  .hasMessageContaining("voicebridge.cache.max-phrase-chars must be positive");
            });
  }

  @Test
  void theHealthProbeIsNeverAnsweredFromTheCache() {
    runner
        .withPropertyValues(
            "voicebridge.provider=fish",
            "voicebridge.fish.api-key=" + KEY,
            "voicebridge.fish.base-url=" + fish.baseUrl(),
            "voicebridge.cache.enabled=true",
            "voicebridge.health.probe=true",
            "voicebridge.health.probe-ttl=0s")
        .run(
            ctx -> {
              HealthIndicator health =
                  (HealthIndicator)
                      ctx.getBean("voicebridgeHealthContributor", CompositeHealthContributor.class)
                          .getContributor("default");
              int before = fish.control().sessions().size();
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              assertThat(fish.control().sessions())
                  .as("each probe reached Fish")
                  .hasSize(before + 2);
              assertThat(ctx.getBean(PhraseCache.class).stats().entries()).isZero();

              // while the application's phrases are cached
              StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
              say(tts, "Cached.");
              assertThat(CachingSynthesizer.isCached(say(tts, "Cached."))).isTrue();
              assertThat(fish.control().sessions()).hasSize(before + 3);
            });
  }
}
