package dev.voicebridge.spi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Masks secrets in text that came from a server. A hostile or careless server can echo a request's
 * credentials back (in an error body, an error frame, a close reason, a malformed frame); a client
 * that quotes what the server said would then print the key. Every session passes what reaches an
 * exception message, a warning or a report field through the redactor of its synthesizer's secrets,
 * so providers need not remember to; providers and plugins use it for their own log lines.
 *
 * <p>Besides the plain value it masks the encodings a server is likely to echo: percent-encoded,
 * Base64 (standard and URL-safe, also of {@code "key:"} and {@code ":key"} as in Basic
 * authentication), JSON-escaped, and a value cut off (a close reason is at most 123 bytes, so an
 * echo may be truncated): any run of eight or more characters that matches the start of a secret.
 */
public final class Redactor {
  /** What a masked secret is replaced with. */
  public static final String MASK = "****";

  /** The shortest cut-off prefix of a secret that is still masked. */
  static final int MIN_PREFIX = 8;

  private static final Redactor NONE = new Redactor(List.of(), List.of());

  private final List<String> needles; // longest first
  private final List<String> values; // the plain values, for the cut-off check

  private Redactor(List<String> needles, List<String> values) {
    this.needles = needles;
    this.values = values;
  }

  /** {@return a redactor that masks nothing} */
  public static Redactor none() {
    return NONE;
  }

  /**
   * {@return a redactor of {@code secrets} (empty or blank values are ignored)}
   *
   * @param secrets the secrets
   */
  public static Redactor of(Collection<Secret> secrets) {
    Objects.requireNonNull(secrets, "secrets");
    Set<String> forms = new LinkedHashSet<>();
    List<String> values = new ArrayList<>();
    for (Secret s : secrets) {
      String v = s.reveal();
      if (v.isBlank()) {
        continue;
      }
      values.add(v);
      forms.add(v);
      forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
      forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
      forms.add(json(v));
      for (String b : List.of(v, v + ":", ":" + v)) {
        byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
        String std = Base64.getEncoder().encodeToString(bytes);
        forms.add(std);
        forms.add(Base64.getUrlEncoder().encodeToString(bytes));
        forms.add(stripPadding(std));
        forms.add(stripPadding(Base64.getUrlEncoder().encodeToString(bytes)));
      }
    }
    forms.removeIf(f -> f.length() < Math.min(MIN_PREFIX, shortest(values)));
    List<String> needles = new ArrayList<>(forms);
    needles.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return needles.isEmpty() ? NONE : new Redactor(List.copyOf(needles), List.copyOf(values));
  }

  private static int shortest(List<String> values) {
    int n = Integer.MAX_VALUE;
    for (String v : values) {
      n = Math.min(n, v.length());
    }
    return n;
  }

  private static String stripPadding(String b64) {
    int end = b64.length();
    while (end > 0 && b64.charAt(end - 1) == '=') {
      end--;
    }
    return b64.substring(0, end);
  }

  private static String json(String v) {
    StringBuilder sb = new StringBuilder(v.length() + 8);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '/' -> sb.append("\\/");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** {@return whether this redactor masks nothing} */
  public boolean isEmpty() {
    return needles.isEmpty();
  }

  /**
   * {@return {@code text} with every secret masked; null stays null}
   *
   * @param text the text
   */
  public String redact(CharSequence text) {
    if (text == null) {
      return null;
    }
    String s = text.toString();
    if (needles.isEmpty() || s.isEmpty()) {
      return s;
    }
    for (String n : needles) {
      if (s.contains(n)) {
        s = s.replace(n, MASK);
      }
    }
    return maskCutOff(s);
  }

  /**
   * Masks what is left of a secret that was cut off (a close reason holds at most 123 bytes, so an
   * echo may stop inside the key, and the reason may then stand in the middle of a message): every
   * run of text that matches the start of a secret for at least {@link #MIN_PREFIX} characters.
   */
  private String maskCutOff(String s) {
    for (String v : values) {
      int min = Math.min(MIN_PREFIX, v.length());
      String head = v.substring(0, min);
      int from = s.indexOf(head);
      if (from < 0) {
        continue;
      }
      StringBuilder out = new StringBuilder(s.length());
      int copied = 0;
      while (from >= 0) {
        int len = min;
        while (len < v.length()
            && from + len < s.length()
            && s.charAt(from + len) == v.charAt(len)) {
          len++;
        }
        out.append(s, copied, from).append(MASK);
        copied = from + len;
        from = s.indexOf(head, copied);
      }
      s = out.append(s, copied, s.length()).toString();
    }
    return s;
  }

  /**
   * {@return whether {@code text} holds a secret in a form this redactor masks}
   *
   * @param text the text
   */
  public boolean isIn(CharSequence text) {
    return text != null && !redact(text).equals(text.toString());
  }

  @Override
  public String toString() {
    return "Redactor[" + values.size() + " secrets]";
  }
}
