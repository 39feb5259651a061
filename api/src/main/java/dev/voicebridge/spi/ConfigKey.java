package dev.voicebridge.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key of a provider: its name (relative to {@code voicebridge.<provider>.}),
 * type, default, whether it is secret and required, a description, a check of its value and the
 * vendor environment variables honoured as fallbacks. Self-describing, so documentation and {@code
 * voicebridge providers} are generated from it. Immutable; the {@code with} methods return copies.
 *
 * @param <T> the value type
 */
public final class ConfigKey<T> {
  private final String name;
  private final String typeName;
  private final Function<String, T> parser;
  private final T defaultValue;
  private final boolean secret;
  private final boolean required;
  private final String description;
  private final Function<T, String> check;
  private final List<String> environmentFallbacks;

  private ConfigKey(
      String name,
      String typeName,
      Function<String, T> parser,
      T defaultValue,
      boolean secret,
      boolean required,
      String description,
      Function<T, String> check,
      List<String> environmentFallbacks) {
    this.name = Objects.requireNonNull(name, "name");
    this.typeName = typeName;
    this.parser = parser;
    this.defaultValue = defaultValue;
    this.secret = secret;
    this.required = required;
    this.description = Objects.requireNonNull(description, "description");
    this.check = check;
    this.environmentFallbacks = List.copyOf(environmentFallbacks);
  }

  private static <T> ConfigKey<T> make(
      String name, String typeName, Function<String, T> parser, String description) {
    return new ConfigKey<>(
        name, typeName, parser, null, false, false, description, v -> null, List.of());
  }

  /**
   * {@return a text key}
   *
   * @param name the key's name, relative to the provider's prefix
   * @param description what the key does
   */
  public static ConfigKey<String> string(String name, String description) {
    return make(name, "string", s -> s, description);
  }

  /**
   * {@return a secret key such as an API key: never shown in {@code toString}, logs or messages}
   *
   * @param name the key's name, relative to the provider's prefix
   * @param description what the key does
   */
  public static ConfigKey<Secret> secret(String name, String description) {
    return new ConfigKey<>(
        name,
        "secret",
        Secret::of,
        null,
        true,
        false,
        description,
        ConfigKey::secretProblem,
        List.of());
  }

