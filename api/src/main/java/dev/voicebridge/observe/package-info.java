/**
 * Session events for instrumentation, for whoever publishes metrics, traces or logs: a {@link
 * dev.voicebridge.observe.SessionListener} sees every session of every provider (opened, connection
 * set-up, first audio, first audio after each flush, and one terminal event: completed, failed or
 * cancelled), measured once in the library's session core.
 *
 * <p>Listeners are registered in configuration ({@code voicebridge.listeners}), through {@link
 * java.util.ServiceLoader}, or on a synthesizer with {@link
 * dev.voicebridge.observe.SessionListeners#observe}. {@code voicebridge-micrometer} is built on
 * this package.
 */
package dev.voicebridge.observe;
