package dev.voicebridge.emulator.cartesia;

import java.util.regex.Pattern;

/**
 * A {@code Cartesia-Version}: the date that selects the API's behaviour (protocol note section
 * 1.3). Dates compare as strings (they are {@code YYYY-MM-DD}).
 *
 * @param date the version's date
 * @param given whether the client sent it (a missing version runs as {@link #LATEST}, INFERRED)
 */
record Version(String date, boolean given) {
  /** The newest version the emulator knows (npm client 4.x, Python 4.x). */
  static final String LATEST = "2026-08-14";

  /** From this version on, errors are structured JSON on every transport. */
  static final String STRUCTURED_ERRORS = "2026-03-01";

  /** From this version on, a voice may be a plain id or {@code {"id"}}. */
  static final String PLAIN_VOICE = "2026-08-14";

  /** From this version on, {@code voice} must be {@code {"mode":"id",...}} (until PLAIN_VOICE). */
  static final String ID_VOICE = "2025-04-16";

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /**
   * The version of a request: {@code query} (WebSocket {@code cartesia_version}, which takes
   * precedence) else {@code header}, else the latest.
   *
   * @return null if the given value is not a date
   */
  static Version of(String header, String query) {
    String v = query != null && !query.isBlank() ? query : header;
    if (v == null || v.isBlank()) {
      return new Version(LATEST, false);
    }
    v = v.trim();
    return DATE.matcher(v).matches() ? new Version(v, true) : null;
  }

  /** Whether this version is {@code date} or newer. */
  boolean atLeast(String date) {
    return this.date.compareTo(date) >= 0;
  }

  /** Whether errors are structured JSON ({@value #STRUCTURED_ERRORS} and later). */
  boolean structuredErrors() {
    return atLeast(STRUCTURED_ERRORS);
  }
}
