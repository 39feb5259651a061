package dev.voicebridge.elevenlabs.internal;

/** Transport names (the values of {@code ElevenLabsOptions.TRANSPORT}). */
final class Transport {
  private Transport() {}

  static final String WEBSOCKET = "websocket";
  static final String MULTI_CONTEXT = "multi-context";
  static final String HTTP = "http";
  static final String HTTP_TIMESTAMPS = "http-timestamps";

  static boolean isWebSocket(String t) {
    return WEBSOCKET.equals(t) || MULTI_CONTEXT.equals(t);
  }
}
