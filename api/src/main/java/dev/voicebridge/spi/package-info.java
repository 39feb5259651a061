/**
 * The provider SPI, for people who write providers: the {@link
 * dev.voicebridge.spi.StreamingSynthesizerProvider} factory registered with ServiceLoader, typed
 * configuration keys, and the {@link dev.voicebridge.spi.SessionBackend} a provider implements
 * while the library runs the session around it.
 */
package dev.voicebridge.spi;
