package dev.voicebridge.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The voices every emulator's catalog endpoint lists, each vendor in its own shape and id style: a
 * dozen voices over eight languages (two speak two), enough for paging and filters. Any voice id is
 * accepted for synthesis, these included.
 *
 * @param name the display name
 * @param languages ISO 639-1 codes, the main one first
 * @param locale the main locale ({@code en-US})
 * @param gender {@code female} or {@code male}
 * @param age {@code young}, {@code middle_aged} or {@code old}
 * @param accent the accent in English ({@code american})
 * @param description a line about the voice
 */
public record CatalogVoices(
    String name,
    List<String> languages,
    String locale,
    String gender,
    String age,
    String accent,
    String description) {

  /** Every voice, in catalog order. */
  public static final List<CatalogVoices> ALL =
      List.of(
          of("Ava", "en-US", "female", "young", "american", "Warm and clear", "en"),
          of("Noah", "en-US", "male", "middle_aged", "american", "Calm narrator", "en"),
          of("Olivia", "en-GB", "female", "middle_aged", "british", "Crisp newsreader", "en"),
          of("Liam", "en-GB", "male", "young", "british", "Friendly support agent", "en"),
          of("Amelie", "fr-FR", "female", "young", "parisian", "Bright and quick", "fr"),
          of("Louis", "fr-FR", "male", "old", "parisian", "Deep storyteller", "fr"),
          of("Sofia", "es-ES", "female", "young", "castilian", "Upbeat, bilingual", "es", "en"),
          of("Mateo", "es-MX", "male", "middle_aged", "mexican", "Steady and warm", "es"),
          of("Ananya", "hi-IN", "female", "young", "indian", "Clear, bilingual", "hi", "en"),
          of("Arjun", "hi-IN", "male", "middle_aged", "indian", "Confident presenter", "hi"),
          of("Hana", "ja-JP", "female", "young", "tokyo", "Soft and polite", "ja"),
          of("Lukas", "de-DE", "male", "middle_aged", "standard", "Precise and calm", "de"));

  private static CatalogVoices of(
      String name,
      String locale,
      String gender,
      String age,
      String accent,
      String description,
      String... languages) {
    return new CatalogVoices(name, List.of(languages), locale, gender, age, accent, description);
  }

  /** The main language's code ({@code en}). */
  public String language() {
    return languages.get(0);
  }

  /** The language's English name, lower case ({@code english}), as some vendors name it. */
  public static String languageName(String code) {
    return new Locale(code).getDisplayLanguage(Locale.ENGLISH).toLowerCase(Locale.ROOT);
  }

  /** A UUID derived from the name and {@code vendor} (stable across runs). */
  public UUID uuid(String vendor) {
    return UUID.nameUUIDFromBytes((vendor + ":" + name).getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #uuid} without dashes (32 hex digits). */
  public String hex(String vendor) {
    return uuid(vendor).toString().replace("-", "");
  }
}
