/**
 * Small, dependency-free audio utilities shared by everything that handles raw speech audio.
 *
 * <p>Who it is for: provider adapters (parsing the WAV headers vendors stream, converting a
 * vendor's sample rate or G.711 output into the format the application asked for), the emulator
 * (producing audio in every format a vendor offers) and applications (writing a WAV file, computing
 * the duration of PCM, resampling for a telephony or playback device).
 *
 * <ul>
 *   <li>{@link dev.voicebridge.audio.Wav} writes and reads RIFF/WAVE headers, including the
 *       "unknown length" headers of streamed WAV;
 *   <li>{@link dev.voicebridge.audio.Pcm} converts 16-bit little-endian PCM between bytes and
 *       samples and computes durations;
 *   <li>{@link dev.voicebridge.audio.Resampler} changes the sample rate of 16-bit mono PCM, in a
 *       streaming fashion;
 *   <li>{@link dev.voicebridge.audio.G711} encodes and decodes ITU-T G.711 mu-law and A-law.
 * </ul>
 *
 * <p>All classes are stateless and thread-safe except {@link dev.voicebridge.audio.Resampler}
 * instances, which carry stream state and must be used by one thread at a time.
 */
package dev.voicebridge.audio;
