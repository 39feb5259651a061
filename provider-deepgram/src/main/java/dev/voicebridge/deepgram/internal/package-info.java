/**
 * Deepgram internals (not exported): the synthesizer, the per-session plan, the JSON codec, the
 * error mapping, and the WebSocket and REST session backends. Nothing here is API.
 */
package dev.voicebridge.deepgram.internal;
