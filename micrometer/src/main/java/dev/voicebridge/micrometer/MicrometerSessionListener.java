package dev.voicebridge.micrometer;

import dev.voicebridge.SynthesisReport;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.observe.SessionInfo;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionObserver;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Publishes every synthesis session to Micrometer: one {@link Observation} per session (through the
 * registry's handlers: the session timer and active-sessions gauge with {@link
 * DefaultMeterObservationHandler}, a trace span with a tracing handler, with events at the first
 * audio and at each answered flush), plus, when a {@link MeterRegistry} is given, the figures the
 * session core measured: time to first audio, per flush and for connection set-up (timers with
 * percentile histograms), characters and audio bytes (counters) and errors by kind and
 * retryability. Names and tags: docs/observability.md.
 *
 * <pre>{@code
 * SessionListener metrics = MicrometerSessionListener.builder()
 *     .observationRegistry(observationRegistry)  // spans and the session timer, by its handlers
 *     .meterRegistry(meterRegistry)              // first-audio timers, counters
 *     .build();
 * StreamingSynthesizer tts = SessionListeners.observe(StreamingSynthesizers.fromConfig(), List.of(metrics));
 * }</pre>
 *
 * The observation's parent is the caller's current observation (its span) when the session opens,
 * so a session's span nests under the request that opened it. Thread-safe; cheap per event (no
 * blocking).
 */
public final class MicrometerSessionListener implements SessionListener {
  /** Timer: from the first text until the first audio was delivered. */
  public static final String FIRST_AUDIO = "voicebridge.first.audio";

  /** Timer: from a flush until the first audio after it. */
  public static final String FLUSH_FIRST_AUDIO = "voicebridge.flush.first.audio";

  /** Timer: connection set-up (tag {@code reused}). */
  public static final String CONNECTION_SETUP = "voicebridge.connection.setup";

  /** Counter: characters of text sent. */
  public static final String CHARACTERS = "voicebridge.characters";

  /** Counter: audio bytes received. */
  public static final String AUDIO_BYTES = "voicebridge.audio.bytes";

  /** Counter: failed sessions (tags {@code error.kind}, {@code retryable}). */
  public static final String ERRORS = "voicebridge.errors";

  /** Event of the session observation (span event): the first audio. */
  public static final String EVENT_FIRST_AUDIO = "first-audio";

  /** Event of the session observation (span event): the first audio after a flush. */
  public static final String EVENT_FLUSH = "flush-answered";

  private final ObservationRegistry observations;
  private final MeterRegistry meters;
  private final DefaultSynthesisObservationConvention defaults;
  private final SynthesisObservationConvention custom;

  private MicrometerSessionListener(Builder b) {
    this.meters = b.meters;
    this.observations = b.observations != null ? b.observations : ObservationRegistry.create();
    if (b.observations == null && b.meters != null) {
      this.observations
          .observationConfig()
          .observationHandler(new DefaultMeterObservationHandler(b.meters));
    }
    this.defaults = new DefaultSynthesisObservationConvention(b.tagVoice);
    this.custom = b.convention;
  }

  /**
   * {@return metrics only, into {@code meters}: the session observation is measured by a {@link
   * DefaultMeterObservationHandler} on a private observation registry}
   *
   * @param meters the meters
   */
  public static MicrometerSessionListener of(MeterRegistry meters) {
    return builder().meterRegistry(meters).build();
  }

