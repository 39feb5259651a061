package dev.voicebridge.smallest.internal;

import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The resolved configuration of a Smallest synthesizer.
 *
 * @param apiKey the API key, revealed only where the Authorization header is built
 * @param baseUrl the http(s) base URL
 * @param model the default model
 * @param voice the default voice id
 * @param transport the default transport, {@code websocket} or {@code sse}
 * @param responseTimeout the sessions' response timeout
 * @param connectTimeout the connect timeout
 * @param keepAlive keep-alive interval and pooled-socket idle lifetime; zero disables both
 * @param maxFrameBytes the largest server message accepted ({@code max-frame-bytes}): a WebSocket
 *     message, an SSE line or event
 */
public record SmallestSettings(
    Secret apiKey,
    URI baseUrl,
    String model,
    String voice,
    String transport,
    Duration responseTimeout,
    Duration connectTimeout,
    Duration keepAlive,
    int maxFrameBytes) {

  /** The path of both the WebSocket and the SSE endpoint. */
  public static final String LIVE_PATH = "/waves/v1/tts/live";

  /** Compact constructor: checks nulls. */
  public SmallestSettings {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(voice, "voice");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(keepAlive, "keepAlive");
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive");
    }
  }

  /** The SSE endpoint: {@code <base-url>/waves/v1/tts/live}. */
  public URI sseUri() {
    return URI.create(trimSlash(baseUrl.toString()) + LIVE_PATH);
  }

  /** The WebSocket endpoint: the base URL with {@code ws}/{@code wss} and the live path. */
  public URI webSocketUri() {
    String s = trimSlash(baseUrl.toString());
    String scheme = baseUrl.getScheme().toLowerCase(java.util.Locale.ROOT);
    String rest = s.substring(baseUrl.getScheme().length());
    return URI.create((scheme.equals("https") ? "wss" : "ws") + rest + LIVE_PATH);
  }

  private static String trimSlash(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  @Override
  public String toString() {
    return "SmallestSettings[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", voice="
        + voice
        + ", transport="
        + transport
        + ", responseTimeout="
        + responseTimeout
        + ", connectTimeout="
        + connectTimeout
        + ", keepAlive="
        + keepAlive
        + ", maxFrameBytes="
        + maxFrameBytes
        + "]";
  }
}
