package dev.voicebridge.kit;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The base-URL rules every network provider shares, and the building of request URLs from a base.
 *
 * <p>Plain {@code http}/{@code ws} goes only to loopback unless the provider's {@code
 * allow-insecure} is set, so an API key never crosses a network in clear text by accident. A name
 * that looks local ({@code localhost}, {@code *.localhost}) is accepted in configuration and
 * checked again when a connection is made: every address it resolves to must be loopback ({@link
 * #plainTextProblem}). A base URL carries no user information, query or fragment (a vendor path
 * appended to it would land after the {@code ?} or be dropped).
 */
public final class Endpoints {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Endpoints() {}

  /**
   * {@return whether {@code host} names this machine without a DNS lookup: {@code localhost}, a
   * name under {@code .localhost}, an IPv4 literal in 127.0.0.0/8, or the IPv6 literal {@code ::1}}
   * Any other name is not loopback, even one that starts with "127." ({@code 127.0.0.1.example.com}
   * resolves wherever its owner wants). Names are checked again at connect time: {@link
   * #plainTextProblem}.
   *
   * @param host the host
   */
  public static boolean isLoopback(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = unbracket(host.toLowerCase(Locale.ROOT));
    return isLoopbackName(h) || isLoopbackLiteral(h);
  }

  private static boolean isLoopbackName(String h) {
    return h.equals("localhost") || h.endsWith(".localhost");
  }

  private static boolean isLoopbackLiteral(String h) {
    return IPV4_LOOPBACK.matcher(h).matches() || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }

  private static boolean isLiteral(String h) {
    return IPV4.matcher(h).matches() || h.indexOf(':') >= 0;
  }

  private static String unbracket(String h) {
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
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
   * must be http(s) or ws(s); no user information, query or fragment; plain text only to loopback
   * or with {@code allow-insecure}}
   *
   * @param base the base
   * @param allowInsecure whether a plain-text ({@code http}/{@code ws}) base URL is allowed
   * @param key the full name of the base-url key, for the message
   * @param allowInsecureKey the full name of the allow-insecure key, for the message
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
    if (base.getRawQuery() != null) {
      return key + " must not have a query ('?...'): the vendor's paths are appended to it";
    }
    if (base.getRawFragment() != null) {
      return key + " must not have a fragment ('#...'): the vendor's paths are appended to it";
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

  /**
   * {@return the problem of connecting to {@code uri} in clear text, or null: with {@code
   * allow-insecure} off, a host given by name must resolve to loopback addresses only (all of
   * them), so that a resolver answer for {@code evil.localhost} pointing elsewhere does not carry
   * the key there in clear text} Resolves the name (a local lookup for the names {@link
   * #isLoopback} accepts).
   *
   * @param uri the URI
   * @param allowInsecure whether a plain-text ({@code http}/{@code ws}) base URL is allowed
   */
  public static String plainTextProblem(URI uri, boolean allowInsecure) {
    if (allowInsecure || !isPlainText(uri) || uri.getHost() == null) {
      return null;
    }
    String h = unbracket(uri.getHost().toLowerCase(Locale.ROOT));
    if (isLiteral(h)) {
      return isLoopbackLiteral(h) ? null : notLoopback(uri, h);
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(h);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return notLoopback(uri, h + " resolves to " + a.getHostAddress() + ", which");
        }
      }
      return all.length == 0 ? notLoopback(uri, h) : null;
    } catch (UnknownHostException e) {
      return "cannot resolve " + h + " to check that it is loopback";
    }
  }

  private static String notLoopback(URI uri, String what) {
    return "plain "
        + uri.getScheme()
        + " to "
        + what
        + " is not loopback: the API key would cross a network in clear text (use https, or set"
        + " allow-insecure)";
  }

  /**
   * {@return {@code path} (starting with '/', already encoded) under {@code base}, whose own path
   * is kept: {@code https://proxy.example/tts} and {@code /v1/tts} give {@code
   * https://proxy.example/tts/v1/tts}}
   *
   * @param base the base
   * @param path the path
   */
  public static URI resolve(URI base, String path) {
    String b = base.toString();
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == '/') {
      end--;
    }
    return URI.create(b.substring(0, end) + path);
  }

  /**
   * {@return {@code uri} with the WebSocket scheme of its HTTP scheme: https becomes wss, http ws}
   *
   * @param uri the URI
   */
  public static URI webSocket(URI uri) {
    String s = uri.getScheme().toLowerCase(Locale.ROOT);
    String ws = s.equals("https") || s.equals("wss") ? "wss" : "ws";
    return URI.create(ws + uri.toString().substring(uri.getScheme().length()));
  }

  /**
   * {@return {@code value} as one path segment: every character but the unreserved ones
   * percent-encoded, so a hostile voice id ({@code ../../admin?x=1}) never changes the path or adds
   * a query}
   *
   * @param value the value
   */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~")
        .replace(".", "%2E");
  }

  /**
   * {@return {@code params} as a query string ({@code a=1&b=two%20words}), null values left out}
   *
   * @param params the params
   */
  public static String query(Map<String, ?> params) {
    StringJoiner j = new StringJoiner("&");
    params.forEach(
        (k, v) -> {
          if (v != null) {
            j.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)
                        .replace("+", "%20"));
          }
        });
    return j.toString();
  }
}
