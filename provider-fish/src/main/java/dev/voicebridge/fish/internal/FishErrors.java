package dev.voicebridge.fish.internal;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.kit.HttpErrors;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps Fish's HTTP statuses, handshake refusals and error events to the exception tree. */
public final class FishErrors {
  private static final String P = FishCodec.PROVIDER;
  private static final Pattern MESSAGE = field("message");
  private static final Pattern DETAIL = field("detail");
  private static final Pattern MSG = field("msg");
  private static final Pattern REASON = field("reason");
  private static final Pattern TITLE =
      Pattern.compile("<title>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private FishErrors() {}

  private static Pattern field(String name) {
    // the unrolled form (no alternation inside a repeated group) never recurses per character,
    // so a long string cannot overflow the regex engine's stack
    return Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"");
  }

  /**
   * The exception for a non-2xx HTTP response or a refused WebSocket handshake.
   *
   * @param what what the library was doing, e.g. {@code WebSocket handshake}
   * @param body the response body (JSON {@code {status,message}}, a pydantic array, MessagePack or
   *     plain text), possibly empty
   */
  public static ProviderException forStatus(
      int status, HttpHeaders headers, byte[] body, String what) {
    String contentType = headers == null ? "" : headers.firstValue("content-type").orElse("");
    Duration retryAfter = HttpErrors.retryAfter(headers).orElse(null);
    String[] parsed = parseBody(body, contentType);
    String message = parsed[0].isEmpty() ? "(no message)" : parsed[0];
    return HttpErrors.forStatus(P, status, parsed[1], message + " (" + what + ")", retryAfter);
  }

  /** {message, reason-or-null} from an error body. */
  static String[] parseBody(byte[] body, String contentType) {
    if (body == null || body.length == 0) {
      return new String[] {"", null};
    }
    if (contentType.toLowerCase(Locale.ROOT).contains("msgpack")) {
      try {
        Object v = FishCodec.unpack(body);
        if (v instanceof Map<?, ?> m) {
          Object msg = m.get("message");
          if (msg == null) {
            msg = m.get("detail");
          }
          Object reason = m.get("reason");
          return new String[] {
            HttpErrors.abbreviate(String.valueOf(msg != null ? msg : m), 500),
            reason instanceof String s ? s : null
          };
        }
      } catch (RuntimeException e) {
        // not MessagePack after all: fall through to text
      }
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    String reason = first(REASON, text);
    String message = first(MESSAGE, text);
    if (message == null && text.startsWith("[")) {
      List<String> msgs = all(MSG, text);
      if (!msgs.isEmpty()) {
        message = String.join("; ", msgs);
      }
    }
    if (message == null) {
      message = first(DETAIL, text);
    }
    if (message == null && text.startsWith("{\"detail\"")) {
      List<String> msgs = all(MSG, text);
      if (!msgs.isEmpty()) {
        message = String.join("; ", msgs);
      }
    }
    if (message == null && text.startsWith("<")) {
      Matcher t = TITLE.matcher(text); // an HTML error page from a proxy or a servlet container
      message = t.find() ? t.group(1).strip() : text.replaceAll("<[^>]*>", " ").strip();
    }
    if (message == null) {
      message = text; // plain-text parse errors and anything else
    }
    return new String[] {HttpErrors.abbreviate(message, 500), reason};
  }

  private static String first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? unescape(m.group(1)) : null;
  }

  private static List<String> all(Pattern p, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(unescape(m.group(1)));
    }
    return out;
  }

  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (i + 4 < s.length()) {
            try {
              b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
              i += 4;
            } catch (NumberFormatException e) {
              b.append("\\u");
            }
          } else {
            b.append("\\u");
          }
        }
        default -> b.append(n);
      }
    }
    return b.toString();
  }

  /** The exception for an {@code error} event. */
  public static ProviderException forErrorEvent(FishCodec.ErrorEvent e) {
    return classify(e.status(), e.code(), e.message(), "error event");
  }

  /** The exception for {@code finish} with a reason other than {@code stop}. */
  public static ProviderException forFinish(FishCodec.Finish f) {
    String message =
        f.message() != null
            ? f.message()
            : "the server ended the session with reason '" + f.reason() + "'";
    return classify(f.status(), f.reason(), message, "finish{" + f.reason() + "}");
  }

  /**
   * Classifies a WebSocket error by its status when the frame carries one, else by the vendor's
   * words (Fish documents no error codes for its socket; INFERRED), defaulting to a retryable
   * server failure.
   */
  static ProviderException classify(Integer status, String code, String message, String what) {
    String text = message + " (" + what + ")";
    if (status != null && status >= 400) {
      return HttpErrors.forStatus(P, status, code, text, null);
    }
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("credit")
        || m.contains("balance")
        || m.contains("payment")
        || m.contains("quota")) {
      return new QuotaExceededException(P, -1, code, text);
    }
    if (m.contains("token") && (m.contains("invalid") || m.contains("expired"))
        || m.contains("unauthori")
        || m.contains("api key")
        || m.contains("authenticat")) {
      return new AuthenticationException(P, -1, code, text);
    }
    if (m.contains("rate limit") || m.contains("too many") || m.contains("concurren")) {
      return new RateLimitedException(P, -1, code, text, null);
    }
    if (m.contains("permission") || m.contains("forbidden") || m.contains("not permitted")) {
      return new PermissionDeniedException(P, -1, code, text);
    }
    if (m.contains("invalid")
        || m.contains("validation")
        || m.contains("not found")
        || m.contains("unknown voice")
        || m.contains("must be")
        || m.contains("unsupported")) {
      return new InvalidRequestException(P, -1, code, text);
    }
    return new ProviderUnavailableException(P, -1, code, text);
  }
}
