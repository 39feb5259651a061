package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.time.Duration;

/**
 * The validated configuration of one synthesizer.
 *
 * @param apiKey the key, sent only as the {@code xi-api-key} header
 * @param baseUrl the http(s) base URL
 * @param model the default model id
 * @param voice the default voice id
 * @param transport the default transport
 * @param responseTimeout the session response timeout
 * @param connectTimeout the connect timeout
 * @param maxContextsPerSocket live contexts per multi-context socket
 * @param idleTimeout how long an idle multi-context socket is kept
 * @param maxFrameBytes the largest server message accepted (WebSocket message, NDJSON line), in
 *     bytes ({@code max-frame-bytes})
 */
public record ElevenLabsSettings(
    Secret apiKey,
    URI baseUrl,
    String model,
    String voice,
    String transport,
    Duration responseTimeout,
    Duration connectTimeout,
    int maxContextsPerSocket,
    Duration idleTimeout,
    int maxFrameBytes) {

  @Override
  public String toString() {
    return "ElevenLabsSettings[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", voice="
        + voice
        + ", transport="
        + transport
        + "]";
  }
}
