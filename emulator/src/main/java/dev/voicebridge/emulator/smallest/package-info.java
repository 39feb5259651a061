/**
 * The Smallest AI "Waves" (Lightning v3.1) emulator: {@link
 * dev.voicebridge.emulator.smallest.SmallestEmulator}, a loopback server speaking the WebSocket
 * ({@code /waves/v1/tts/live}), SSE ({@code POST /waves/v1/tts/live}) and synchronous ({@code POST
 * /waves/v1/tts}) protocols, with Smallest's buffering, completion, error and timeout rules. For
 * tests and offline development; written from the protocol note, never from adapter code.
 */
package dev.voicebridge.emulator.smallest;
