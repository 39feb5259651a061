package dev.voicebridge.micrometer;

import dev.voicebridge.observe.SessionInfo;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionObserver;
import io.micrometer.core.instrument.Metrics;

/**
 * Metrics into Micrometer's global registry ({@link Metrics#globalRegistry}), for applications that
 * register listeners in configuration: {@code
 * voicebridge.listeners=dev.voicebridge.micrometer.GlobalMetricsListener}. Applications with their
 * own registries use {@link MicrometerSessionListener} instead (the Spring Boot starter does).
 */
public final class GlobalMetricsListener implements SessionListener {
  private final MicrometerSessionListener delegate =
      MicrometerSessionListener.of(Metrics.globalRegistry);

  /** Records into {@link Metrics#globalRegistry}. */
  public GlobalMetricsListener() {}

  @Override
  public SessionObserver opened(SessionInfo session) {
    return delegate.opened(session);
  }
}
