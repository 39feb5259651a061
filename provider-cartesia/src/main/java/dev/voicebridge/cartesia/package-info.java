/**
 * The Cartesia provider, for applications: {@link dev.voicebridge.cartesia.CartesiaOptions} holds
 * the typed Cartesia options of a session, {@link dev.voicebridge.cartesia.CartesiaProvider} is the
 * ServiceLoader factory selected by {@code voicebridge.provider=cartesia}.
 */
package dev.voicebridge.cartesia;
