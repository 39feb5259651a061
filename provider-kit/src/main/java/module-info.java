/**
 * The Voicebridge provider kit: what a network provider is built from, JDK only. A WebSocket
 * connection hardened once for every vendor (the owner holds it before any callback, whole messages
 * on demand within a size limit, ordered bounded sends, a ping when the server goes silent, a close
 * that drains to the server's Close), pools for reusable and multiplexed sockets, the streaming
 * HTTP exchange (body at headers, capped error bodies mapped after the exchange, cancel before
 * headers), SSE and NDJSON readers, the shared configuration keys and the error mapping, and the
 * audio helpers that turn a vendor's output into the format asked for.
 */
module dev.voicebridge.kit {
  requires transitive dev.voicebridge.api;
  requires transitive java.net.http;

  exports dev.voicebridge.kit;
  exports dev.voicebridge.kit.ws;
  exports dev.voicebridge.kit.http;
  exports dev.voicebridge.kit.audio;
}
