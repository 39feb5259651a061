/**
 * Smallest AI (Waves, Lightning v3.1) for Voicebridge, for applications: {@link
 * dev.voicebridge.smallest.SmallestProvider} is found by {@code ServiceLoader} under the name
 * {@code smallest}; {@link dev.voicebridge.smallest.SmallestOptions} holds the typed Smallest-only
 * options. Configuration keys live under {@code voicebridge.smallest.}; the API key falls back to
 * the {@code SMALLEST_API_KEY} environment variable.
 */
package dev.voicebridge.smallest;
