package dev.voicebridge.elevenlabs.internal;

import java.nio.charset.StandardCharsets;

/**
 * Voice ids go into a URL path: they are checked (no {@code /}, {@code ?}, {@code #}, {@code %},
 * {@code \}, dot segments, whitespace or control characters) and percent-encoded, so a hostile id
 * can never change the request path.
 */
public final class VoiceIds {
  private VoiceIds() {}

  /** Why {@code id} is not a usable voice id, or null when it is. */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "a voice id must not be empty";
    }
    if (id.length() > 128) {
      return "a voice id must be at most 128 characters";
    }
    if (id.equals(".") || id.contains("..")) {
      return "a voice id must not contain dot segments";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '?' || c == '#' || c == '%' || c == '\\') {
        return "a voice id must not contain '" + c + "'";
      }
      if (Character.isISOControl(c)
          || Character.isWhitespace(c)
          || Character.isSpaceChar(c)
          || Character.getType(c) == Character.FORMAT) {
        return "a voice id must not contain whitespace or control characters";
      }
    }
    return null;
  }

  /** The id percent-encoded as one path segment (everything outside RFC 3986 unreserved). */
  public static String pathSegment(String id) {
    StringBuilder sb = new StringBuilder();
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
