/**
 * The ElevenLabs adapter's implementation (synthesizer, session backends, wire codec and DTOs). Not
 * exported; nothing here is API.
 */
package dev.voicebridge.elevenlabs.internal;
