package dev.voicebridge.spi;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The base-URL rules every network provider shares: plain {@code http}/{@code ws} only to loopback
 * unless the provider's {@code allow-insecure} is set, so an API key never crosses a network in
 * clear text by accident.
 */
public final class Endpoints {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");

  private Endpoints() {}

  /**
   * {@return whether {@code host} names this machine without a DNS lookup: {@code localhost}, a
   * name under {@code .localhost}, an IPv4 literal in 127.0.0.0/8, or the IPv6 literal {@code ::1}}
   * Any other name is not loopback, even one that starts with "127." ({@code 127.0.0.1.example.com}
   * resolves wherever its owner wants).
   *
   * @param host a host name or address literal
   */
  public static boolean isLoopback(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || IPV4_LOOPBACK.matcher(h).matches()
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /**
   * {@return whether the scheme sends data in clear text ({@code http}, {@code ws})}
   *
   * @param uri the URI
   */
  public static boolean isPlainText(URI uri) {
    String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return s.equals("http") || s.equals("ws");
  }

  /**
   * {@return the configuration problem of a base URL, or null when it is acceptable: the scheme
   * must be http(s) or ws(s); plain text only to loopback or with {@code allow-insecure}}
   *
   * @param key the full name of the base-url key, for the message
   * @param allowInsecureKey the full name of the allow-insecure key, for the message
   * @param base the configured base URL
   * @param allowInsecure the value of the allow-insecure key
   */
  public static String problem(
      URI base, boolean allowInsecure, String key, String allowInsecureKey) {
    String s = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!s.equals("http") && !s.equals("https") && !s.equals("ws") && !s.equals("wss")) {
      return key + " must be an http(s) or ws(s) URL, was scheme '" + s + "'";
    }
    if (base.getRawUserInfo() != null) {
      return key + " must not carry user information";
    }
    if (isPlainText(base) && !allowInsecure && !isLoopback(base.getHost())) {
      return key
          + " uses plain "
          + s
          + " to "
          + base.getHost()
          + ", which would send the API key in clear text; use https, or set "
          + allowInsecureKey
          + "=true";
    }
    return null;
  }
}
