package dev.voicebridge.emulator.cartesia;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The credential a request carries (protocol note section 1.2): {@code Authorization: Bearer} (an
 * API key or an access token), {@code X-API-Key} (a key), or on the WebSocket the {@code api_key}
 * or {@code access_token} query parameter. The first present of those, in that order, counts
 * (INFERRED).
 *
 * @param method {@code authorization}, {@code x-api-key}, {@code api_key}, {@code access_token}, or
 *     null when there is none
 * @param value the key or token
 * @param asSent the header or parameter value as the client sent it (what a hostile server echoes)
 */
record Credentials(String method, String value, String asSent) {

  static Credentials of(Request rq, Fields query) {
    String auth = rq.getHeaders().get("authorization");
    if (auth != null) {
      String v = auth.trim();
      String token = v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).trim() : v;
      return new Credentials("authorization", token, auth);
    }
    String key = rq.getHeaders().get("x-api-key");
    if (key != null) {
      return new Credentials("x-api-key", key.trim(), key);
    }
    if (query != null) {
      String q = query.getValue("api_key");
      if (q != null) {
        return new Credentials("api_key", q, q);
      }
      String t = query.getValue("access_token");
      if (t != null) {
        return new Credentials("access_token", t, t);
      }
    }
    return new Credentials(null, null, null);
  }

  /** Whether the value may be an API key (not for {@code access_token}). */
  boolean mayBeKey() {
    return method != null && !method.equals("access_token");
  }

  /** Whether the value may be an access token ({@code Authorization} or {@code access_token}). */
  boolean mayBeToken() {
    return "authorization".equals(method) || "access_token".equals(method);
  }
}
