package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated configuration of one synthesizer.
 *
 * @param network the settings every network provider shares (key, base URL, timeouts, limits)
 * @param model the default model id
 * @param voice the default voice id
 * @param transport the default transport
 * @param maxContextsPerSocket live contexts per multi-context socket
 * @param idleTimeout how long an idle multi-context socket is kept
 */
public record ElevenLabsSettings(
    NetworkSettings network,
    String model,
    String voice,
    String transport,
    int maxContextsPerSocket,
    Duration idleTimeout) {

  /** Compact constructor: checks nulls. */
  public ElevenLabsSettings {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(voice, "voice");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  /** The key, sent only as the {@code xi-api-key} header. */
  public Secret apiKey() {
    return network.apiKey();
  }

  /** The http(s) base URL. */
  public URI baseUrl() {
    return network.baseUrl();
  }

  /** The session response timeout. */
  public Duration responseTimeout() {
    return network.responseTimeout();
  }

  /** The connect timeout. */
  public Duration connectTimeout() {
    return network.connectTimeout();
  }

  /** The largest server message accepted (WebSocket message, NDJSON line), in bytes. */
  public int maxFrameBytes() {
    return network.maxFrameBytes();
  }

  @Override
  public String toString() {
    return "ElevenLabsSettings[baseUrl="
        + baseUrl()
        + ", model="
        + model
        + ", voice="
        + voice
        + ", transport="
        + transport
        + "]";
  }
}
