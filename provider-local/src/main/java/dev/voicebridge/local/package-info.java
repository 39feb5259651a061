/**
 * The local provider, for applications that want speech with no API key and no network: {@link
 * dev.voicebridge.local.LocalProvider} is the ServiceLoader factory selected by {@code
 * voicebridge.provider=local}; it synthesizes on this machine with FreeTTS's {@code kevin16} voice.
 */
package dev.voicebridge.local;
