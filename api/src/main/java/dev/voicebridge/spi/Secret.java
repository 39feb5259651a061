package dev.voicebridge.spi;

import java.util.Objects;

/**
 * A secret value such as an API key. Its {@link #toString()} never shows the value, so it can be
 * passed around, logged by accident and put into exception messages without leaking.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /**
   * Wraps a value.
   *
   * @param value the secret value
   * @return the secret
   */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /** {@return the value itself, for the one place that sends it (a header)} */
  public String reveal() {
    return value;
  }

  /**
   * {@return whether {@code text} contains this secret (for leak checks)}
   *
   * @param text the text to search
   */
  public boolean isIn(CharSequence text) {
    return text != null && !value.isEmpty() && text.toString().contains(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "****";
  }
}
