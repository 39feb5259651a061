/**
 * WAV for applications: {@link dev.voicebridge.audio.Wav} writes and reads RIFF/WAVE headers,
 * including the "unknown length" headers of streamed WAV, and {@link dev.voicebridge.audio.WavInfo}
 * describes one. Stateless and thread-safe.
 *
 * <p>The sample-level helpers adapters and the emulator need (16-bit PCM conversion, resampling,
 * G.711) are in the provider kit, {@code dev.voicebridge.kit.audio}: an application asks for the
 * format it wants in {@code SynthesisOptions} and gets it.
 */
package dev.voicebridge.audio;
