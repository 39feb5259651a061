/**
 * The Cartesia emulator: {@link dev.voicebridge.emulator.cartesia.CartesiaEmulator}, a local server
 * for Cartesia's text-to-speech WebSocket ({@code /tts/websocket}, contexts multiplexed on one
 * socket), its server-sent events ({@code /tts/sse}) and its bytes endpoint ({@code /tts/bytes}),
 * with faults and records. For tests, demos and benchmarks of the Cartesia adapter; built from the
 * protocol note, never from adapter code. See {@code emulator/README-cartesia.md}.
 */
package dev.voicebridge.emulator.cartesia;
