package dev.voicebridge.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks a {@code --config} file before it is read as properties, so that a mistake is one line
 * naming the file and the line: not UTF-8, JSON instead of properties, a line that is not {@code
 * voicebridge.KEY=VALUE}, a malformed {@code \}{@code uxxxx} escape. Messages never quote a value
 * (it may be a key), nor a line's text.
 */
final class PropertiesFile {
  private static final Pattern KEY = Pattern.compile("voicebridge\\.[A-Za-z0-9_.-]+");
  private static final Pattern ENV_NAME = Pattern.compile("VOICEBRIDGE_[A-Z0-9_]+");

  private PropertiesFile() {}

  /** Throws a one-line {@link Errors.UsageException} unless {@code file} is a good one. */
  static void check(Path file) {
    if (Files.isDirectory(file)) {
      throw problem(file, "is a directory");
    }
    if (!Files.isRegularFile(file)) {
      throw problem(file, "does not exist");
    }
    if (!Files.isReadable(file)) {
      throw problem(file, "cannot be read (permission denied)");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw problem(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    String text = decode(file, bytes);
    String start = text.stripLeading();
    if (start.startsWith("{") || start.startsWith("[")) {
      throw problem(
          file,
          "looks like JSON; --config takes a properties file, one voicebridge.KEY=VALUE per line");
    }
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int first = i + 1;
      StringBuilder logical = new StringBuilder(lines[i].stripLeading());
      while (endsWithContinuation(logical) && i + 1 < lines.length) {
        logical.setLength(logical.length() - 1);
        logical.append(lines[++i].stripLeading());
      }
      checkLine(file, first, logical.toString());
    }
  }

  private static String decode(Path file, byte[] bytes) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw problem(file, line, "is not UTF-8 text (save the file as UTF-8)");
    }
    d.flush(out);
    out.flip();
    String s = out.toString();
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static boolean endsWithContinuation(CharSequence s) {
    int backslashes = 0;
    for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  private static void checkLine(Path file, int line, String s) {
    if (s.isEmpty() || s.charAt(0) == '#' || s.charAt(0) == '!') {
      return;
    }
    // \ uxxxx escapes: Properties.load fails on a malformed one without saying where
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\' && i + 1 < s.length()) {
        if (s.charAt(i + 1) == 'u' && !isHex4(s, i + 2)) {
          throw problem(file, line, "has a malformed \\uXXXX escape (four hex digits expected)");
        }
        i++;
      }
    }
    int end = 0;
    while (end < s.length()) {
      char c = s.charAt(end);
      if (c == '\\') {
        end += 2;
        continue;
      }
      if (c == '=' || c == ':' || Character.isWhitespace(c)) {
        break;
      }
      end++;
    }
    String key = s.substring(0, Math.min(end, s.length()));
    if (ENV_NAME.matcher(key).matches()) {
      throw problem(
          file,
          line,
          "names an environment variable; write the key as a property, "
              + propertyName(key)
              + "=VALUE");
    }
    if (!KEY.matcher(key).matches()) {
      throw problem(file, line, "is not voicebridge.KEY=VALUE (comments start with #)");
    }
  }

  /** {@code VOICEBRIDGE_LOCAL_MAX_TEXT_CHARS} to {@code voicebridge.local.max-text-chars}. */
  private static String propertyName(String env) {
    String[] parts = env.toLowerCase(java.util.Locale.ROOT).split("_", 3);
    if (parts.length < 3) {
      return env.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }
    return parts[0] + "." + parts[1] + "." + parts[2].replace('_', '-');
  }

  private static boolean isHex4(String s, int from) {
    if (from + 4 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 4; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static Errors.UsageException problem(Path file, String what) {
    return new Errors.UsageException("configuration file " + file + " " + what);
  }

  private static Errors.UsageException problem(Path file, int line, String what) {
    return new Errors.UsageException("configuration file " + file + ", line " + line + " " + what);
  }
}
