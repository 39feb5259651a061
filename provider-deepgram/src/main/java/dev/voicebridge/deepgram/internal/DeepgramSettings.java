package dev.voicebridge.deepgram.internal;

import dev.voicebridge.kit.NetworkSettings;
import java.util.Objects;

/**
 * The validated configuration of a Deepgram synthesizer.
 *
 * @param network the settings every network provider shares (key, base URL, timeouts, limits)
 * @param model the default model (voice)
 * @param transport the default transport ({@code websocket} or {@code http})
 */
public record DeepgramSettings(NetworkSettings network, String model, String transport) {

  /** Compact constructor: checks nulls. */
  public DeepgramSettings {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(transport, "transport");
  }

  @Override
  public String toString() {
    return "DeepgramSettings[baseUrl="
        + network.baseUrl()
        + ", model="
        + model
        + ", transport="
        + transport
        + ", apiKey=****]";
  }
}
