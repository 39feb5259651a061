/**
 * The soak program {@link dev.voicebridge.benchmarks.soak.Soak}: thousands of sequential and
 * cancelled sessions per provider against the in-process emulators, sampling heap after GC, live
 * threads and open file descriptors to show that nothing grows.
 */
package dev.voicebridge.benchmarks.soak;
