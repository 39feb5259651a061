/**
 * Voicebridge's vendor emulators: local servers on loopback that speak the Fish Audio, ElevenLabs
 * and Smallest AI wire protocols, with latency profiles ({@link
 * dev.voicebridge.emulator.LatencyProfile}), injectable faults and records of every session ({@link
 * dev.voicebridge.emulator.EmulatorControl}), for offline development and conformance tests. This
 * package holds what every emulator shares; each vendor has its own package.
 */
package dev.voicebridge.emulator;
