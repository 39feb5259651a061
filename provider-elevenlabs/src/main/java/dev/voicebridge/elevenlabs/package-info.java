/**
 * ElevenLabs for Voicebridge, for applications: {@link
 * dev.voicebridge.elevenlabs.ElevenLabsOptions} holds the typed vendor options (voice settings,
 * buffering, transport choice...), and {@link dev.voicebridge.elevenlabs.ElevenLabsProvider} is the
 * ServiceLoader factory selected with {@code voicebridge.provider=elevenlabs}.
 */
package dev.voicebridge.elevenlabs;
