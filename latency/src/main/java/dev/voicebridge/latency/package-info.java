/**
 * A/B latency comparison: {@link dev.voicebridge.latency.Script} (text plus token timing), {@link
 * dev.voicebridge.latency.Comparison} (interleaved runs, cold and warm), {@link
 * dev.voicebridge.latency.Stats} (percentiles, bootstrap interval of the difference of medians) and
 * {@link dev.voicebridge.latency.Reports} (JSON and a self-contained HTML page with SVG charts).
 */
package dev.voicebridge.latency;
