/**
 * The Deepgram Aura emulator: {@link dev.voicebridge.emulator.deepgram.DeepgramEmulator}, a
 * loopback server for Deepgram's text-to-speech WebSocket ({@code GET /v1/speak}: {@code Speak},
 * {@code Flush}, {@code Clear}, {@code Close} in; binary audio, {@code Metadata}, {@code Flushed},
 * {@code Cleared}, {@code Warning} and close codes out) and REST endpoint ({@code POST /v1/speak},
 * a streamed audio body), with Deepgram's limits, error shapes and latency, faults and records. For
 * tests and offline development; written from the protocol note, never from adapter code. See
 * {@code emulator/README-deepgram.md}.
 */
package dev.voicebridge.emulator.deepgram;
