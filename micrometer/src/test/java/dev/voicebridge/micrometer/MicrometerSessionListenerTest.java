package dev.voicebridge.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.observe.SessionListeners;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MicrometerSessionListenerTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final MemorySynthesizer memory = new MemorySynthesizer(now::get);
  final MeterRegistry meters = new SimpleMeterRegistry();
  final TestObservationRegistry observations = TestObservationRegistry.create();

  final Map<String, DistributionStatisticConfig> histograms = new ConcurrentHashMap<>();

  {
    meters
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                histograms.put(id.getName(), config);
                return config;
              }
            });
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
  }

  private StreamingSynthesizer observed(MicrometerSessionListener listener) {
    return SessionListeners.observe(memory, List.of(listener));
  }

  private static ByteBuffer bytes(int n) {
    return ByteBuffer.wrap(new byte[n]);
  }

  @Test
  void aSessionGivesTheSessionObservationAndTheCoreFigures() {
    StreamingSynthesizer tts = observed(MicrometerSessionListener.of(observations, meters));
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    SynthesisStream stream = s.stream();
    now.addAndGet(20_000_000);
    memory.last().connected(false);
    s.sendText("Hello there.");
    now.addAndGet(100_000_000);
    s.flush();
    now.addAndGet(80_000_000);
    memory.last().audio(bytes(3200));
    s.finish();
    memory.last().audio(bytes(1600));
    memory.last().complete();
    assertThat(stream.readAllAudio()).hasSize(4800);

    assertThat(observations)
        .hasObservationWithNameEqualTo("voicebridge.session")
        .that()
        .hasContextualNameEqualTo("synthesize memory")
        .hasLowCardinalityKeyValue("provider", "memory")
        .hasLowCardinalityKeyValue("transport", "in-memory")
        .hasLowCardinalityKeyValue("model", "m1")
        .hasLowCardinalityKeyValue("outcome", "completed")
        .doesNotHaveLowCardinalityKeyValueWithKey("voice")
        .hasBeenStarted()
        .hasBeenStopped();

    Timer session =
        meters.get("voicebridge.session").tag("outcome", "completed").tag("model", "m1").timer();
    assertThat(session.count()).isEqualTo(1);
    Timer ttfa =
        meters.get(MicrometerSessionListener.FIRST_AUDIO).tag("provider", "memory").timer();
    assertThat(ttfa.count()).isEqualTo(1);
    assertThat(ttfa.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(180.0);
    assertThat(histograms.get(MicrometerSessionListener.FIRST_AUDIO).isPercentileHistogram())
        .isTrue();
    assertThat(histograms.get(MicrometerSessionListener.FLUSH_FIRST_AUDIO).isPercentileHistogram())
        .isTrue();
    assertThat(
            meters
                .get(MicrometerSessionListener.FLUSH_FIRST_AUDIO)
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(80.0);
    assertThat(
            meters
                .get(MicrometerSessionListener.CONNECTION_SETUP)
                .tag("reused", "false")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(20.0);
    assertThat(meters.get(MicrometerSessionListener.CHARACTERS).counter().count()).isEqualTo(12);
    assertThat(meters.get(MicrometerSessionListener.AUDIO_BYTES).counter().count()).isEqualTo(4800);
    assertThat(meters.find(MicrometerSessionListener.ERRORS).counter()).isNull();
    // the session ended: no active session left
    assertThat(meters.get("voicebridge.session.active").longTaskTimer().activeTasks()).isZero();
  }

  @Test
  void aFailureIsCountedByKindAndRetryability() {
    StreamingSynthesizer tts = observed(MicrometerSessionListener.of(observations, meters));
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    SynthesisStream stream = s.stream();
    assertThat(meters.get("voicebridge.session.active").longTaskTimer().activeTasks()).isOne();
    memory.last().fail(new ProviderUnavailableException("memory", 503, null, "HTTP 503: down"));
    assertThatThrownBy(stream::readAllAudio).isInstanceOf(ProviderUnavailableException.class);

    assertThat(
            meters
                .get(MicrometerSessionListener.ERRORS)
                .tag("error.kind", "ProviderUnavailableException")
                .tag("retryable", "true")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("voicebridge.session")
                .tag("outcome", "failed")
                .tag("error", "ProviderUnavailableException")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(observations)
        .hasObservationWithNameEqualTo("voicebridge.session")
        .that()
        .hasError()
        .hasLowCardinalityKeyValue("outcome", "failed");
    assertThat(meters.get("voicebridge.session.active").longTaskTimer().activeTasks()).isZero();
  }

  @Test
  void theVoiceIsTaggedOnlyWhenAskedFor() {
    StreamingSynthesizer tts =
        observed(
            MicrometerSessionListener.builder()
                .observationRegistry(observations)
                .meterRegistry(meters)
                .tagVoice(true)
                .build());
    tts.open(SynthesisOptions.builder().voice("aria").build()).cancel();
    assertThat(observations)
        .hasObservationWithNameEqualTo("voicebridge.session")
        .that()
        .hasLowCardinalityKeyValue("voice", "aria")
        .hasLowCardinalityKeyValue("outcome", "cancelled");
  }

  @Test
  void theSessionSpanIsAChildOfTheCallersSpanWithEventsAtFirstAudioAndFlushes() {
    SimpleTracer tracer = new SimpleTracer();
    TestObservationRegistry registry = TestObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    StreamingSynthesizer tts =
        observed(MicrometerSessionListener.builder().observationRegistry(registry).build());

    Observation request = Observation.start("http.request", registry);
    SynthesisSession s;
    try (Observation.Scope scope = request.openScope()) {
      s = tts.open(SynthesisOptions.defaults());
    }
    SynthesisStream stream = s.stream();
    s.sendText("One.");
    s.flush();
    memory.last().audio(bytes(320));
    s.sendText("Two.");
    s.flush();
    memory.last().audio(bytes(320)); // answers the second flush
    s.finish();
    memory.last().complete();
    assertThat(stream.readAllAudio()).hasSize(640);
    request.stop();

    SimpleSpan parent =
        tracer.getSpans().stream()
            .filter(sp -> sp.getName().equals("http.request"))
            .findFirst()
            .orElseThrow();
    SimpleSpan session =
        tracer.getSpans().stream()
            .filter(sp -> sp.getName().equals("synthesize memory"))
            .findFirst()
            .orElseThrow();
    assertThat(session.getParentId()).isEqualTo(parent.getSpanId());
    assertThat(session.getTraceId()).isEqualTo(parent.getTraceId());
    assertThat(session.getEvents().stream().map(Map.Entry::getValue))
        .containsExactly(
            "first audio delivered", "first audio after flush 0", "first audio after flush 1");
    assertThat(session.getTags()).containsEntry("provider", "memory");
  }

  @Test
  void theLocalProviderIsInstrumentedWithoutAnyCodeOfItsOwn() throws Exception {
    MicrometerSessionListener listener = MicrometerSessionListener.of(meters);
    try (StreamingSynthesizer local =
        SessionListeners.observe(
            StreamingSynthesizers.create("local", VoicebridgeConfig.empty()), List.of(listener))) {
      try (SynthesisStream s = local.synthesize("Metrics for every provider.")) {
        assertThat(s.audio().readAllBytes()).isNotEmpty();
      }
    }
    assertThat(
            meters
                .get("voicebridge.session")
                .tag("provider", "local")
                .tag("transport", "local")
                .tag("outcome", "completed")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get(MicrometerSessionListener.FIRST_AUDIO)
                .tag("provider", "local")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(meters.get(MicrometerSessionListener.CHARACTERS).counter().count())
        .isEqualTo("Metrics for every provider.".length());
  }

  @Test
  void theGlobalListenerIsCreatedFromConfiguration() {
    VoicebridgeConfig config =
        VoicebridgeConfig.of(
            Map.of(
                SessionListeners.LISTENERS_KEY,
                GlobalMetricsListener.class.getName(),
                SessionListeners.DISCOVER_KEY,
                "false"));
    assertThat(SessionListeners.fromConfig(config, getClass().getClassLoader()))
        .singleElement()
        .isInstanceOf(GlobalMetricsListener.class);
  }

  @Test
  void aListenerNeedsARegistry() {
    assertThatThrownBy(() -> MicrometerSessionListener.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThat(Duration.ZERO).isZero();
  }
}
