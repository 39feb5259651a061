package dev.voicebridge.cartesia.internal;

import dev.voicebridge.kit.NetworkSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated configuration of a Cartesia synthesizer: the kit's network settings plus Cartesia's
 * keys.
 *
 * @param network the settings every network provider shares (key, base URL, timeouts, limits)
 * @param version the {@code Cartesia-Version} header
 * @param model the default {@code model_id}
 * @param voice the default voice id
 * @param transport the default transport ({@code websocket}, {@code sse} or {@code bytes})
 * @param maxContextsPerSocket live contexts per WebSocket
 * @param idleTimeout how long a WebSocket without contexts is kept
 * @param httpPipeline HTTP requests a session keeps in flight
 */
public record CartesiaSettings(
    NetworkSettings network,
    String version,
    String model,
    String voice,
    String transport,
    int maxContextsPerSocket,
    Duration idleTimeout,
    int httpPipeline) {

  /** Compact constructor: checks nulls and ranges. */
  public CartesiaSettings {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(voice, "voice");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxContextsPerSocket < 1 || httpPipeline < 1) {
      throw new IllegalArgumentException("maxContextsPerSocket and httpPipeline must be positive");
    }
  }

  @Override
  public String toString() {
    return "CartesiaSettings[baseUrl="
        + network.baseUrl()
        + ", version="
        + version
        + ", model="
        + model
        + ", voice="
        + voice
        + ", transport="
        + transport
        + ", apiKey=****]";
  }
}
