/**
 * Implementation of the Smallest AI provider: the synthesizer, the WebSocket and SSE session
 * backends, the wire codec and the SSE parser. Not exported; not an API.
 */
package dev.voicebridge.smallest.internal;
