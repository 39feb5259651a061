/**
 * Benchmark programs behind {@code docs/performance.md}: added latency, connection reuse, scale and
 * the peer comparison with the vendors' own clients. Run through {@link
 * dev.voicebridge.benchmarks.Bench}.
 */
package dev.voicebridge.benchmarks;
