/**
 * Streaming HTTP for provider authors, over {@code java.net.http}: {@link
 * dev.voicebridge.kit.http.HttpExchange} (one hardened request: body at headers, capped error
 * bodies mapped after the exchange, content type checked, cancel before headers), {@link
 * dev.voicebridge.kit.http.HttpSegmentBackend} (the base of a session that sends one request per
 * sentence or per turn), and the readers of line-based bodies, {@link
 * dev.voicebridge.kit.http.SseReader} (server-sent events) and {@link
 * dev.voicebridge.kit.http.LineReader} (NDJSON), each with a size limit. An adapter never
 * implements {@code HttpResponse.BodySubscriber} itself.
 */
package dev.voicebridge.kit.http;
