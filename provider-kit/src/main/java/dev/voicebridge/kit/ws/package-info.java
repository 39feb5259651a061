/**
 * WebSockets for provider authors, over {@code java.net.http}: {@link
 * dev.voicebridge.kit.ws.WebSocketConnection} (one hardened connection), {@link
 * dev.voicebridge.kit.ws.WebSocketSessionBackend} (the base of a session on one connection at a
 * time, pooled or not: {@link dev.voicebridge.kit.ws.WebSocketPool}, {@link
 * dev.voicebridge.kit.ws.WebSocketSource}), and {@link dev.voicebridge.kit.ws.MultiplexedSocket}
 * with {@link dev.voicebridge.kit.ws.MultiplexPool} for vendors that run several sessions as
 * contexts of one socket. An adapter never implements {@code WebSocket.Listener} itself.
 */
package dev.voicebridge.kit.ws;
