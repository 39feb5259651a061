/**
 * The Fish Audio provider, for applications: {@link dev.voicebridge.fish.FishOptions} holds the
 * typed Fish options of a session, {@link dev.voicebridge.fish.FishProvider} is the ServiceLoader
 * factory selected by {@code voicebridge.provider=fish}.
 */
package dev.voicebridge.fish;
