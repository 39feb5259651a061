package dev.voicebridge.fish.internal;

import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated configuration of a Fish synthesizer.
 *
 * @param apiKey the API key (only revealed where the Authorization header is built)
 * @param baseUrl the REST base URL
 * @param model the default model header
 * @param voice the default reference id, or null
 * @param transport the default transport ({@code websocket} or {@code http})
 * @param responseTimeout how long the server may stay silent while owing audio
 * @param connectTimeout connect and handshake timeout
 * @param maxIdleConnections idle sockets kept per model
 * @param maxFrameBytes the largest server message accepted
 */
public record FishSettings(
    Secret apiKey,
    URI baseUrl,
    String model,
    String voice,
    String transport,
    Duration responseTimeout,
    Duration connectTimeout,
    int maxIdleConnections,
    int maxFrameBytes) {

  /** Compact constructor: checks nulls. */
  public FishSettings {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  /** The URL of {@code path} (starting with '/') under the base URL. */
  public URI http(String path) {
    String b = baseUrl.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + path);
  }

  /** The WebSocket URL of {@code path}: https becomes wss, http becomes ws. */
  public URI ws(String path) {
    URI u = http(path);
    String scheme = u.getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
    return URI.create(scheme + u.toString().substring(u.getScheme().length()));
  }

  @Override
  public String toString() {
    return "FishSettings[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", voice="
        + voice
        + ", transport="
        + transport
        + ", apiKey=****]";
  }
}
