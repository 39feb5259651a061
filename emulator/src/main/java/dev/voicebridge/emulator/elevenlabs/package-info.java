/**
 * The ElevenLabs emulator: {@link dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator}, a local
 * server for the {@code stream-input} and {@code multi-stream-input} WebSockets and the HTTP
 * streaming endpoints of ElevenLabs text to speech, with faults and records. For tests, demos and
 * benchmarks of the ElevenLabs adapter; built from the protocol note, never from adapter code. See
 * {@code emulator/README-elevenlabs.md}.
 */
package dev.voicebridge.emulator.elevenlabs;
