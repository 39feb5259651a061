/**
 * Fish Audio internals (not exported): the synthesizer, the WebSocket and HTTP session backends,
 * the connection pool and the MessagePack codec. Nothing here is API.
 */
package dev.voicebridge.fish.internal;
