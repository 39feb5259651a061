package dev.voicebridge;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A typed, vendor-specific option key, for example {@code FishOptions.CHUNK_LENGTH}. Keys are
 * compared by identity of their provider and name.
 *
 * @param <T> the value type
 */
public final class SynthesisOption<T> {
  private final String provider;
  private final String name;
  private final Class<T> type;
  private final String description;
  private final Function<T, String> validator;

  private SynthesisOption(
      String provider,
      String name,
      Class<T> type,
      String description,
      Function<T, String> validator) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.description = Objects.requireNonNull(description, "description");
    this.validator = validator;
  }

  /**
   * {@return a key with no constraint beyond its type}
   *
   * @param <T> the value type
   * @param provider the provider that understands the key
   * @param name the key's name
   * @param type the value type
   * @param description what the option does
   */
  public static <T> SynthesisOption<T> of(
      String provider, String name, Class<T> type, String description) {
    return new SynthesisOption<>(provider, name, type, description, v -> null);
  }

  /**
   * {@return an integer key limited to {@code [min, max]}}
   *
   * @param provider the provider that understands the key
   * @param name the key's name
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @param description what the option does
   */
  public static SynthesisOption<Integer> intRange(
      String provider, String name, int min, int max, String description) {
    return new SynthesisOption<>(
        provider,
        name,
        Integer.class,
        description,
        v -> v < min || v > max ? "must be in " + min + ".." + max + ", was " + v : null);
  }

  /**
   * {@return a decimal key limited to {@code [min, max]}}
   *
   * @param provider the provider that understands the key
   * @param name the key's name
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @param description what the option does
   */
  public static SynthesisOption<Double> doubleRange(
      String provider, String name, double min, double max, String description) {
    return new SynthesisOption<>(
        provider,
        name,
        Double.class,
        description,
        v ->
            v.isNaN() || v < min || v > max
                ? "must be in " + min + ".." + max + ", was " + v
                : null);
  }

  /**
   * {@return a string key limited to the given values}
   *
   * @param provider the provider that understands the key
   * @param name the key's name
   * @param description what the option does
   * @param allowed the values allowed
   */
  public static SynthesisOption<String> oneOf(
      String provider, String name, String description, String... allowed) {
    List<String> values = List.copyOf(Arrays.asList(allowed));
    return new SynthesisOption<>(
        provider,
        name,
        String.class,
        description,
        v -> values.contains(v) ? null : "must be one of " + values + ", was '" + v + "'");
  }

  /**
   * {@return a key checked by {@code validator}, which returns null when the value is fine}
   *
   * @param <T> the value type
   * @param provider the provider that understands the key
   * @param name the key's name
   * @param type the value type
   * @param description what the option does
   * @param validator returns null for a good value, otherwise the problem
   */
  public static <T> SynthesisOption<T> checked(
      String provider,
      String name,
      Class<T> type,
      String description,
      Function<T, String> validator) {
    return new SynthesisOption<>(provider, name, type, description, validator);
  }

  /** {@return the provider that understands this key} */
  public String provider() {
    return provider;
  }

  /** {@return the key's name, for example {@code chunk-length}} */
  public String name() {
    return name;
  }

  /** {@return the value type} */
  public Class<T> type() {
    return type;
  }

  /** {@return what the option does} */
  public String description() {
    return description;
  }

  /**
   * Checks a value.
   *
   * @param value the value to check
   * @return null if the value is acceptable, otherwise a sentence naming the key and the range
   */
  public String problem(Object value) {
    if (value == null) {
      return provider + "." + name + " must not be null";
    }
    if (!type.isInstance(value)) {
      return provider + "." + name + " must be a " + type.getSimpleName() + ", was " + value;
    }
    String p = validator.apply(type.cast(value));
    return p == null ? null : provider + "." + name + " " + p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SynthesisOption<?> other
        && provider.equals(other.provider)
        && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return provider.hashCode() * 31 + name.hashCode();
  }

  @Override
  public String toString() {
    return provider + "." + name;
  }
}
