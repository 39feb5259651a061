/**
 * Cartesia internals (not exported): the synthesizer, the session plan, the JSON codec, the error
 * mapping, the audio and timestamp timelines, and the backends (WebSocket contexts on the kit's
 * multiplexed sockets, SSE and bytes on the kit's segment backend). Nothing here is API.
 */
package dev.voicebridge.cartesia.internal;
