package dev.voicebridge.kit;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * The JDK's connection failures as the api's exceptions, worded the same for every provider: each
 * names the host and port it was about ({@code cannot connect to api.fish.audio:443 (connection
 * refused)}), never a path, a query or a header.
 */
public final class Failures {
  private Failures() {}

  /**
   * {@return {@code t} without the {@code CompletionException}/{@code ExecutionException} wrappers}
   *
   * @param t the throwable
   */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * {@return {@code host:port} of {@code uri}, the default port of its scheme filled in}
   *
   * @param uri the URI
   */
  public static String target(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      port = s.equals("https") || s.equals("wss") ? 443 : 80;
    }
    String host = uri.getHost();
    if (host != null && host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return host + ":" + port;
  }

  /**
   * {@return a failure to open a connection to {@code uri} (a WebSocket handshake, or an HTTP
   * request before its response headers)}
   *
   * @param provider the provider's name
   * @param uri the URI
   * @param error the error
   * @param connectTimeout the timeout that applied, for the message
   * @param errors reads a refused handshake (status, headers, body); null for the plain reading
   */
  public static VoicebridgeException connecting(
      String provider, URI uri, Throwable error, Duration connectTimeout, HttpErrorMapper errors) {
    Throwable t = unwrap(error);
    if (t instanceof VoicebridgeException v) {
      return v;
    }
    if (t instanceof WebSocketHandshakeException h && h.getResponse() != null) {
      var response = h.getResponse();
      Object body = response.body();
      byte[] bytes =
          body instanceof byte[] b
              ? b
              : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : new byte[0];
      int status = response.statusCode();
      if (status < 400) {
        // not a refusal: something that is not the vendor answered (a captive portal, a proxy)
        return new ProtocolException(
            provider,
            "the WebSocket upgrade to "
                + target(uri)
                + " was answered with HTTP "
                + status
                + " "
                + response.headers().firstValue("content-type").orElse("(no content type)")
                + " instead of 101: "
                + HttpErrors.quote(new String(bytes, StandardCharsets.UTF_8)));
      }
      HttpErrorMapper m = errors != null ? errors : HttpErrors.plain(provider);
      return m.map(status, response.headers(), bytes);
    }
    if (t instanceof HttpConnectTimeoutException) {
      return new SynthesisTimeoutException(
          provider,
          "connecting to " + target(uri) + " timed out after " + connectTimeout.toMillis() + " ms");
    }
    if (t instanceof HttpTimeoutException) {
      return new SynthesisTimeoutException(
          provider, "no response from " + target(uri) + " in time (" + describe(t) + ")");
    }
    return new TransportException(
        provider, "cannot connect to " + target(uri) + " (" + describe(t) + ")", t);
  }

  /**
   * {@return a failure of a connection to {@code uri} that was established}
   *
   * @param provider the provider's name
   * @param uri the URI
   * @param error the error
   */
  public static VoicebridgeException broken(String provider, URI uri, Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof VoicebridgeException v) {
      return v;
    }
    if (t instanceof HttpTimeoutException) {
      return new SynthesisTimeoutException(
          provider, "no response from " + target(uri) + " in time (" + describe(t) + ")");
    }
    return new TransportException(
        provider, "the connection to " + target(uri) + " failed (" + describe(t) + ")", t);
  }

  /**
   * {@return what a JDK failure means, in a few words: its message, or its kind when it has none}
   *
   * @param error the error
   */
  public static String describe(Throwable error) {
    Throwable t = unwrap(error);
    String m = t.getMessage();
    if (t instanceof ConnectException) {
      return m == null || m.isBlank() || m.equalsIgnoreCase("connection refused")
          ? "connection refused"
          : m;
    }
    if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
      return "the host name does not resolve";
    }
    if (t instanceof NoRouteToHostException) {
      return "no route to the host";
    }
    if (t instanceof SSLException) {
      return "TLS failed: " + (m == null ? t.getClass().getSimpleName() : m);
    }
    if (t instanceof ClosedChannelException) {
      return "the connection was closed";
    }
    if (t instanceof EOFException) {
      return m == null ? "the server closed the connection" : m;
    }
    if (m == null || m.isBlank()) {
      Throwable c = t.getCause();
      return c != null && c != t ? describe(c) : t.getClass().getSimpleName();
    }
    return m;
  }
}
