package dev.voicebridge.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.micrometer.MicrometerSessionListener;
import dev.voicebridge.observe.SessionInfo;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionObserver;
import dev.voicebridge.spi.conformance.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class VoicebridgeAutoConfigurationTest {
  static final String KEY = "fish-test-key-5c1e";
  static List<VendorEmulator> emulators;

  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(VoicebridgeAutoConfiguration.class));

  @BeforeAll
  static void start() {
    emulators = Emulators.startAll(EmulatorConfig.builder().apiKey(KEY).build());
  }

  @AfterAll
  static void stop() {
    emulators.forEach(VendorEmulator::close);
  }

  static String fishUrl() {
    return emulators.get(0).baseUrl().toString();
  }

  /** Fish, on the emulator, as the default synthesizer; then {@code more}. */
  static String[] fish(String... more) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "voicebridge.provider=fish",
                "voicebridge.fish.api-key=" + KEY,
                "voicebridge.fish.base-url=" + fishUrl()));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  private static HealthIndicator indicator(
      org.springframework.context.ApplicationContext ctx, String name) {
    return (HealthIndicator)
        ctx.getBean("voicebridgeHealthContributor", CompositeHealthContributor.class)
            .getContributor(name);
  }

  @Test
  void theProviderNamedInPropertiesIsTheStreamingSynthesizerBeanAndClosesWithTheContext() {
    StreamingSynthesizer[] kept = new StreamingSynthesizer[1];
    runner
        .withPropertyValues("voicebridge.provider=local")
        .run(
            ctx -> {
              StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
              assertThat(tts.provider()).isEqualTo("local");
              try (SynthesisStream s = tts.synthesize("Spring.")) {
                assertThat(s.readAllAudio()).isNotEmpty();
              }
              kept[0] = tts;
            });
    assertThatThrownBy(() -> kept[0].open()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void providerKeysAreBoundWithRelaxedBindingFromAnyPropertySource() {
    runner
        .withPropertyValues("voicebridge.provider=fish", "voicebridge.fish.baseUrl=" + fishUrl())
        .withInitializer(
            ctx ->
                ctx.getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            "test-systemEnvironment", Map.of("VOICEBRIDGE_FISH_APIKEY", KEY))))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              try (SynthesisStream s = ctx.getBean(StreamingSynthesizer.class).synthesize("Hi.")) {
                assertThat(s.readAllAudio()).isNotEmpty();
              }
            });
  }

  @Test
  void everyConfigurationProblemStopsTheApplicationWithoutQuotingTheSecret() {
    runner
        .withPropertyValues(
            "voicebridge.provider=fish",
            "voicebridge.fish.api-key=" + KEY,
            "voicebridge.fish.base-url=not a url",
            "voicebridge.fish.modle=s1")
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              Throwable root = ctx.getStartupFailure();
              while (root.getCause() != null && !(root instanceof ConfigurationException)) {
                root = root.getCause();
              }
              assertThat(root)
                  .isInstanceOf(ConfigurationException.class)
                  .hasMessageContaining("voicebridge.fish.base-url")
                  .hasMessageContaining("voicebridge.fish.modle is not a key of provider 'fish'");
              assertThat(root.getMessage()).doesNotContain(KEY);
            });
  }

  @Test
  void namedSynthesizersAndAFallbackChainComeFromProperties() {
    runner
        .withPropertyValues(
            "voicebridge.fish.api-key=" + KEY,
            "voicebridge.fish.base-url=" + fishUrl(),
            "voicebridge.synthesizers.primary.provider=fish",
            "voicebridge.synthesizers.backup.provider=local",
            "voicebridge.fallback.chain=primary,backup")
        .run(
            ctx -> {
              StreamingSynthesizer tts = ctx.getBean(StreamingSynthesizer.class);
              assertThat(tts.provider()).isEqualTo("fallback(fish,local)");
              StreamingSynthesizer backup =
                  BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                      ctx.getBeanFactory(), StreamingSynthesizer.class, "backup");
              assertThat(backup.provider()).isEqualTo("local");
              assertThat(ctx.getBean(VoicebridgeSynthesizers.class).all())
                  .containsOnlyKeys("default", "primary", "backup");

              // Fish refuses: the session fails over to the local voice
              emulators.get(0).control().inject(new Fault.HandshakeStatus(503, null));
              try (SynthesisStream s = tts.synthesize("Fail over.")) {
                assertThat(s.readAllAudio()).isNotEmpty();
                assertThat(s.report().attributes()).containsEntry("fallback.provider", "local");
              }
            });
  }

  @Test
  void theMicrometerInstrumentationIsOnWhenARegistryIsThere() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    runner
        .withPropertyValues("voicebridge.provider=local")
        .withBean(MeterRegistry.class, () -> meters)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(MicrometerSessionListener.class);
              try (SynthesisStream s =
                  ctx.getBean(StreamingSynthesizer.class).synthesize("Counted.")) {
                s.readAllAudio();
              }
            });
    assertThat(
            meters
                .get("voicebridge.session")
                .tag("provider", "local")
                .tag("outcome", "completed")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(meters.get(MicrometerSessionListener.FIRST_AUDIO).timer().count()).isEqualTo(1);
  }

  @Test
  void withoutARegistryThereIsNoInstrumentationAndApplicationListenersStillObserve() {
    List<String> seen = new CopyOnWriteArrayList<>();
    SessionListener mine =
        (SessionInfo info) -> {
          seen.add(info.provider());
          return SessionObserver.NONE;
        };
    runner
        .withPropertyValues("voicebridge.provider=local")
        .withBean(SessionListener.class, () -> mine)
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean(MicrometerSessionListener.class);
              ctx.getBean(StreamingSynthesizer.class).open().cancel();
            });
    assertThat(seen).containsExactly("local");
  }

  @Test
  void eachSynthesizerHasAHealthIndicatorAndAProbeNeverShowsTheKey() {
    runner
        .withPropertyValues(fish("voicebridge.synthesizers.offline.provider=local"))
        .run(
            ctx -> {
              Health h = indicator(ctx, "default").health();
              assertThat(h.getStatus()).isEqualTo(Status.UP);
              assertThat(h.getDetails())
                  .containsEntry("provider", "fish")
                  .containsEntry("configuration", "valid");
              assertThat(indicator(ctx, "offline").health().getDetails())
                  .containsEntry("provider", "local");
            });
    runner
        .withPropertyValues(fish("voicebridge.health.probe=true"))
        .run(
            ctx -> {
              HealthIndicator fish = indicator(ctx, "default");
              emulators.get(0).control().inject(new Fault.HandshakeStatus(401, null));
              Health down = fish.health();
              assertThat(down.getStatus()).isEqualTo(Status.DOWN);
              assertThat(down.getDetails()).containsEntry("probe", "failed");
              assertThat(down.toString()).doesNotContain(KEY);
              // cached: the next check does not probe again
              assertThat(fish.health()).isSameAs(down);
            });
    runner
        .withPropertyValues(fish("voicebridge.health.probe=true"))
        .run(
            ctx -> {
              Health up = indicator(ctx, "default").health();
              assertThat(up.getStatus()).isEqualTo(Status.UP);
              assertThat(up.getDetails()).containsEntry("probe", "synthesized");
            });
  }

  @Test
  void voicebridgeCanBeTurnedOff() {
    runner
        .withPropertyValues("voicebridge.enabled=false", "voicebridge.provider=local")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(StreamingSynthesizer.class));
  }
}
