package dev.voicebridge.kit;

import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.VoiceCatalogCache;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The configuration keys every network provider shares, declared once: the API key, the base URL,
 * the two timeouts, {@code allow-insecure} and the {@link Limits}. A provider lists them with its
 * own keys ({@link #keys}) and resolves them with {@link NetworkSettings#resolve}.
 */
public final class NetworkKeys {
  /** How long the server may stay silent while audio is owed. */
  public static final ConfigKey<Duration> RESPONSE_TIMEOUT =
      ConfigKey.duration(
              "response-timeout",
              "how long the server may stay silent while audio is owed (after a flush or the finish)")
          .withCheck(NetworkKeys::positive)
          .withDefault(Duration.ofSeconds(20));

  /** How long opening a connection may take. */
  public static final ConfigKey<Duration> CONNECT_TIMEOUT =
      ConfigKey.duration(
              "connect-timeout",
              "how long opening a connection (TCP, TLS, WebSocket handshake) may take; for HTTP"
                  + " transports it adds to response-timeout as the wait for the response headers")
          .withCheck(NetworkKeys::positive)
          .withDefault(Duration.ofSeconds(10));

  /** Whether plain http/ws may go to a host that is not loopback. */
  public static final ConfigKey<Boolean> ALLOW_INSECURE =
      ConfigKey.bool(
              "allow-insecure",
              "allow plain http/ws to a host that is not loopback (the API key then crosses the"
                  + " network in clear text)")
          .withDefault(false);

  private NetworkKeys() {}

  /**
   * {@return the API key: a required secret, sent in a header}
   *
   * @param description how the vendor takes it (for example "sent as Authorization: Bearer")
   * @param environmentFallbacks the vendor's own environment variables, tried in order
   */
  public static ConfigKey<Secret> apiKey(String description, String... environmentFallbacks) {
    return ConfigKey.secret("api-key", description)
        .required()
        .withEnvironmentFallback(environmentFallbacks);
  }

  /**
   * {@return the base URL, http(s) (WebSocket URLs are derived from it): no user information, query
   * or fragment; plain http only to loopback unless {@code allow-insecure} (checked across keys by
   * {@link NetworkSettings#resolve})}
   *
   * @param defaultUrl the vendor's public API
   */
  public static ConfigKey<URI> baseUrl(String defaultUrl) {
    return ConfigKey.uri(
            "base-url", "the API's base URL (http or https); WebSocket URLs are derived from it")
        .withCheck(
            u -> {
              String s = u.getScheme().toLowerCase(Locale.ROOT);
              if (!s.equals("http") && !s.equals("https")) {
                return "must be http or https";
              }
              if (u.getRawUserInfo() != null) {
                return "must not carry user information";
              }
              if (u.getRawQuery() != null) {
                return "must not have a query ('?...'): the vendor's paths are appended to it";
              }
              if (u.getRawFragment() != null) {
                return "must not have a fragment ('#...'): the vendor's paths are appended to it";
              }
              return null;
            })
        .withDefault(URI.create(defaultUrl));
  }

  /**
   * {@return a provider's keys in documentation order: the API key and base URL, then {@code own},
   * then the timeouts, {@code allow-insecure} and the limits}
   *
   * @param apiKey the API key (never logged)
   * @param baseUrl the base URL
   * @param own the own
   */
  public static List<ConfigKey<?>> keys(
      ConfigKey<Secret> apiKey, ConfigKey<URI> baseUrl, ConfigKey<?>... own) {
    return keys(apiKey, baseUrl, Arrays.asList(own), List.of());
  }

  /**
   * {@return a provider's keys in documentation order: the API key and base URL, the keys of its
   * sessions (model, voice, transport...), the timeouts, the keys of its connections (pools,
   * keep-alive...), {@code voices-cache-ttl}, {@code allow-insecure} and the limits}
   *
   * @param apiKey the API key (never logged)
   * @param baseUrl the base URL
   * @param sessionKeys the session keys
   * @param connectionKeys the connection keys
   */
  public static List<ConfigKey<?>> keys(
      ConfigKey<Secret> apiKey,
      ConfigKey<URI> baseUrl,
      List<ConfigKey<?>> sessionKeys,
      List<ConfigKey<?>> connectionKeys) {
    List<ConfigKey<?>> keys = new ArrayList<>();
    if (apiKey != null) {
      keys.add(apiKey);
    }
    keys.add(baseUrl);
    keys.addAll(sessionKeys);
    keys.add(RESPONSE_TIMEOUT);
    keys.add(CONNECT_TIMEOUT);
    keys.addAll(connectionKeys);
    keys.add(VoiceCatalogCache.TTL);
    keys.add(ALLOW_INSECURE);
    keys.addAll(Limits.keys());
    return List.copyOf(keys);
  }

  private static String positive(Duration d) {
    return d.isNegative() || d.isZero() ? "must be positive" : null;
  }
}
