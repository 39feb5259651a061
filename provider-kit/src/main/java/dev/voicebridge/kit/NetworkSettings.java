package dev.voicebridge.kit;

import dev.voicebridge.kit.http.HttpExchange;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.HttpClients;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.ProviderConfig;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.SessionSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What every network provider resolves from its configuration, all problems reported at once: the
 * API key, base URL, timeouts and limits; the session settings built from them (response timeout,
 * limits, the redactor of the provider's secrets); and the HTTP client to use (the application's,
 * or the one the process shares, {@link HttpClients#shared()}).
 *
 * @param provider the provider's name
 * @param config every key the provider resolved, its own included
 * @param apiKey the API key, or null for a provider without one
 * @param baseUrl the base URL (http or https)
 * @param connectTimeout how long opening a connection may take
 * @param responseTimeout how long the server may stay silent while audio is owed
 * @param allowInsecure whether plain http/ws may go to a host that is not loopback
 * @param maxFrameBytes the largest server message accepted ({@code max-frame-bytes})
 * @param sessions how the library runs each session
 * @param httpClient the client all traffic goes through
 */
public record NetworkSettings(
    String provider,
    ProviderConfig config,
    Secret apiKey,
    URI baseUrl,
    Duration connectTimeout,
    Duration responseTimeout,
    boolean allowInsecure,
    int maxFrameBytes,
    SessionSettings sessions,
    HttpClient httpClient) {

  /**
   * Compact constructor: checks nulls.
   *
   * @param provider the provider's name
   * @param config the configuration
   * @param apiKey the API key (never logged)
   * @param baseUrl the base URL
   * @param connectTimeout the connect timeout
   * @param responseTimeout the response timeout
   * @param allowInsecure whether a plain-text ({@code http}/{@code ws}) base URL is allowed
   * @param maxFrameBytes the max frame bytes
   * @param sessions the sessions
   * @param httpClient the HTTP client
   */
  public NetworkSettings {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(httpClient, "httpClient");
  }

  /**
   * Resolves {@code keys} (which must include {@code apiKey} unless it is null, {@code baseUrl},
   * and the shared keys of {@link NetworkKeys#keys}) with every problem reported at once, the
   * base-URL rules of {@link Endpoints#problem} included.
   *
   * @param context the context
   * @param keys the keys
   * @param apiKey the API key (never logged)
   * @param baseUrl the base URL
   * @return the settings
   * @throws dev.voicebridge.ConfigurationException listing every problem, never a secret
   */
  public static NetworkSettings resolve(
      ProviderContext context,
      Collection<? extends ConfigKey<?>> keys,
      ConfigKey<Secret> apiKey,
      ConfigKey<URI> baseUrl) {
    String prefix = context.prefix();
    ProviderConfig c =
        context.resolve(
            keys,
            r -> {
              String p =
                  Endpoints.problem(
                      r.get(baseUrl),
                      Boolean.TRUE.equals(r.get(NetworkKeys.ALLOW_INSECURE)),
                      prefix + baseUrl.name(),
                      prefix + NetworkKeys.ALLOW_INSECURE.name());
              return p == null ? List.of() : List.of(p);
            });
    Duration response = c.get(NetworkKeys.RESPONSE_TIMEOUT);
    SessionSettings sessions =
        Limits.apply(
            c,
            SessionSettings.defaults().withTicker(context.ticker()).withResponseTimeout(response));
    return new NetworkSettings(
        context.providerName(),
        c,
        apiKey == null ? null : c.get(apiKey),
        c.get(baseUrl),
        c.get(NetworkKeys.CONNECT_TIMEOUT),
        response,
        c.get(NetworkKeys.ALLOW_INSECURE),
        c.get(Limits.MAX_FRAME_BYTES),
        sessions,
        context.httpClient().orElseGet(HttpClients::shared));
  }

  /**
   * {@return the value of one of the provider's own keys}
   *
   * @param key the key
   * @param <T> the type of the value
   */
  public <T> T get(ConfigKey<T> key) {
    return config.get(key);
  }

  /**
   * {@return {@code path} (starting with '/') under the base URL}
   *
   * @param path the path
   */
  public URI http(String path) {
    return Endpoints.resolve(baseUrl, path);
  }

  /**
   * {@return the WebSocket URL of {@code path} under the base URL (https becomes wss, http ws)}
   *
   * @param path the path
   */
  public URI webSocket(String path) {
    return Endpoints.webSocket(http(path));
  }

  /**
   * {@return the silence after which a WebSocket that awaits a message is pinged: a quarter of the
   * response timeout (at least 250 ms, at most 15 s), so a dead connection is found well before it}
   */
  public Duration pingAfter() {
    long quarter = responseTimeout.toMillis() / 4;
    return Duration.ofMillis(Math.max(250, Math.min(15_000, quarter)));
  }

  /**
   * {@return a WebSocket to {@code path} under the base URL, with what these settings say: client,
   * connect timeout, {@code max-frame-bytes}, the ping interval and {@code allow-insecure}} The
   * adapter adds its headers, the kinds of message it accepts and its reading of a refused
   * handshake.
   *
   * @param path the path
   */
  public WebSocketConnection.Options.Builder webSocketOptions(String path) {
    return webSocketOptions(webSocket(path));
  }

  /**
   * {@return same as {@link #webSocketOptions(String)}, for a URL the adapter built itself}
   *
   * @param uri the URI
   */
  public WebSocketConnection.Options.Builder webSocketOptions(URI uri) {
    return WebSocketConnection.Options.builder(provider, uri, httpClient)
        .connectTimeout(connectTimeout)
        .maxMessageBytes(maxFrameBytes)
        .pingAfter(pingAfter())
        .allowInsecure(allowInsecure);
  }

  /**
   * {@return the settings of this provider's HTTP exchanges}
   *
   * @param errors how the vendor's error responses read
   * @param contentType whether a success's {@code Content-Type} is what the vendor sends (null
   *     accepts any)
   */
  public HttpExchange.Options httpOptions(HttpErrorMapper errors, Predicate<String> contentType) {
    return new HttpExchange.Options(
        provider, httpClient, errors, contentType, allowInsecure, connectTimeout);
  }

  /**
   * {@return a request to {@code path} under the base URL with the request timeout of these
   * settings}
   *
   * @param path the path
   */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(http(path)).timeout(requestTimeout());
  }

  /**
   * {@return how long an HTTP request may wait for its response headers: connect plus response
   * timeout}
   */
  public Duration requestTimeout() {
    return connectTimeout.plus(responseTimeout);
  }

  @Override
  public String toString() {
    return "NetworkSettings[provider="
        + provider
        + ", baseUrl="
        + baseUrl
        + ", connectTimeout="
        + connectTimeout
        + ", responseTimeout="
        + responseTimeout
        + ", allowInsecure="
        + allowInsecure
        + ", maxFrameBytes="
        + maxFrameBytes
        + ", apiKey="
        + (apiKey == null ? "none" : "****")
        + "]";
  }
}
