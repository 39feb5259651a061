package dev.voicebridge.spring.boot;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one synthesizer: UP when it was created (its configuration is valid: an invalid one
 * stops the application at start-up), with its provider and transports; with {@code
 * voicebridge.health.probe=true}, also a connectivity probe (a short synthesis), whose result is
 * cached for {@code probe-ttl}. Details never hold a secret: errors are described by their class
 * and message, which the library keeps free of keys.
 */
final class SynthesizerHealthIndicator implements HealthIndicator {
  private final StreamingSynthesizer synthesizer;
  private final VoicebridgeProperties.Health settings;
  private volatile Probe last;

  private record Probe(Instant at, Health health) {}

  SynthesizerHealthIndicator(
      StreamingSynthesizer synthesizer, VoicebridgeProperties.Health settings) {
    this.synthesizer = synthesizer;
    this.settings = settings;
  }

  @Override
  public Health health() {
    if (!settings.isProbe()) {
      return base(Health.up()).build();
    }
    Probe p = last;
    if (p == null || Instant.now().isAfter(p.at().plus(settings.getProbeTtl()))) {
      synchronized (this) {
        p = last;
        if (p == null || Instant.now().isAfter(p.at().plus(settings.getProbeTtl()))) {
          p = new Probe(Instant.now(), probe());
          last = p;
        }
      }
    }
    return p.health();
  }

  private Health.Builder base(Health.Builder b) {
    return b.withDetail("provider", synthesizer.provider())
        .withDetail("transports", synthesizer.capabilities().transports())
        .withDetail("configuration", "valid");
  }

  private Health probe() {
    Instant at = Instant.now();
    Duration timeout = settings.getProbeTimeout();
    SynthesisSession session = null;
    try {
      session = synthesizer.open();
      AtomicLong bytes = new AtomicLong();
      session
          .events()
          .subscribe(
              new Flow.Subscriber<SynthesisEvent>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                  s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(SynthesisEvent e) {
                  if (e instanceof AudioChunk c) {
                    bytes.addAndGet(c.size());
                  }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
              });
      session.sendText(settings.getProbeText());
      session.finish();
      SynthesisReport r =
          session.completion().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      boolean ok = bytes.get() > 0;
      return base(ok ? Health.up() : Health.down())
          .withDetail("probe", ok ? "synthesized" : "no audio")
          .withDetail(
              "probeTimeToFirstAudioMs", r.timeToFirstAudio().map(Duration::toMillis).orElse(-1L))
          .withDetail("probedAt", at.toString())
          .build();
    } catch (TimeoutException e) {
      return base(Health.down())
          .withDetail("probe", "no completion within " + timeout.toMillis() + " ms")
          .withDetail("probedAt", at.toString())
          .build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return base(Health.unknown()).withDetail("probe", "interrupted").build();
    } catch (ExecutionException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      Health.Builder b =
          base(Health.down())
              .withDetail("probe", "failed")
              .withDetail("error", cause.getClass().getSimpleName())
              .withDetail("probedAt", at.toString());
      if (cause instanceof VoicebridgeException v) {
        // the library's messages never contain a key
        b.withDetail("retryable", v.isRetryable()).withDetail("message", v.getMessage());
      }
      return b.build();
    } finally {
      if (session != null) {
        session.close();
      }
    }
  }
}
