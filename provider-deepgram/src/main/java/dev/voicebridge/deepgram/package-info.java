/**
 * The Deepgram provider, for applications: {@link dev.voicebridge.deepgram.DeepgramOptions} holds
 * the typed Deepgram options of a session, {@link dev.voicebridge.deepgram.DeepgramProvider} is the
 * ServiceLoader factory selected by {@code voicebridge.provider=deepgram}.
 */
package dev.voicebridge.deepgram;
