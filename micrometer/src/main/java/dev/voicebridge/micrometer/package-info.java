/**
 * Micrometer instrumentation of every synthesis session, built on the session listener SPI ({@link
 * dev.voicebridge.observe.SessionListener}) and Micrometer's Observation API, so one
 * instrumentation gives metrics and traces: {@link
 * dev.voicebridge.micrometer.MicrometerSessionListener}; and the phrase cache's statistics as
 * meters: {@link dev.voicebridge.micrometer.PhraseCacheMetrics}. Metric and span names, tags and
 * the Prometheus and OpenTelemetry routes are in docs/observability.md.
 */
package dev.voicebridge.micrometer;
