package dev.voicebridge.text.shaping.internal;

import java.util.regex.Pattern;

/**
 * Web addresses and e-mail addresses as a person would read them: {@code
 * https://www.example.com/docs/getting-started?x=1} becomes "example dot com slash docs slash
 * getting started" (no scheme, no {@code www.}, no port, query or fragment; dashes and underscores
 * of the path read as spaces), {@code jane.doe@example.org} becomes "jane dot doe at example dot
 * org". An address is recognised by its scheme ({@code http://}, {@code https://}, {@code ftp://},
 * {@code mailto:}), a leading {@code www.}, the shape of an e-mail address, or a bare domain with a
 * common top-level domain ({@code example.com}, {@code voicebridge.dev}; not {@code Node.js}).
 * Punctuation around a word ("(see example.com).") stays outside the address. Words are held until
 * the white space after them; runs longer than 2,048 characters pass unchanged.
 */
public final class UrlStage extends WordStage {
  private static final Pattern SCHEME = Pattern.compile("(?i)(https?|ftp)://\\S+");
  private static final Pattern WWW = Pattern.compile("(?i)www\\.[a-z0-9-]+(\\.[a-z0-9-]+)+\\S*");
  private static final Pattern EMAIL =
      Pattern.compile(
          "(?i)(mailto:)?[a-z0-9._%+-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9-]+)*\\.[a-z]{2,}");
  private static final Pattern BARE =
      Pattern.compile(
          "(?i)(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+"
              + "(?:com|org|net|io|dev|ai|app|co|edu|gov|info|biz|tv|uk|us|de|fr|es|nl|eu|ca|au|jp"
              + "|cn|br|ru|ch|se|fi|dk|pl|be|at|cz|gg|sh|xyz|tech|cloud|page|site|blog|news|ly|fm)"
              + "(?::\\d+)?(?:[/?#]\\S*)?");

  /** Addresses spoken. */
  public UrlStage() {
    super(2_048);
  }

  @Override
  protected void word(int n) {
    String w = text(0, n);
    int lead = leading(w);
    int trail = trailing(w, lead);
    String core = w.substring(lead, n - trail);
    boolean email = EMAIL.matcher(core).matches();
    boolean url =
        !email
            && (SCHEME.matcher(core).matches()
                || WWW.matcher(core).matches()
                || (BARE.matcher(core).matches() && core.chars().anyMatch(Character::isLetter)));
    if (!email && !url) {
      copy(n);
      return;
    }
    copy(lead);
    if (email) {
      email(core);
    } else {
      url(core);
    }
    copy(trail);
  }

  private void email(String core) {
    int i = 0;
    if (core.regionMatches(true, 0, "mailto:", 0, 7)) {
      drop(7);
      i = 7;
    }
    int at = core.indexOf('@');
    while (i < at) {
      char c = core.charAt(i);
      switch (c) {
        case '.' -> replace(1, " dot ");
        case '_' -> replace(1, " underscore ");
        case '-' -> replace(1, " dash ");
        case '+' -> replace(1, " plus ");
        default -> copy(1);
      }
      i++;
    }
    replace(1, " at ");
    host(core, at + 1, core.length());
  }

  private void url(String core) {
    int i = 0;
    int scheme = core.indexOf("://");
    if (scheme > 0 && scheme < 8) {
      drop(scheme + 3);
      i = scheme + 3;
    }
    int authEnd = i;
    while (authEnd < core.length() && "/?#".indexOf(core.charAt(authEnd)) < 0) {
      authEnd++;
    }
    int user = core.lastIndexOf('@', authEnd - 1);
    if (user >= i) {
      drop(user + 1 - i);
      i = user + 1;
    }
    if (core.regionMatches(true, i, "www.", 0, 4) && authEnd - i > 4) {
      drop(4);
      i += 4;
    }
    int port = core.indexOf(':', i);
    int hostEnd = port >= 0 && port < authEnd ? port : authEnd;
    host(core, i, hostEnd);
    drop(authEnd - hostEnd);
    i = authEnd;
    int pathEnd = i;
    while (pathEnd < core.length() && "?#".indexOf(core.charAt(pathEnd)) < 0) {
      pathEnd++;
    }
    while (i < pathEnd) {
      char c = core.charAt(i);
      if (c == '/') {
        boolean segment = i + 1 < pathEnd && core.charAt(i + 1) != '/';
        if (segment) {
          replace(1, " slash ");
        } else {
          drop(1);
        }
      } else if (c == '.') {
        replace(1, " dot ");
      } else if (c == '-' || c == '_' || c == '+') {
        replace(1, " ");
      } else {
        copy(1);
      }
      i++;
    }
    drop(core.length() - pathEnd);
  }

  private void host(String core, int from, int to) {
    for (int i = from; i < to; i++) {
      if (core.charAt(i) == '.') {
        replace(1, " dot ");
      } else {
        copy(1);
      }
    }
  }
}
