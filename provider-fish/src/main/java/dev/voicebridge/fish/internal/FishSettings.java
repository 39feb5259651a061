package dev.voicebridge.fish.internal;

import dev.voicebridge.kit.NetworkSettings;
import java.util.Objects;

/**
 * The validated configuration of a Fish synthesizer.
 *
 * @param network the settings every network provider shares (key, base URL, timeouts, limits)
 * @param model the default model header
 * @param voice the default reference id, or null
 * @param transport the default transport ({@code websocket} or {@code http})
 * @param maxIdleConnections idle sockets kept per model
 */
public record FishSettings(
    NetworkSettings network, String model, String voice, String transport, int maxIdleConnections) {

  /** Compact constructor: checks nulls. */
  public FishSettings {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(transport, "transport");
  }

  @Override
  public String toString() {
    return "FishSettings[baseUrl="
        + network.baseUrl()
        + ", model="
        + model
        + ", voice="
        + voice
        + ", transport="
        + transport
        + ", apiKey=****]";
  }
}