  /**
   * Secrets go into headers, where only visible ASCII is safe: a line break would be header
   * injection, and anything else (a zero-width space copied with the key, a non-breaking space)
   * makes the HTTP client refuse the header with a message that quotes it. The problem names the
   * position and the kind of character, never the secret.
   */
  private static String secretProblem(Secret s) {
    String v = s.reveal();
    if (v.isBlank()) {
      return "is blank";
    }
    for (int i = 0; i < v.length(); ) {
      int c = v.codePointAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "has "
            + describe(c)
            + " at position "
            + (v.codePointCount(0, i) + 1)
            + " of "
            + v.codePointCount(0, v.length())
            + "; a key is visible ASCII only (check for a stray character copied with it)";
      }
      i += Character.charCount(c);
    }
    return null;
  }

  /** The kind of a character, in words (never the character itself, which may be the secret's). */
  private static String describe(int c) {
    if (c == ' ') {
      return "a space";
    }
    if (c == '\r' || c == '\n') {
      return "a line break (a control character)";
    }
    if (c == '\t') {
      return "a tab (a control character)";
    }
    if (c < 0x20 || c == 0x7f) {
      return "a control character";
    }
    if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      return "a non-ASCII space (U+" + hex(c) + ")";
    }
    int type = Character.getType(c);
    if (type == Character.FORMAT) {
      return "an invisible formatting character (U+" + hex(c) + ")";
    }
    if (Character.isSurrogate((char) c)) {
      return "a broken surrogate";
    }
    return "a non-ASCII character";
  }

  private static String hex(int c) {
    return String.format(java.util.Locale.ROOT, "%04X", c);
  }

  /**
   * {@return an integer key}
   *
   * @param name the key's name, relative to the provider's prefix
   * @param description what the key does
   */
  public static ConfigKey<Integer> integer(String name, String description) {
    return make(
        name,
        "integer",
        s -> {
          try {
            return Integer.valueOf(s.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not an integer");
          }
        },
        description);
  }

  /**
   * {@return a decimal key}
   *
   * @param name the key's name, relative to the provider's prefix
   * @param description what the key does
   */
  public static ConfigKey<Double> decimal(String name, String description) {
    return make(
        name,
        "decimal",
        s -> {
          try {
            double d = Double.parseDouble(s.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
              throw new NumberFormatException();
            }
            return d;
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a number");
          }
        },
        description);
  }

  /**
   * {@return a boolean key ({@code true} or {@code false})}
   *
   * @param name the key's name, relative to the provider's prefix
   * @param description what the key does
   */
  public static ConfigKey<Boolean> bool(String name, String description) {
    return make(
        name,
        "boolean",
        s -> {
          String v = s.trim().toLowerCase(Locale.ROOT);
          if (v.equals("true")) {
            return true;
          }
          if (v.equals("false")) {
            return false;
          }
          throw new IllegalArgumentException("must be true or false");
        },
        description);
  }

  /**
   * {@return a duration key: {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601 ({@code PT10S})}
   *
   * @param name the key's name, relative to the provider's prefix
   * @param description what the key does
   */
  public static ConfigKey<Duration> duration(String name, String description) {
    return make(name, "duration", ConfigKey::parseDuration, description);
  }

  /**
   * {@return an absolute URI key}
   *
   * @param name the key's name, relative to the provider's prefix
   * @param description what the key does
   */
  public static ConfigKey<URI> uri(String name, String description) {
    return make(
        name,
        "uri",
        s -> {
          try {
            URI u = new URI(s.trim());
            if (!u.isAbsolute() || u.getHost() == null) {
              throw new IllegalArgumentException("must be an absolute URL with a host");
            }
            return u;
          } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL");
          }
        },
        description);
  }

  /**
   * {@return a text key limited to {@code allowed} values}
   *
   * @param name the key's name, relative to the provider's prefix
   * @param description what the key does
   * @param allowed the values allowed
   */
  public static ConfigKey<String> choice(String name, String description, String... allowed) {
    List<String> values = List.copyOf(Arrays.asList(allowed));
    return new ConfigKey<>(
        name,
        "one of " + String.join("|", values),
        s -> s.trim(),
        null,
        false,
        false,
        description,
        v -> values.contains(v) ? null : "must be one of " + values,
        List.of());
  }

  static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()) * 60);
      }
      return Duration.ofMillis(Long.parseLong(v));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("is not a duration (use 500ms, 10s, 2m or PT10S)");
    }
  }

  /**
   * {@return a copy with a default value}
   *
   * @param value the default
   */
  public ConfigKey<T> withDefault(T value) {
    return new ConfigKey<>(
        name, typeName, parser, value, secret, required, description, check, environmentFallbacks);
  }

  /** {@return a copy of this key that must be set} */
  public ConfigKey<T> required() {
    return new ConfigKey<>(
        name,
        typeName,
        parser,
        defaultValue,
        secret,
        true,
        description,
        check,
        environmentFallbacks);
  }

  /**
   * {@return a copy that also reads these environment variables (for example {@code FISH_API_KEY})}
   *
   * @param variables the variables' names, read in order
   */
  public ConfigKey<T> withEnvironmentFallback(String... variables) {
    List<String> all = new ArrayList<>(environmentFallbacks);
    all.addAll(Arrays.asList(variables));
    return new ConfigKey<>(
        name, typeName, parser, defaultValue, secret, required, description, check, all);
  }

  /**
   * {@return a copy whose values are also checked by {@code more} (null = fine, else the problem)}
   *
   * @param more returns null for a good value, otherwise the problem
   */
  public ConfigKey<T> withCheck(Function<T, String> more) {
    Function<T, String> first = check;
    return new ConfigKey<>(
        name,
        typeName,
        parser,
        defaultValue,
        secret,
        required,
        description,
        v -> {
          String p = first.apply(v);
          return p != null ? p : more.apply(v);
        },
        environmentFallbacks);
  }

  /**
   * {@return a copy limited to {@code [min, max]}; for numeric keys}
   *
   * @param min the smallest value allowed
   * @param max the largest value allowed
   */
  public ConfigKey<T> withRange(double min, double max) {
    String range = fmt(min) + ".." + fmt(max);
    return withCheck(
            v -> {
              double d = ((Number) v).doubleValue();
              return d < min || d > max ? "must be in " + range : null;
            })
        .withTypeName(typeName + " " + range);
  }

  private ConfigKey<T> withTypeName(String t) {
    return new ConfigKey<>(
        name, t, parser, defaultValue, secret, required, description, check, environmentFallbacks);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** {@return the name relative to the provider's prefix, for example {@code api-key}} */
  public String name() {
    return name;
  }

  /** {@return a short description of the accepted values, for documentation} */
  public String typeName() {
    return typeName;
  }

  /** {@return the default, or null} */
  public T defaultValue() {
    return defaultValue;
  }

  /** {@return whether the value is secret} */
  public boolean isSecret() {
    return secret;
  }

  /** {@return whether the key must be set} */
  public boolean isRequired() {
    return required;
  }

  /** {@return what the key does} */
  public String description() {
    return description;
  }

  /** {@return the vendor environment variables read when the key is not set} */
  public List<String> environmentFallbacks() {
    return environmentFallbacks;
  }

  /**
   * Parses and checks a raw value.
   *
   * @param raw the configured text
   * @return the value
   * @throws IllegalArgumentException with a message that completes "key ..." and never contains the
   *     value of a secret key
   */
  public T parse(String raw) {
    T v = parser.apply(raw);
    String problem = check.apply(v);
    if (problem != null) {
      throw new IllegalArgumentException(
          secret ? problem : problem + ", was '" + printable(raw) + "'");
    }
    return v;
  }

  /**
   * {@code raw} as a message may quote it: its control characters written as escapes ({@code \r},
   * {@code \n}, {@code \t}, {@code \}{@code uXXXX}), so that a refused value cannot break a log
   * line or forge one. For values that are not secret (a secret is never quoted at all).
   *
   * @param raw the value, or null
   * @return the printable form, or null for null
   */
  public static String printable(String raw) {
    if (raw == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      switch (c) {
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            b.append("\\u").append(hex(c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "ConfigKey[" + name + ": " + typeName + "]";
  }
}