  /**
   * {@return metrics and traces: the session observation goes to {@code observations}' handlers}
   *
   * @param observations the observations
   * @param meters the meters
   */
  public static MicrometerSessionListener of(
      ObservationRegistry observations, MeterRegistry meters) {
    return builder().observationRegistry(observations).meterRegistry(meters).build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public SessionObserver opened(SessionInfo session) {
    SynthesisObservationContext context = new SynthesisObservationContext(session);
    Observation observation =
        Observation.createNotStarted(custom, defaults, () -> context, observations)
            .parentObservation(observations.getCurrentObservation())
            .start();
    if (observation.isNoop() && meters == null) {
      return SessionObserver.NONE;
    }
    Tags tags = meters == null ? Tags.empty() : toTags(defaults.sessionKeyValues(context));
    return new Observer(observation, context, tags);
  }

  private static Tags toTags(KeyValues kv) {
    List<io.micrometer.core.instrument.Tag> out = new ArrayList<>();
    for (KeyValue k : kv) {
      out.add(io.micrometer.core.instrument.Tag.of(k.getKey(), k.getValue()));
    }
    return Tags.of(out);
  }

  private final class Observer implements SessionObserver {
    private final Observation observation;
    private final SynthesisObservationContext context;
    private final Tags tags;

    Observer(Observation observation, SynthesisObservationContext context, Tags tags) {
      this.observation = observation;
      this.context = context;
      this.tags = tags;
    }

    @Override
    public void connected(Duration setup, boolean reused) {
      if (meters != null) {
        io.micrometer.core.instrument.Timer.builder(CONNECTION_SETUP)
            .description("Connection set-up of a synthesis session")
            .tags(tags)
            .tag("reused", Boolean.toString(reused))
            .publishPercentileHistogram()
            .register(meters)
            .record(setup);
      }
    }

    @Override
    public void firstAudio(Duration timeToFirstAudio) {
      observation.event(Observation.Event.of(EVENT_FIRST_AUDIO, "first audio delivered"));
      if (meters != null) {
        io.micrometer.core.instrument.Timer.builder(FIRST_AUDIO)
            .description("Time from the first text to the first audio delivered")
            .tags(tags)
            .publishPercentileHistogram()
            .register(meters)
            .record(timeToFirstAudio);
      }
    }

    @Override
    public void flushAnswered(int flush, Duration latency) {
      observation.event(Observation.Event.of(EVENT_FLUSH, "first audio after flush " + flush));
      if (meters != null) {
        io.micrometer.core.instrument.Timer.builder(FLUSH_FIRST_AUDIO)
            .description("Time from a flush to the first audio after it")
            .tags(tags)
            .publishPercentileHistogram()
            .register(meters)
            .record(latency);
      }
    }

    @Override
    public void completed(SynthesisReport report) {
      end("completed", report, null);
    }

    @Override
    public void failed(VoicebridgeException error, SynthesisReport report) {
      if (meters != null) {
        meters
            .counter(
                ERRORS,
                tags.and(
                    "error.kind",
                    error.getClass().getSimpleName(),
                    "retryable",
                    Boolean.toString(error.isRetryable())))
            .increment();
      }
      observation.error(error);
      end("failed", report, error);
    }

    @Override
    public void cancelled(SynthesisReport report) {
      end("cancelled", report, null);
    }

    private void end(String outcome, SynthesisReport report, VoicebridgeException error) {
      context.ended(outcome, report, error);
      if (meters != null) {
        meters.counter(CHARACTERS, tags).increment(report.charactersSent());
        meters.counter(AUDIO_BYTES, tags).increment(report.bytesReceived());
      }
      observation.stop();
    }
  }

  /** Builds a {@link MicrometerSessionListener}. */
  public static final class Builder {
    private ObservationRegistry observations;
    private MeterRegistry meters;
    private boolean tagVoice;
    private SynthesisObservationConvention convention;

    private Builder() {}

    /**
     * The observation registry whose handlers measure and trace each session (a tracing handler
     * makes the span; a {@link DefaultMeterObservationHandler} the session timer). Without one, a
     * private registry with a {@link DefaultMeterObservationHandler} on the meter registry.
     *
     * @param registry the meter registry
     * @return this builder
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observations = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The meter registry for the figures the session core measured (optional).
     *
     * @param registry the meter registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meters = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Whether to tag the voice (off by default: one time series per voice).
     *
     * @param tagVoice whether tag voice
     * @return this builder
     */
    public Builder tagVoice(boolean tagVoice) {
      this.tagVoice = tagVoice;
      return this;
    }

    /**
     * A convention that replaces the default names and tags of the session observation.
     *
     * @param convention the convention
     * @return this builder
     */
    public Builder convention(SynthesisObservationConvention convention) {
      this.convention = convention;
      return this;
    }

    /**
     * {@return the listener}
     *
     * @throws IllegalStateException when neither registry is set
     */
    public MicrometerSessionListener build() {
      if (observations == null && meters == null) {
        throw new IllegalStateException("set an observation registry, a meter registry or both");
      }
      return new MicrometerSessionListener(this);
    }
  }
}
