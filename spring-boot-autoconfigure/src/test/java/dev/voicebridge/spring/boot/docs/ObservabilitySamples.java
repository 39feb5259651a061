package dev.voicebridge.spring.boot.docs;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.micrometer.MicrometerSessionListener;
import dev.voicebridge.observe.SessionInfo;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionListeners;
import dev.voicebridge.observe.SessionObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/** The code samples of docs/observability.md, compiled and run (DocsSamplesTest). */
final class ObservabilitySamples {
  private ObservabilitySamples() {}

  static StreamingSynthesizer metricsOnly(VoicebridgeConfig config, MeterRegistry meters) {
    // tag::metrics-only[]
    StreamingSynthesizer tts =
        SessionListeners.observe(
            StreamingSynthesizers.fromConfig(config),
            List.of(MicrometerSessionListener.of(meters)));
    // end::metrics-only[]
    return tts;
  }

  static StreamingSynthesizer metricsAndTraces(
      VoicebridgeConfig config, ObservationRegistry observations, MeterRegistry meters) {
    // tag::metrics-and-traces[]
    // observations: a registry with a tracing handler (micrometer-tracing) and a
    // DefaultMeterObservationHandler, as Spring Boot's actuator configures it
    SessionListener micrometer =
        MicrometerSessionListener.builder()
            .observationRegistry(observations) // the session span and timer
            .meterRegistry(meters) // first-audio timers, counters, errors
            .tagVoice(false) // the default: no time series per voice
            .build();
    StreamingSynthesizer tts =
        SessionListeners.observe(StreamingSynthesizers.fromConfig(config), List.of(micrometer));
    // end::metrics-and-traces[]
    return tts;
  }

  // tag::custom-listener[]
  /** Hands each session's outcome to a queue that another thread writes to an audit log. */
  public static final class AuditListener implements SessionListener {
    private final BlockingQueue<String> audit;

    public AuditListener(BlockingQueue<String> audit) {
      this.audit = audit;
    }

    @Override
    public SessionObserver opened(SessionInfo session) {
      return new SessionObserver() {
        @Override
        public void firstAudio(Duration timeToFirstAudio) {
          if (timeToFirstAudio.toMillis() > 1_000) {
            audit.offer(session.provider() + " slow first audio: " + timeToFirstAudio);
          }
        }

        @Override
        public void completed(SynthesisReport report) {
          audit.offer(session.provider() + " spoke " + report.charactersSent() + " chars");
        }

        @Override
        public void failed(VoicebridgeException error, SynthesisReport report) {
          // offer, never put: a listener must not block the thread that reports
          audit.offer(session.provider() + " failed: " + error.getClass().getSimpleName());
        }
      };
    }
  }
  // end::custom-listener[]
}
