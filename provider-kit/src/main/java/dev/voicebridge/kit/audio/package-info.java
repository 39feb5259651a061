/**
 * Small, dependency-free audio helpers for adapters and the emulator: converting a vendor's output
 * into the format the application asked for.
 *
 * <ul>
 *   <li>{@link dev.voicebridge.kit.audio.Pcm} converts 16-bit little-endian PCM between bytes and
 *       samples and computes durations;
 *   <li>{@link dev.voicebridge.kit.audio.Resampler} changes the sample rate of 16-bit mono PCM, in
 *       a streaming fashion;
 *   <li>{@link dev.voicebridge.kit.audio.G711} encodes and decodes ITU-T G.711 mu-law and A-law.
 * </ul>
 *
 * <p>All classes are stateless and thread-safe except {@link dev.voicebridge.kit.audio.Resampler}
 * instances, which carry stream state and must be used by one thread at a time.
 */
package dev.voicebridge.kit.audio;
