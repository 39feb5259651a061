/** JMH micro-benchmarks: codec throughput per vendor against bare copy and base64 baselines. */
package dev.voicebridge.benchmarks.jmh;
