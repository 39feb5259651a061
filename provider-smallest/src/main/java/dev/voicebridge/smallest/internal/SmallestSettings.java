package dev.voicebridge.smallest.internal;

import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The resolved configuration of a Smallest synthesizer.
 *
 * @param network the settings every network provider shares (key, base URL, timeouts, limits)
 * @param model the default model
 * @param voice the default voice id
 * @param transport the default transport, {@code websocket} or {@code sse}
 * @param keepAlive keep-alive interval and pooled-socket idle lifetime; zero disables both
 */
public record SmallestSettings(
    NetworkSettings network, String model, String voice, String transport, Duration keepAlive) {

  /** The path of both the WebSocket and the SSE endpoint. */
  public static final String LIVE_PATH = "/waves/v1/tts/live";

  /** Compact constructor: checks nulls. */
  public SmallestSettings {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(voice, "voice");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(keepAlive, "keepAlive");
  }

  /** The API key. */
  public Secret apiKey() {
    return network.apiKey();
  }

  /** The http(s) base URL. */
  public URI baseUrl() {
    return network.baseUrl();
  }

  /** The SSE endpoint: {@code <base-url>/waves/v1/tts/live}. */
  public URI sseUri() {
    return network.http(LIVE_PATH);
  }

  /** The WebSocket endpoint: the base URL with {@code ws}/{@code wss} and the live path. */
  public URI webSocketUri() {
    return network.webSocket(LIVE_PATH);
  }

  /** The sessions' response timeout. */
  public Duration responseTimeout() {
    return network.responseTimeout();
  }

  /** The connect timeout. */
  public Duration connectTimeout() {
    return network.connectTimeout();
  }

  @Override
  public String toString() {
    return "SmallestSettings[baseUrl="
        + network.baseUrl()
        + ", model="
        + model
        + ", voice="
        + voice
        + ", transport="
        + transport
        + ", responseTimeout="
        + network.responseTimeout()
        + ", connectTimeout="
        + network.connectTimeout()
        + ", keepAlive="
        + keepAlive
        + ", maxFrameBytes="
        + network.maxFrameBytes()
        + "]";
  }
}
